import Monitor
import QAPI

/// Builds the backend the console talks to from the machine options.
enum BackendFactory {
    static func make(_ machine: MachineSettings) throws(UsageError) -> any MonitorBackend {
        PendingModelBackend()
    }
}

/// Stands in until the in-process model is part of the build: every command fails.
final class PendingModelBackend: MonitorBackend {
    func execute<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(QMPError) -> C.Returns {
        throw QMPError(.commandNotFound, "The command \(C.name) has not been found")
    }

    func dispatch(_ request: JSONValue) -> JSONValue {
        .object(["error": QMPError(.commandNotFound, "no backend").qmpValue])
    }

    func synchronize() {}
    func wait(nanoseconds: UInt64) {}
    func takeEvents() -> [JSONValue] { [] }
}
