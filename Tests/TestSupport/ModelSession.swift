import Backend
import HMP
import Machine
import Monitor
import QAPI

/// A console session on the real in-process backend, the model on the virtual clock: time
/// moves only with `sleep` and waits, so every run prints the same. The session talks to the
/// backend through `recorder`, which keeps what each line sent.
public struct ModelSession {
    public let backend: InProcessBackend
    public let recorder: RecordingBackend
    public let session: HMPSession

    public init(format: OutputFormat = .table, configuration: MachineConfiguration = MachineConfiguration()) {
        // The default configuration is valid by construction; a test that passes a bad one fails here.
        let machine = try! VirtualMachine(validating: configuration)
        backend = InProcessBackend(machine: machine, clock: .virtual())
        recorder = RecordingBackend(backend)
        session = HMPSession(backend: recorder, format: format)
    }

    /// Another session on the same backend, in another format.
    public func session(_ format: OutputFormat) -> HMPSession { HMPSession(backend: recorder, format: format) }

    /// Runs a line and answers what it printed (the error text when it failed).
    @discardableResult
    public func run(_ line: String) -> HMPLineResult { session.execute(line) }

    /// Standard output of a line that must succeed, or `FAILED: ` and its error.
    public func output(_ line: String) -> String {
        let r = session.execute(line)
        return r.succeeded ? r.output : "FAILED: \(r.error ?? "")"
    }

    /// A QMP command straight to the backend, bypassing HMP.
    public func query<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(QMPError) -> C.Returns {
        try backend.execute(command, arguments)
    }

    /// The arguments the last `name` command received from the console, in wire form.
    public func sent(_ name: String) -> JSONValue? { recorder.sent(name) }

    /// Model time, in nanoseconds since the VM started.
    public var elapsed: UInt64 { backend.clock.now.nanoseconds }

    /// The migration status the model reports (nil before any migration).
    public var migrationStatus: MigrationStatus? { (try? query(QueryMigrateCommand.self, QAPIEmpty()))?.status }

    /// The migration parameters in wire form (`migrationParameters["max-bandwidth"]`).
    public var migrationParameters: JSONValue { (try? query(QueryMigrateParametersCommand.self, QAPIEmpty()))?.qapi ?? .null }
}
