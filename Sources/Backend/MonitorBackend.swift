import QAPI

/// Something that executes schema commands: the in-process model, or (later) a QMP
/// connection to a real QEMU. HMP and the console talk only to this; neither links the model.
///
/// Keeping the backend current is the backend's own business: `execute` and `dispatch`
/// bring it up to date before they run (the in-process model advances to "now" on the real
/// clock), so callers never need to. `synchronize` exists for the console's idle moments,
/// when no command runs but events may have happened.
public protocol MonitorBackend: AnyObject {
    /// Runs a command with typed arguments.
    func execute<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(QMPError) -> C.Returns

    /// Runs a QMP request given as a JSON value (`{"execute": ..., "arguments": ...}`); answers the reply object.
    func dispatch(_ request: JSONValue) -> JSONValue

    /// Brings the backend up to date while no command runs (real clock: advance the model to now).
    func synchronize()

    /// Waits `nanoseconds`: on the real clock time passes (the process's event loop keeps
    /// serving its other sources meanwhile), on the virtual clock the model jumps ahead at once.
    func wait(nanoseconds: UInt64)

    /// Waits until something may have changed — an event is ready to take, the backend reached
    /// its next scheduled step — or `nanoseconds` have passed, and answers how long it waited.
    /// Callers loop, looking at events and state in between. On the virtual clock the model
    /// jumps to its next scheduled step rather than covering the time in slices, so a long
    /// wait costs what happens in it, not its length. `MonitorBackend+EventWait.swift` has a
    /// polling default for backends that cannot tell.
    func waitForEvent(atMost nanoseconds: UInt64) -> UInt64

    /// Events emitted since the last call, oldest first, in QMP wire form.
    func takeEvents() -> [JSONValue]

    /// False when `wait` moves a virtual clock instantly: a waiting command then bounds how
    /// much model time it lets pass, since nobody can press Ctrl-C in time.
    var waitsInRealTime: Bool { get }

    /// The VM's wall-clock time in seconds since the epoch, when the backend models it (the
    /// time snapshots are dated with); nil means the host's clock.
    var vmWallClockSeconds: Int64? { get }

    /// Finds an internal snapshot by name without listing them all, when the backend can
    /// (SnapshotLookup.swift); a backend standing for another answers the other's.
    var snapshotLookup: (any SnapshotLookup)? { get }

    /// When event timestamps count model time (a virtual clock): the wall-clock microseconds
    /// since the epoch that model time zero is stamped as. Nil: timestamps are wall-clock time.
    var modelTimeOriginMicroseconds: UInt64? { get }
}

extension MonitorBackend {
    public var waitsInRealTime: Bool { true }
    public var vmWallClockSeconds: Int64? { nil }
    public var modelTimeOriginMicroseconds: UInt64? { nil }
}
