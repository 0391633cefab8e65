import Backend
import Machine
import QAPI

/// Serves every schema command from an in-process `VirtualMachine`, driven by a clock: on a
/// real clock each command first brings the model to "now"; on a virtual clock time moves only
/// through `wait(nanoseconds:)` (or the clock's own `advance`).
public final class InProcessBackend: MonitorBackend {
    public let machine: VirtualMachine
    public let clock: ModelClock
    /// The command registry; every schema command has a handler in it.
    public let dispatcher = QMPDispatcher()
    /// Runs `human-monitor-command`; the console installs its HMP interpreter here.
    public var humanMonitorHook: ((HumanMonitorCommandArguments) throws(QMPError) -> String)?
    /// How a wait passes on the real clock: the executable turns its event loop here, so
    /// sockets stay served while a command waits. Without it the thread sleeps.
    public var realTimeWait: ((UInt64) -> Void)?
    /// Set by `quit`; whoever runs the backend decides what to do about it.
    public private(set) var quitRequested = false

    public init(machine: VirtualMachine, clock: ModelClock) {
        self.machine = machine
        self.clock = clock
        if clock.kind == .real {
            // Model time zero is "now" on the wall clock, for timestamps QEMU gives in wall time.
            machine.wallClockEpochMicroseconds = ModelClock.wallClockMicroseconds() - clock.now.nanoseconds / 1000
        }
        // A connection waiting for pages moves the model to now, whatever the granularity.
        if clock.kind == .real { machine.catchUp = { [unowned machine, unowned clock] in machine.advance(to: clock.now) } }
        registerControlCommands()
        registerRunStateCommands()
        registerMigrationCommands()
        registerDirtyRateCommands()
        registerModelCommands()
        registerBlockCommands(on: dispatcher, block: machine.block)
    }

    public func execute<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(QMPError) -> C.Returns {
        synchronize()
        return try dispatcher.execute(command, arguments)
    }

    public func dispatch(_ request: JSONValue) -> JSONValue {
        synchronize()
        return dispatcher.dispatch(request)
    }

    /// On the real clock, the model is brought forward at most once per this much wall time:
    /// a batch runs tens of thousands of commands a second, and statistics a millisecond old
    /// read the same to a person (QEMU itself refreshes most of them far less often).
    public static let realClockGranularity = ModelTime(nanoseconds: 1_000_000)

    /// The model's clock as a snapshot date (`BlockLayer.saveSnapshot` dates with the same sum).
    public var vmWallClockSeconds: Int64? {
        synchronize()
        let block = machine.block
        let (sum, overflow) = block.epochNanoseconds.addingReportingOverflow(block.now.nanoseconds)
        return Int64((overflow ? .max : sum) / 1_000_000_000)
    }

    public func synchronize() {
        let now = clock.now
        guard now > machine.now else { return }
        if clock.kind == .real, now - machine.now < Self.realClockGranularity { return }
        machine.advance(to: now)
    }

    public func wait(nanoseconds: UInt64) {
        if clock.kind == .real, let realTimeWait {
            realTimeWait(nanoseconds)
        } else {
            clock.sleep(nanoseconds: nanoseconds)
        }
        // A wait always lands exactly on the new time, whatever the granularity.
        machine.advance(to: clock.now)
    }

    public var waitsInRealTime: Bool { clock.kind == .real }

    public func takeEvents() -> [JSONValue] {
        let epoch = machine.wallClockEpochMicroseconds
        return machine.events.drain().map { $0.qmpValue(epochMicroseconds: epoch) }
    }

    func requestQuit() { quitRequested = true }
}
