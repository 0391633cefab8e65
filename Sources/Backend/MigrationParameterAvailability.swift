import QAPI

extension MigrationParameter {
    /// The QEMU release that first accepted the parameter (the schema's "since"), so a backend
    /// talking to an older QEMU can refuse it before sending. The switch is exhaustive: a
    /// parameter the schema gains does not build until its release is written here.
    public var introducedIn: (major: Int, minor: Int) {
        switch self {
        case .cpuThrottleInitial, .cpuThrottleIncrement, .tlsCreds, .tlsHostname: (2, 7)
        case .maxBandwidth, .downtimeLimit, .xCheckpointDelay: (2, 8)
        case .xbzrleCacheSize: (2, 11)
        case .maxPostcopyBandwidth: (3, 0)
        case .maxCpuThrottle: (3, 1)
        case .announceInitial, .announceMax, .announceRounds, .announceStep, .tlsAuthz, .multifdChannels: (4, 0)
        case .throttleTriggerThreshold, .multifdCompression, .multifdZlibLevel, .multifdZstdLevel: (5, 0)
        case .cpuThrottleTailslow: (5, 1)
        case .blockBitmapMapping: (5, 2)
        case .xVcpuDirtyLimitPeriod, .vcpuDirtyLimit: (8, 1)
        case .availSwitchoverBandwidth, .mode: (8, 2)
        case .zeroPageDetection: (9, 0)
        case .directIo: (9, 1)
        }
    }
}
