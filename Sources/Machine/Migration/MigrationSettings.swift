import QAPI

/// The migration parameters with every member present, as QEMU keeps them internally.
/// Defaults are QEMU's (migration/options.c).
public struct MigrationSettings: Sendable, Hashable {
    public var announceInitial: UInt64 = 50
    public var announceMax: UInt64 = 550
    public var announceRounds: UInt64 = 5
    public var announceStep: UInt64 = 100
    public var throttleTriggerThreshold: UInt8 = 50
    public var cpuThrottleInitial: UInt8 = 20
    public var cpuThrottleIncrement: UInt8 = 10
    public var cpuThrottleTailslow = false
    public var tlsCreds = ""
    public var tlsHostname = ""
    public var tlsAuthz = ""
    /// Bytes per second; 0 means unlimited.
    public var maxBandwidth: UInt64 = 128 << 20
    /// Bytes per second assumed at switch-over; 0 means "use the measured bandwidth".
    public var availSwitchoverBandwidth: UInt64 = 0
    /// Milliseconds.
    public var downtimeLimit: UInt64 = 300
    public var xCheckpointDelay: UInt32 = 20_000
    public var multifdChannels: UInt8 = 2
    public var xbzrleCacheSize: UInt64 = 64 << 20
    /// Bytes per second in postcopy; 0 means unlimited.
    public var maxPostcopyBandwidth: UInt64 = 0
    public var maxCpuThrottle: UInt8 = 99
    public var multifdCompression: MultiFDCompression = .none
    public var multifdZlibLevel: UInt8 = 1
    public var multifdZstdLevel: UInt8 = 1
    /// Nil until set; QEMU leaves it out of queries until then.
    public var blockBitmapMapping: [BitmapMigrationNodeAlias]?
    public var xVcpuDirtyLimitPeriod: UInt64 = 1000
    /// MB/s per vCPU.
    public var vcpuDirtyLimit: UInt64 = 1
    public var mode: MigMode = .normal
    public var zeroPageDetection: ZeroPageDetection = .multifd
    public var directIo = false

    public init() {}

    /// The settings after applying the members a `migrate-set-parameters` call gives
    /// (QEMU's `migrate_params_test_apply`). A null TLS string means the empty string.
    public func applying(_ p: MigrateSetParameters) -> MigrationSettings {
        var s = self
        if let v = p.announceInitial { s.announceInitial = v }
        if let v = p.announceMax { s.announceMax = v }
        if let v = p.announceRounds { s.announceRounds = v }
        if let v = p.announceStep { s.announceStep = v }
        if let v = p.throttleTriggerThreshold { s.throttleTriggerThreshold = v }
        if let v = p.cpuThrottleInitial { s.cpuThrottleInitial = v }
        if let v = p.cpuThrottleIncrement { s.cpuThrottleIncrement = v }
        if let v = p.cpuThrottleTailslow { s.cpuThrottleTailslow = v }
        if let v = p.tlsCreds { s.tlsCreds = v.stringValue }
        if let v = p.tlsHostname { s.tlsHostname = v.stringValue }
        if let v = p.tlsAuthz { s.tlsAuthz = v.stringValue }
        if let v = p.maxBandwidth { s.maxBandwidth = v }
        if let v = p.availSwitchoverBandwidth { s.availSwitchoverBandwidth = v }
        if let v = p.downtimeLimit { s.downtimeLimit = v }
        if let v = p.xCheckpointDelay { s.xCheckpointDelay = v }
        if let v = p.multifdChannels { s.multifdChannels = v }
        if let v = p.xbzrleCacheSize { s.xbzrleCacheSize = v }
        if let v = p.maxPostcopyBandwidth { s.maxPostcopyBandwidth = v }
        if let v = p.maxCpuThrottle { s.maxCpuThrottle = v }
        if let v = p.multifdCompression { s.multifdCompression = v }
        if let v = p.multifdZlibLevel { s.multifdZlibLevel = v }
        if let v = p.multifdZstdLevel { s.multifdZstdLevel = v }
        if let v = p.blockBitmapMapping { s.blockBitmapMapping = v }
        if let v = p.xVcpuDirtyLimitPeriod { s.xVcpuDirtyLimitPeriod = v }
        if let v = p.vcpuDirtyLimit { s.vcpuDirtyLimit = v }
        if let v = p.mode { s.mode = v }
        if let v = p.zeroPageDetection { s.zeroPageDetection = v }
        if let v = p.directIo { s.directIo = v }
        return s
    }

