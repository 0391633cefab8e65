import Backend
import QAPI

/// Stands in for the backend while a line is explained: it writes down every request the line
/// would send and runs only the queries (handlers read state to build their requests, e.g. a
/// device's node name). Nothing that changes state runs, and no time passes.
final class ExplainingBackend: MonitorBackend {
    let real: any MonitorBackend
    /// The requests in the order the line would send them, in QMP wire form.
    private(set) var requests: [JSONValue] = []
    /// Set when the line would wait (sleep, a foreground migrate); not a QMP request.
    private(set) var waitedNanoseconds: UInt64 = 0

    init(real: any MonitorBackend) { self.real = real }

    /// Queries only read; everything else changes something.
    static func isQuery(_ name: String) -> Bool { name.hasPrefix("query-") || name.hasPrefix("x-query-") }

    static func request(_ name: String, _ arguments: JSONValue?) -> JSONValue {
        var object = JSONObject()
        object.append("execute", .string(name))
        if let arguments, !(arguments.objectValue?.isEmpty ?? false) { object.append("arguments", arguments) }
        return .object(object)
    }

    func execute<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(QMPError) -> C.Returns {
        requests.append(Self.request(C.name, arguments.qapi))
        if Self.isQuery(C.name) { return try real.execute(command, arguments) }
        // Commands that change state reply with an empty object; one whose reply the line
        // would read further cannot be explained past this point.
        if let reply = try? C.Returns(qapi: .object(JSONObject())) { return reply }
        throw QMPError.generic("the rest depends on the reply to \(C.name)")
    }

    func dispatch(_ request: JSONValue) -> JSONValue {
        requests.append(request)
        if let name = request["execute"]?.stringValue, Self.isQuery(name) { return real.dispatch(request) }
        return .object(["return": .object(JSONObject())])
    }

    func synchronize() { real.synchronize() }

    func wait(nanoseconds: UInt64) { waitedNanoseconds &+= nanoseconds }

    func waitForEvent(atMost nanoseconds: UInt64) -> UInt64 {
        waitedNanoseconds &+= nanoseconds
        return nanoseconds
    }

    func takeEvents() -> [JSONValue] { [] }
}
