import Backend
import HMP
import Machine
import Monitor
import QAPI

/// A console session on the real in-process backend, the model on the virtual clock: time
/// moves only with `sleep` and waits, so every run prints the same.
public struct ModelSession {
    public let backend: InProcessBackend
    public let session: HMPSession

    public init(format: OutputFormat = .table, configuration: MachineConfiguration = MachineConfiguration()) {
        // The default configuration is valid by construction; a test that passes a bad one fails here.
        let machine = try! VirtualMachine(validating: configuration)
        backend = InProcessBackend(machine: machine, clock: .virtual())
        session = HMPSession(backend: backend, format: format)
    }

    /// Another session on the same backend, in another format.
    public func session(_ format: OutputFormat) -> HMPSession { HMPSession(backend: backend, format: format) }

    /// Runs a line and answers what it printed (the error text when it failed).
    @discardableResult
    public func run(_ line: String) -> HMPLineResult { session.execute(line) }

    /// A QMP command straight to the backend, bypassing HMP.
    public func query<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(QMPError) -> C.Returns {
        try backend.execute(command, arguments)
    }
}
