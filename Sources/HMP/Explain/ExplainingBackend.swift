import Backend
import QAPI

/// Stands in for the backend while a line is explained: it writes down every request the line
/// would send and runs only the queries (handlers read state to build their requests, e.g. a
/// device's node name). Nothing that changes state runs, and no time passes.
final class ExplainingBackend: MonitorBackend {
    let real: any MonitorBackend

    /// What the line does, in order: a request, or a wait on the console's side written as
    /// the console line that waits the same way (`sleep 2s`, `wait job ID concluded`).
    enum Step: Equatable {
        case request(JSONValue)
        case then(String)
    }

    private(set) var steps: [Step] = []
    /// The requests in the order the line would send them, in QMP wire form.
    var requests: [JSONValue] { steps.compactMap { if case .request(let r) = $0 { r } else { nil } } }
    /// Jobs the line would start and then wait for (the snapshot commands do).
    private var startedJobs: [(id: String, type: String)] = []
    private var waitedForMigration = false

    init(real: any MonitorBackend) { self.real = real }

    /// Looking a snapshot up only reads, like a query.
    var snapshotLookup: (any SnapshotLookup)? { real.snapshotLookup }

    /// Queries only read; everything else changes something.
    static func isQuery(_ name: String) -> Bool { name.hasPrefix("query-") || name.hasPrefix("x-query-") }

    static func request(_ name: String, _ arguments: JSONValue?) -> JSONValue {
        var object = JSONObject()
        object.append("execute", .string(name))
        if let arguments, !(arguments.objectValue?.isEmpty ?? false) { object.append("arguments", arguments) }
        return .object(object)
    }

    func execute<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(QMPError) -> C.Returns {
        let request = Self.request(C.name, arguments.qapi)
        if C.name == QueryJobsCommand.name {
            // The line waits for the jobs it started, then reads how they ended.
            for job in startedJobs { steps.append(.then("wait job \(job.id) concluded")) }
            steps.append(.request(request))
            return try jobsAsTheyWillEnd(command, arguments)
        }
        if C.name == QueryMigrateCommand.name, !waitedForMigration, requests.contains(where: { $0["execute"]?.stringValue == "migrate" }) {
            // A foreground migrate reads the status until the migration ends.
            waitedForMigration = true
            steps.append(.then("wait migration completed"))
        }
        steps.append(.request(request))
        if Self.isQuery(C.name) { return try real.execute(command, arguments) }
        if C.name.hasPrefix("snapshot-"), let id = arguments.qapi["job-id"]?.stringValue { startedJobs.append((id, C.name)) }
        // Commands that change state reply with an empty object; one whose reply the line
        // would read further cannot be explained past this point.
        if let reply = try? C.Returns(qapi: .object(JSONObject())) { return reply }
        throw QMPError.generic("the rest depends on the reply to \(C.name)")
    }

    /// `query-jobs` with the jobs the line started shown concluded: the line waits for them,
    /// and what it sends next (job-dismiss) is what it would send then.
    private func jobsAsTheyWillEnd<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(QMPError) -> C.Returns {
        let reply = try real.execute(command, arguments)
        guard !startedJobs.isEmpty, case .array(var jobs) = reply.qapi else { return reply }
        for job in startedJobs {
            jobs.append([
                "id": .string(job.id), "type": .string(job.type), "status": "concluded", "current-progress": 1, "total-progress": 1,
            ])
        }
        startedJobs.removeAll()
        return (try? C.Returns(qapi: .array(jobs))) ?? reply
    }

    func dispatch(_ request: JSONValue) -> JSONValue {
        steps.append(.request(request))
        if let name = request["execute"]?.stringValue, Self.isQuery(name) { return real.dispatch(request) }
        return .object(["return": .object(JSONObject())])
    }

    func synchronize() { real.synchronize() }

    func wait(nanoseconds: UInt64) { steps.append(.then("sleep " + Self.duration(nanoseconds))) }

    func waitForEvent(atMost nanoseconds: UInt64) -> UInt64 { nanoseconds }

    func takeEvents() -> [JSONValue] { [] }

    /// A duration the `sleep` command reads back exactly.
    static func duration(_ ns: UInt64) -> String {
        if ns % 1_000_000_000 == 0 { return "\(ns / 1_000_000_000)s" }
        if ns % 1_000_000 == 0 { return "\(ns / 1_000_000)ms" }
        return "\(ns)ns"
    }
}
