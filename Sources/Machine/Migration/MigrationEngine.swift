import QAPI

/// The migration engine of one VM: capabilities and parameters with QEMU's rules, the
/// outgoing migration's state machine (precopy, switch-over, postcopy, recovery, cancel,
/// failure), and the incoming side.
///
/// Simulation is analytic and pass by pass: between two events the engine knows the
/// bandwidth, the page mix and the guest's write rate, so it computes when the next bitmap
/// sync (or switch-over end, or postcopy end) happens and jumps there.
public final class MigrationEngine {
    /// The VM this engine belongs to; the engine lives only as long as its VM.
    unowned let machine: VirtualMachine

    public private(set) var status: MigrationStatus = .none
    public private(set) var capabilities = CapabilitySet()
    public private(set) var settings = MigrationSettings()
    /// The error of the failed (or paused postcopy) migration, as QEMU's `error-desc`.
    public internal(set) var errorDescription: String?
    /// Auto-converge's CPU throttle in percent; 0 when not throttling.
    public internal(set) var throttlePercentage = 0
    /// The incoming side of this VM.
    public internal(set) var incoming = IncomingMigration()

    var run: MigrationRun?
    /// The stream an incoming connection is delivering.
    var incomingStream: IncomingStream?
    /// QEMU remembers that the current (or last) migration used RDMA; capability changes are
    /// then checked against RDMA's limits.
    var rdmaInUse = false

    init(machine: VirtualMachine) {
        self.machine = machine
    }

    // MARK: - Capabilities and parameters

    /// QEMU's `migration_is_running`.
    public var isRunning: Bool {
        switch status {
        case .setup, .active, .postcopyActive, .postcopyPaused, .postcopyRecoverSetup, .postcopyRecover,
            .preSwitchover, .device, .waitUnplug, .cancelling, .colo:
            true
        case .none, .cancelled, .completed, .failed:
            false
        }
    }

    /// QEMU's `migration_in_postcopy`.
    public var inPostcopy: Bool {
        switch status {
        case .postcopyActive, .postcopyPaused, .postcopyRecoverSetup, .postcopyRecover: true
        default: false
        }
    }

    /// `query-migrate-capabilities`.
    public var capabilityList: [MigrationCapabilityStatus] { capabilities.statusList }

    /// `migrate-set-capabilities`: all or nothing, checked as a whole against QEMU's rules.
    public func setCapabilities(_ changes: [MigrationCapabilityStatus]) throws(QMPError) {
        if isRunning { throw QMPError.generic("There's a migration process in progress") }
        var proposed = capabilities
        for change in changes { proposed[change.capability] = change.state }
        try CapabilityRules.check(old: capabilities, new: proposed, context: checkContext)
        capabilities = proposed
    }

    /// `query-migrate-parameters`.
    public var parameters: MigrationParameters { settings.parameters(host: machine.configuration.host) }

    /// `migrate-set-parameters`: apply to a copy, check the whole, then commit; a rejected call
    /// changes nothing. Changes that matter to a running migration take effect at once.
    public func setParameters(_ changes: MigrateSetParameters) throws(QMPError) {
        let proposed = settings.applying(changes)
        try proposed.check(
            pageSize: machine.configuration.pageSize, capabilities: capabilities, host: machine.configuration.host)
        settings = proposed
    }

    var checkContext: CapabilityCheckContext {
        CapabilityCheckContext(
            host: machine.configuration.host, settings: settings, inMigrate: machine.runState == .inmigrate,
            incomingStarted: incoming.started, rdmaInUse: rdmaInUse)
    }

    // MARK: - State changes

    /// Moves to `newStatus`, emitting MIGRATION when the `events` capability is on.
    func setStatus(_ newStatus: MigrationStatus) {
        guard newStatus != status else { return }
        status = newStatus
        if capabilities[.events] { machine.events.emit(MigrationEvent(status: newStatus), at: machine.now) }
    }

    /// Emits MIGRATION_PASS for the current dirty-sync count.
    func emitPass() {
        guard let run, capabilities[.events] else { return }
        machine.events.emit(MigrationPassEvent(pass: Int64(run.ram.counters.syncCount)), at: machine.now)
    }

    func setError(_ text: String?) { errorDescription = text }

    func setThrottle(_ percent: Int) { throttlePercentage = percent }
}
