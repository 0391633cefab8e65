import Backend
import Monitor
import QAPI

/// The real in-process backend with a log: every call passes straight through to it, and the
/// commands that reached it are kept with their wire arguments, so a test can check what a
/// console line sent (or that a refused line sent nothing) while the model answers as itself.
public final class RecordingBackend: MonitorBackend {
    public let backend: InProcessBackend
    /// Commands run, oldest first: name and wire arguments (`dispatch` keeps the request's own).
    public private(set) var requests: [(name: String, arguments: JSONValue)] = []
    /// How many times the console asked the backend to bring itself up to date.
    public private(set) var synchronizations = 0
    /// Called with each command's name once the model has run it (a test hook: see ModelHooks).
    public var afterCommand: ((String) -> Void)?

    public init(_ backend: InProcessBackend) { self.backend = backend }

    /// The commands other than queries (what changed, or tried to change, the model).
    public var actions: [(name: String, arguments: JSONValue)] { requests.filter { !$0.name.hasPrefix("query-") } }

    /// The arguments the last `name` command received, nil when it never ran.
    public func sent(_ name: String) -> JSONValue? { requests.last { $0.name == name }?.arguments }

    public func forget() { requests = [] }

    public func execute<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(QMPError) -> C.Returns {
        requests.append((C.name, arguments.qapi))
        defer { afterCommand?(C.name) }
        return try backend.execute(command, arguments)
    }

    public func dispatch(_ request: JSONValue) -> JSONValue {
        requests.append((request["execute"]?.stringValue ?? "", request["arguments"] ?? .object(JSONObject())))
        return backend.dispatch(request)
    }

    public func synchronize() {
        synchronizations += 1
        backend.synchronize()
    }

    public func wait(nanoseconds: UInt64) { backend.wait(nanoseconds: nanoseconds) }
    public func waitForEvent(atMost nanoseconds: UInt64) -> UInt64 { backend.waitForEvent(atMost: nanoseconds) }
    public func takeEvents() -> [JSONValue] { backend.takeEvents() }
    public var waitsInRealTime: Bool { backend.waitsInRealTime }
    public var vmWallClockSeconds: Int64? { backend.vmWallClockSeconds }
    public var modelTimeOriginMicroseconds: UInt64? { backend.modelTimeOriginMicroseconds }
    public var snapshotLookup: (any SnapshotLookup)? { backend.snapshotLookup }
}