    /// QEMU's `migrate_params_check` over the whole set, first failure wins, with QEMU's
    /// texts (which name parameters with underscores).
    func check(pageSize: UInt64, capabilities caps: CapabilitySet, host: HostDescription) throws(QMPError) {
        func invalid(_ name: String, _ expects: String) -> QMPError {
            QMPError.generic("Parameter '\(name)' expects \(expects)")
        }
        if !(1...100).contains(throttleTriggerThreshold) {
            throw invalid("throttle_trigger_threshold", "an integer in the range of 1 to 100")
        }
        if !(1...99).contains(cpuThrottleInitial) {
            throw invalid("cpu_throttle_initial", "an integer in the range of 1 to 99")
        }
        if !(1...99).contains(cpuThrottleIncrement) {
            throw invalid("cpu_throttle_increment", "an integer in the range of 1 to 99")
        }
        // max-bandwidth and avail-switchover-bandwidth are checked against SIZE_MAX, which a
        // 64-bit size can never exceed.
        if downtimeLimit > 2_000_000 {
            throw invalid("downtime_limit", "an integer in the range of 0 to (2000 * 1000) ms")
        }
        if multifdChannels < 1 { throw invalid("multifd_channels", "a value between 1 and 255") }
        if multifdZlibLevel > 9 { throw invalid("multifd_zlib_level", "a value between 0 and 9") }
        if multifdZstdLevel > 20 { throw invalid("multifd_zstd_level", "a value between 0 and 20") }
        if xbzrleCacheSize < pageSize || xbzrleCacheSize & (xbzrleCacheSize &- 1) != 0 {
            throw invalid("xbzrle_cache_size", "a power of two no less than the target page size")
        }
        if maxCpuThrottle < cpuThrottleInitial || maxCpuThrottle > 99 {
            throw invalid("max_cpu_throttle", "an integer in the range of cpu_throttle_initial to 99")
        }
        if announceInitial > 100_000 { throw invalid("announce_initial", "a value between 0 and 100000") }
        if announceMax > 100_000 { throw invalid("announce_max", "a value between 0 and 100000") }
        if announceRounds > 1000 { throw invalid("announce_rounds", "a value between 0 and 1000") }
        // QEMU rejects 0 here while its text says 0 is allowed; the text is kept as QEMU has it.
        if announceStep < 1 || announceStep > 10_000 {
            throw invalid("announce_step", "a value between 0 and 10000")
        }
        if let mapping = blockBitmapMapping {
            do throws(QMPError) {
                try BitmapMappingCheck.check(mapping)
            } catch {
                throw QMPError.generic("Invalid mapping given for block-bitmap-mapping: \(error.desc)")
            }
        }
        if caps[.zeroCopySend] && (multifdCompression != .none || !tlsCreds.isEmpty) {
            throw QMPError.generic("Zero copy only available for non-compressed non-TLS multifd migration")
        }
        if caps[.mappedRam] && (multifdCompression != .none || !tlsCreds.isEmpty) {
            throw QMPError.generic("Mapped-ram only available for non-compressed non-TLS multifd migration")
        }
        if xVcpuDirtyLimitPeriod < 1 || xVcpuDirtyLimitPeriod > 1000 {
            throw invalid("x-vcpu-dirty-limit-period", "a value between 1 and 1000")
        }
        if vcpuDirtyLimit < 1 {
            throw QMPError.generic("Parameter 'vcpu_dirty_limit' must be greater than 1 MB/s")
        }
        if directIo && !host.directIO {
            throw QMPError.generic("No build-time support for direct-io")
        }
    }

    /// The `query-migrate-parameters` answer: every member, TLS strings empty when unset,
    /// block-bitmap-mapping only once set, direct-io only where the host can do it.
    func parameters(host: HostDescription) -> MigrationParameters {
        MigrationParameters(
            announceInitial: announceInitial, announceMax: announceMax, announceRounds: announceRounds,
            announceStep: announceStep, throttleTriggerThreshold: throttleTriggerThreshold,
            cpuThrottleInitial: cpuThrottleInitial, cpuThrottleIncrement: cpuThrottleIncrement,
            cpuThrottleTailslow: cpuThrottleTailslow, tlsCreds: tlsCreds, tlsHostname: tlsHostname,
            tlsAuthz: tlsAuthz, maxBandwidth: maxBandwidth, availSwitchoverBandwidth: availSwitchoverBandwidth,
            downtimeLimit: downtimeLimit, xCheckpointDelay: xCheckpointDelay, multifdChannels: multifdChannels,
            xbzrleCacheSize: xbzrleCacheSize, maxPostcopyBandwidth: maxPostcopyBandwidth,
            maxCpuThrottle: maxCpuThrottle, multifdCompression: multifdCompression,
            multifdZlibLevel: multifdZlibLevel, multifdZstdLevel: multifdZstdLevel,
            blockBitmapMapping: blockBitmapMapping, xVcpuDirtyLimitPeriod: xVcpuDirtyLimitPeriod,
            vcpuDirtyLimit: vcpuDirtyLimit, mode: mode, zeroPageDetection: zeroPageDetection,
            directIo: host.directIO ? directIo : nil)
    }
}

extension StrOrNull {
    /// QEMU treats a null TLS setting as the empty string.
    var stringValue: String {
        switch self {
        case .s(let s): s
        case .n: ""
        }
    }
}
