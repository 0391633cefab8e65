import QAPI

@testable import HMP

/// A small stand-in for the VM's migration and dirty-rate engines on `TestBackend`: it keeps
/// parameters and capabilities, applies a few of QEMU's rules with QEMU's texts, and plays a
/// migration as a function of the time waited since `migrate`.
final class MigrationFake {
    let backend = TestBackend()
    var parameters = MigrationFixtures.defaultParameters
    var capabilities: [MigrationCapability: Bool] = [:]
    /// The last arguments each command received, in wire form.
    var received: [String: JSONValue] = [:]
    /// What `query-migrate` answers when no migration runs.
    var idle = MigrationInfo()
    /// The running migration, by nanoseconds waited since it started.
    var timeline: ((UInt64) -> MigrationInfo)?
    /// What the next `migrate` plays; the default completes after two seconds.
    var plan: (UInt64) -> MigrationInfo = MigrationFake.completesAfter(seconds: 2)
    var startedAt: UInt64 = 0
    var dirtyRate = DirtyRateInfo(
        status: .unstarted, startTime: 0, calcTime: 0, calcTimeUnit: .second, samplePages: 512, mode: .pageSampling)
    var limits: [DirtyLimitInfo] = []
    /// Whether KVM's dirty ring is on (the dirty limit needs it).
    var dirtyRing = true

    var info: MigrationInfo { timeline.map { $0(backend.waited - startedAt) } ?? idle }

    /// The handlers hold the fake, so a session alone keeps it alive (a cycle, fine in tests).
    init() { register() }

    func session(_ format: OutputFormat = .table) -> HMPSession { HMPSession(backend: backend, format: format) }

    /// Setup for 100 ms, then a precopy that sends 4 GiB evenly, then completed.
    static func completesAfter(seconds: UInt64) -> (UInt64) -> MigrationInfo {
        { waited in
            if waited < 100_000_000 { return MigrationFixtures.setup }
            let total: Int64 = 4 << 30
            let elapsedMs = Int64(waited / 1_000_000)
            if waited >= seconds * 1_000_000_000 {
                var done = MigrationFixtures.completed
                done.totalTime = elapsedMs
                return done
            }
            var ram = MigrationFixtures.activeRAM
            ram.total = total
            ram.remaining = total - total * elapsedMs / Int64(seconds * 1000)
            ram.transferred = total - ram.remaining
            ram.dirtySyncCount = 1 + elapsedMs / 500
            return MigrationInfo(status: .active, ram: ram, totalTime: elapsedMs, expectedDowntime: 300, setupTime: 15)
        }
    }

    private func record<A: QAPIType>(_ name: String, _ arguments: A) { received[name] = arguments.qapi }

    private func migrationRuns() -> Bool {
        switch info.status {
        case .setup?, .active?, .postcopyActive?, .postcopyPaused?, .postcopyRecover?, .preSwitchover?, .device?,
            .cancelling?:
            true
        default: false
        }
    }

