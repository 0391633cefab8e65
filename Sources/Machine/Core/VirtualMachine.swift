import QAPI

/// The in-process model of one VM: guest run state and memory workload, the migration engine
/// (outgoing and incoming), dirty-rate measurement and dirty limits, and the block layer.
///
/// A pure state machine: nothing happens between calls. `advance(to:)` moves it forward;
/// its cost grows with the number of things that happen (migration passes, state changes),
/// never with guest size or the length of time skipped.
public final class VirtualMachine {
    public let configuration: MachineConfiguration
    public let events: EventQueue
    public let block: BlockLayer
    /// Model time the VM has been advanced to.
    public private(set) var now: ModelTime = .zero
    public private(set) var runState: RunState
    /// The guest's memory workload; change it with `setWorkload(_:)`.
    public private(set) var workload: GuestWorkload
    /// The network link and disk migrations go through; changes take effect at once.
    public var link: NetworkLink
    public private(set) var faults: [LinkFault] = []
    /// Wall-clock microseconds since the Unix epoch at model time zero; used for times QEMU
    /// reports in wall-clock terms (dirty-rate start time, event timestamps, snapshot dates).
    /// Shared with the block layer, which keeps it.
    public var wallClockEpochMicroseconds: UInt64 {
        get { block.epochNanoseconds / 1000 }
        set { block.epochNanoseconds = newValue * 1000 }
    }

    /// The outgoing migration engine and the incoming side.
    public private(set) lazy var migration = MigrationEngine(machine: self)
    /// Real connections for tcp: and unix: migrations; nil keeps them simulated (no bytes move).
    public var transport: (any MigrationTransport)?
    /// Brings the model to "now" on the real clock; a connection that has sent everything the
    /// engine allowed calls it rather than wait for the next command to move time on.
    public var catchUp: (() -> Void)?

    /// QEMU's `autostart`: whether an incoming VM starts running once migration completes.
    public private(set) var autostart: Bool
    /// Per-vCPU dirty page limits in MB/s (nil: not limited).
    public private(set) var dirtyLimits: [UInt64?]
    /// Pages the guest has written since it started (its writes go round the hot set).
    public internal(set) var pagesWritten: UInt64 = 0
    private var pagesWrittenCarry = 0.0
    /// RAM as an incoming migration delivered it (its blocks and the digest of the bytes).
    public internal(set) var receivedRAM: ReceivedRAM?
    var dirtyRateMeter = DirtyRateMeter()
    var snapshotJobs: [SnapshotJob] = []
    private var nextThreadID: Int64 = 4100

    /// A VM built from `configuration`; fails when its disks do not fit together (the block
    /// layer's texts), so use this one for configurations that come from a user.
    public init(validating configuration: MachineConfiguration, transport: (any MigrationTransport)? = nil) throws(QMPError) {
        self.configuration = configuration
        self.transport = transport
        events = EventQueue()
        block = try BlockLayer(events: events, disks: configuration.disks)
        runState = configuration.startState
        workload = configuration.workload
        link = configuration.link
        autostart = configuration.startState != .prelaunch
        dirtyLimits = Array(repeating: nil, count: configuration.vcpus)
        block.setGuestRunning(runState == .running)
        // A disk error policy of stop (or enospc when full) stops the guest.
        block.onGuestStopRequest = { [unowned self] _ in setRunState(.ioError) }
        if configuration.startState == .inmigrate, let uri = configuration.incomingURI, uri != "defer" {
            migration.startIncomingAtLaunch(uri: uri)
        }
    }

    /// A VM built from a configuration known to be valid (the default disks, or disks checked
    /// beforehand).
    public convenience init(configuration: MachineConfiguration = MachineConfiguration()) {
        do {
            try self.init(validating: configuration)
        } catch {
            preconditionFailure("invalid machine configuration: \(error)")
        }
    }

    // MARK: - Time

    /// Moves the model forward to `time`, running every migration step, dirty-rate
    /// measurement and block job step that falls in between, in order.
    public func advance(to time: ModelTime) {
        var stepsAtThisInstant = 0
        while now < time {
            var next = time
            if let t = migration.nextEventTime, t < next { next = max(t, now) }
            if let t = dirtyRateMeter.deadline, t < next { next = max(t, now) }
            if let t = nextLinkDrop, t < next { next = max(t, now) }
            // Block events can stop the guest (error policies), which changes its dirtying.
            if let (t, _) = block.nextOccurrence(notAfter: next), t < next { next = max(t, now) }
            integrate(until: next)
            let before = now
            now = next
            block.advance(to: now)
            if consumeLinkDrops() { migration.linkDropped() }
            migration.fireDueEvents()
            dirtyRateMeter.finishIfDue(at: now, pageSize: configuration.pageSize)
            stepsAtThisInstant = now == before ? stepsAtThisInstant + 1 : 0
            precondition(stepsAtThisInstant < 10_000, "model made no progress at \(now)")
        }
        // Events due exactly now (e.g. a zero-length step) still run.
        if consumeLinkDrops() { migration.linkDropped() }
        migration.fireDueEvents()
        dirtyRateMeter.finishIfDue(at: now, pageSize: configuration.pageSize)
        block.advance(to: max(time, now))
    }

