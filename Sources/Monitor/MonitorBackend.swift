import QAPI
import Machine

/// Something that executes schema commands: the in-process model today, a QMP connection later.
/// The console talks only to this.
public protocol MonitorBackend: AnyObject {
    /// Runs a command with typed arguments.
    func execute<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(QMPError) -> C.Returns

    /// Runs a QMP request given as a JSON value (`{"execute": ..., "arguments": ...}`); answers the reply object.
    func dispatch(_ request: JSONValue) -> JSONValue

    /// Brings the backend up to date before a command (real clock: advance the model to now).
    func synchronize()

    /// Waits `nanoseconds`: on the real clock it sleeps, on the virtual clock the model jumps ahead at once.
    func wait(nanoseconds: UInt64)

    /// Events emitted since the last call, oldest first, in QMP wire form.
    func takeEvents() -> [JSONValue]
}