    private func register() {
        let d = backend.dispatcher
        d.register(QueryMigrateCommand.self) { [self] _ in info }
        d.register(MigrateCommand.self) { [self] args throws(QMPError) in
            record("migrate", args)
            let uri = args.uri ?? ""
            let schemes = ["tcp:", "unix:", "exec:", "file:", "rdma:", "vsock:", "fd:"]
            guard schemes.contains(where: uri.hasPrefix) else { throw .generic("unknown migration protocol: \(uri)") }
            if args.resume == true {
                guard info.status == .postcopyPaused else { throw .generic("Cannot resume if there is no paused migration") }
            } else if migrationRuns() {
                throw .generic("There's a migration process in progress")
            }
            startedAt = backend.waited
            timeline = plan
            return QAPIEmpty()
        }
        d.register(MigrateCancelCommand.self) { [self] _ throws(QMPError) in
            if let status = info.status, status.rawValue.hasPrefix("postcopy") {
                throw .generic("Postcopy migration in progress, cannot cancel.")
            }
            if migrationRuns() {
                idle = MigrationInfo(status: .cancelled)
                timeline = nil
            }
            return QAPIEmpty()
        }
        d.register(MigrateContinueCommand.self) { [self] args throws(QMPError) in
            record("migrate-continue", args)
            let current = info.status ?? .none
            guard current == args.state else { throw .generic("Migration not in expected state: \(current.rawValue)") }
            return QAPIEmpty()
        }
        d.register(MigrateIncomingCommand.self) { [self] args in
            record("migrate-incoming", args)
            return QAPIEmpty()
        }
        d.register(MigrateRecoverCommand.self) { [self] args throws(QMPError) in
            record("migrate-recover", args)
            guard info.status == .postcopyPaused else {
                throw .generic("Migrate recover can only be run when postcopy is paused.")
            }
            return QAPIEmpty()
        }
        d.register(MigratePauseCommand.self) { [self] _ throws(QMPError) in
            guard info.status == .postcopyActive else {
                throw .generic("migrate-pause is currently only supported during postcopy-active or postcopy-recover state")
            }
            return QAPIEmpty()
        }
        d.register(MigrateStartPostcopyCommand.self) { [self] _ throws(QMPError) in
            guard capabilities[.postcopyRam] == true else {
                throw .generic("Enable postcopy with migrate_set_capability before the start of migration")
            }
            return QAPIEmpty()
        }
        d.register(MigrateSetCapabilitiesCommand.self) { [self] args throws(QMPError) in
            record("migrate-set-capabilities", args)
            if migrationRuns() { throw .generic("There's a migration process in progress") }
            var next = capabilities
            for c in args.capabilities { next[c.capability] = c.state }
            if next[.multifd] == true && next[.xbzrle] == true { throw .generic("Multifd is not compatible with xbzrle") }
            capabilities = next
            return QAPIEmpty()
        }
        d.register(QueryMigrateCapabilitiesCommand.self) { [self] _ in
            MigrationCapability.allCases.map { MigrationCapabilityStatus(capability: $0, state: capabilities[$0] ?? false) }
        }
        d.register(MigrateSetParametersCommand.self) { [self] args throws(QMPError) in
            record("migrate-set-parameters", args)
            if let v = args.cpuThrottleInitial, !(1...99).contains(v) {
                throw .generic("Parameter 'cpu_throttle_initial' expects an integer in the range of 1 to 99")
            }
            if let v = args.downtimeLimit, v > 2_000_000 {
                throw .generic("Parameter 'downtime_limit' expects an integer in the range of 0 to (2000 * 1000) ms")
            }
            if let v = args.xbzrleCacheSize, v & (v - 1) != 0 || v < 4096 {
                throw .generic("Parameter 'xbzrle_cache_size' expects a power of two no less than the target page size")
            }
            parameters = Self.merge(args, into: parameters)
            return QAPIEmpty()
        }
        d.register(QueryMigrateParametersCommand.self) { [self] _ in parameters }

        d.register(CalcDirtyRateCommand.self) { [self] args throws(QMPError) in
            record("calc-dirty-rate", args)
            guard (50...60000).contains(args.calcTime * 1000) else {
                throw .generic("Calculation time is out of range [50ms, 60000ms].")
            }
            if dirtyRate.status == .measuring { throw .generic("the dirty rate is already being measured.") }
            dirtyRate = DirtyRateInfo(
                status: .measuring, startTime: 1_700_000_000, calcTime: args.calcTime, calcTimeUnit: .second,
                samplePages: UInt64(args.samplePages ?? 512), mode: args.mode ?? .pageSampling)
            return QAPIEmpty()
        }
        d.register(QueryDirtyRateCommand.self) { [self] _ in dirtyRate }
        d.register(SetVcpuDirtyLimitCommand.self) { [self] args throws(QMPError) in
            record("set-vcpu-dirty-limit", args)
            guard dirtyRing else {
                throw .generic("dirty page limit feature requires KVM with accelerator property 'dirty-ring-size' set")
            }
            if let cpu = args.cpuIndex, !(0..<2).contains(cpu) { throw .generic("incorrect cpu index specified") }
            for cpu in args.cpuIndex.map({ [$0] }) ?? [0, 1] {
                limits.removeAll { $0.cpuIndex == cpu }
                if args.dirtyRate > 0 { limits.append(DirtyLimitInfo(cpuIndex: cpu, limitRate: args.dirtyRate, currentRate: 0)) }
            }
            limits.sort { $0.cpuIndex < $1.cpuIndex }
            return QAPIEmpty()
        }
        d.register(CancelVcpuDirtyLimitCommand.self) { [self] args throws(QMPError) in
            record("cancel-vcpu-dirty-limit", args)
            if let cpu = args.cpuIndex, !(0..<2).contains(cpu) { throw .generic("incorrect cpu index specified") }
            limits.removeAll { args.cpuIndex == nil || $0.cpuIndex == args.cpuIndex }
            return QAPIEmpty()
        }
        d.register(QueryVcpuDirtyLimitCommand.self) { [self] _ in limits }
    }

    /// The parameters after a `migrate-set-parameters`: the members given replace the old ones
    /// (a null TLS string means empty, as in QEMU).
    static func merge(_ change: MigrateSetParameters, into parameters: MigrationParameters) -> MigrationParameters {
        guard case .object(var merged) = parameters.qapi, case .object(let changes) = change.qapi else { return parameters }
        for member in changes {
            merged[member.key] = member.value == .null ? .string("") : member.value
        }
        return (try? MigrationParameters(qapi: .object(merged))) ?? parameters
    }
}