    /// Lets continuous processes (guest writes, page sending) run from `now` to `end`.
    private func integrate(until end: ModelTime) {
        guard end > now else { return }
        let seconds = (end - now).seconds
        let rates = vcpuDirtyRates()
        let total = rates.reduce(0, +)
        let hot = hotPages
        migration.integrate(seconds: seconds, guestDirtyRate: total, hotPages: hot)
        pagesWrittenCarry += total * seconds
        if pagesWrittenCarry >= 1 {
            let whole = pagesWrittenCarry.rounded(.down)
            pagesWritten &+= UInt64(min(whole, 1e18))
            pagesWrittenCarry -= whole
        }
        dirtyRateMeter.integrate(seconds: seconds, vcpuRates: rates, hotPages: hot)
    }

    // MARK: - Guest

    /// Pages of RAM holding only zeroes.
    public var zeroPages: UInt64 { configuration.totalPages * UInt64(workload.zeroPercent) / 100 }

    /// Pages the guest's writes fall into (at most the non-zero part of RAM).
    public var hotPages: Double {
        Double(min(workload.hotSetBytes / configuration.pageSize, configuration.totalPages - zeroPages))
    }

    /// Pages each vCPU dirties per second right now: the workload shared evenly, slowed by the
    /// auto-converge throttle, capped by dirty limits; zero unless the guest runs.
    public func vcpuDirtyRates() -> [Double] {
        guard runState == .running else { return Array(repeating: 0, count: configuration.vcpus) }
        let share = Double(workload.dirtyPagesPerSecond) / Double(configuration.vcpus)
        let throttled = share * (1 - Double(migration.throttlePercentage) / 100)
        return dirtyLimits.map { limit in
            guard let limit else { return throttled }
            return min(throttled, Double(limit) * Double(1 << 20) / Double(configuration.pageSize))
        }
    }

    /// Total pages per second the guest dirties right now.
    public var effectiveDirtyRate: Double { vcpuDirtyRates().reduce(0, +) }

    /// Changes the memory workload from now on.
    public func setWorkload(_ workload: GuestWorkload) {
        self.workload = workload
    }

    // MARK: - Run state

    /// `query-status`.
    public var statusInfo: StatusInfo { StatusInfo(running: runState == .running, status: runState) }

    /// `stop`: pauses a running guest; on an incoming VM it only cancels autostart.
    public func stop() {
        if runState == .inmigrate {
            autostart = false
        } else if runState == .running {
            setRunState(.paused)
        }
    }

    /// `cont`, with QEMU's refusals.
    public func cont() throws(QMPError) {
        switch runState {
        case .internalError, .shutdown:
            throw QMPError.generic("Resetting the Virtual Machine is required")
        case .suspended:
            return
        case .finishMigrate:
            throw QMPError.generic("Migration is not finalized yet")
        case .inmigrate:
            autostart = true
        default:
            setRunState(.running)
        }
    }

    /// Changes the run state and emits STOP / RESUME as QEMU does when the guest stops or starts.
    func setRunState(_ state: RunState) {
        guard state != runState else { return }
        let wasRunning = runState == .running
        runState = state
        block.setGuestRunning(state == .running)
        if wasRunning && state != .running {
            events.emit(StopEvent(), at: now)
        } else if !wasRunning && state == .running {
            events.emit(ResumeEvent(), at: now)
        }
    }

    // MARK: - Link faults

    /// Arms a fault on the link.
    public func injectFault(_ fault: LinkFault) { faults.append(fault) }

    /// Removes every armed fault.
    public func clearFaults() { faults.removeAll() }

    /// Whether a connection to `peer` is refused by an armed fault.
    func refusesConnection(to peer: String) -> Bool {
        faults.contains { fault in
            if case .refuseConnection(let host) = fault { return host == nil || host == peer }
            return false
        }
    }

    /// The earliest armed link drop, if any.
    var nextLinkDrop: ModelTime? {
        faults.compactMap { fault -> ModelTime? in
            if case .dropLink(let time) = fault { return time }
            return nil
        }.min()
    }

    /// Disarms link drops due by now (they are one-shot).
    func consumeLinkDrops() -> Bool {
        let due = faults.contains { if case .dropLink(let t) = $0 { return t <= now } else { return false } }
        faults.removeAll { if case .dropLink(let t) = $0 { return t <= now } else { return false } }
        return due
    }

    // MARK: - Helpers for the subsystems

    func allocateThreadIDs(_ count: Int) -> [Int64] {
        defer { nextThreadID += Int64(count) }
        return (0..<Int64(count)).map { nextThreadID + $0 }
    }

    func setDirtyLimit(_ limit: UInt64?, vcpu: Int) { dirtyLimits[vcpu] = limit }
    func setDirtyLimitAll(_ limit: UInt64?) { dirtyLimits = Array(repeating: limit, count: configuration.vcpus) }
    func setAutostart(_ on: Bool) { autostart = on }
}
