import QAPI

/// Dispatches JSON requests, alternating a parameter query and a parameter change, and reports
/// requests per second. Parsing, argument checking, the handler and reply serialisation are all
/// inside the measured loop.
func dispatchBenchmark(dispatcher: QMPDispatcher, requests: Int = 1_000_000) -> (requestsPerSecond: Double, seconds: Double) {
    let query = #"{"execute": "query-migrate-parameters"}"#
    let sets = (0..<100).map { #"{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": \#(100 + $0)}}"# }
    var replyBytes = 0
    let clock = ContinuousClock()
    let start = clock.now
    for i in 0..<requests {
        let reply = dispatcher.dispatch(json: i & 1 == 0 ? query : sets[(i >> 1) % sets.count])
        replyBytes &+= reply.utf8.count
    }
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    precondition(replyBytes > 0)
    return (Double(requests) / seconds, seconds)
}
