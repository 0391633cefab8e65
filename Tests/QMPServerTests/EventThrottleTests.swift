import EventLoop
import QAPI
import Testing

@testable import QMPServer

@Suite struct EventThrottleTests {
    func event(_ name: String, _ data: JSONObject = [:]) -> JSONValue {
        .object(["event": .string(name), "data": .object(data)])
    }

    @Test func limitedEventsGoOutOncePerIntervalWithTheLatestHeld() {
        let loop = EventLoop()
        var sent: [JSONValue] = []
        let throttle = EventThrottle(loop: loop) { sent.append($0) }
        throttle.intervalOverride = 30_000_000
        throttle.submit(event("RTC_CHANGE", ["offset": 1]))
        throttle.submit(event("RTC_CHANGE", ["offset": 2]))
        throttle.submit(event("RTC_CHANGE", ["offset": 3]))
        throttle.submit(event("STOP"))
        #expect(sent.map { $0["data"]?["offset"]?.int64Value } == [1, nil])
        loop.run(forAtMost: 45_000_000) { false }
        // The first interval is over: the last held one goes out, the middle one never does.
        #expect(sent.compactMap { $0["data"]?["offset"]?.int64Value } == [1, 3])
        loop.run(forAtMost: 70_000_000) { false }
        #expect(sent.count == 3)
        throttle.submit(event("RTC_CHANGE", ["offset": 4]))
        #expect(sent.count == 4, "after a quiet interval the next one goes out at once")
        throttle.cancelAll()
    }

    @Test func perDeviceEventsAreLimitedPerDevice() {
        let loop = EventLoop()
        var sent: [JSONValue] = []
        let throttle = EventThrottle(loop: loop) { sent.append($0) }
        throttle.intervalOverride = 1_000_000_000
        throttle.submit(event("BLOCK_IO_ERROR", ["qom-path": "/a", "action": "report"]))
        throttle.submit(event("BLOCK_IO_ERROR", ["qom-path": "/b", "action": "report"]))
        throttle.submit(event("BLOCK_IO_ERROR", ["qom-path": "/a", "action": "report"]))
        #expect(sent.count == 2)
        // An error that stops the guest is never held back.
        throttle.submit(event("BLOCK_IO_ERROR", ["qom-path": "/a", "action": "stop"]))
        #expect(sent.count == 3)
        throttle.submit(event("VSERPORT_CHANGE", ["id": "c1", "open": true]))
        throttle.submit(event("VSERPORT_CHANGE", ["id": "c2", "open": true]))
        throttle.submit(event("VSERPORT_CHANGE", ["id": "c1", "open": false]))
        #expect(sent.count == 5)
        throttle.cancelAll()
    }

    @Test func eventsQEMUDoesNotLimitPass() {
        let loop = EventLoop()
        var sent = 0
        let throttle = EventThrottle(loop: loop) { _ in sent += 1 }
        for _ in 0..<100 {
            throttle.submit(event("MIGRATION", ["status": "active"]))
            throttle.submit(event("BLOCK_JOB_COMPLETED"))
        }
        #expect(sent == 200)
    }
}
