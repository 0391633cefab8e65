import QAPI

/// Fixed migration states for golden tests, shaped like what QEMU reports in each state.
enum MigrationFixtures {
    static let none = MigrationInfo()

    static let setup = MigrationInfo(status: .setup)

    static let activeRAM = MigrationStats(
        transferred: 1_514_001_408, remaining: 2_641_313_792, total: 4_316_200_960, duplicate: 41195, normal: 367_713,
        normalBytes: 1_506_152_448, dirtyPagesRate: 4, mbps: 1342.83, dirtySyncCount: 2, postcopyRequests: 0,
        pageSize: 4096, multifdBytes: 0, pagesPerSecond: 40900, precopyBytes: 15_938_355, downtimeBytes: 0,
        postcopyBytes: 0, dirtySyncMissedZeroCopy: 0)

    /// Precopy with XBZRLE and auto-converge throttling.
    static let active = MigrationInfo(
        status: .active, ram: activeRAM,
        xbzrleCache: XBZRLECacheStats(
            cacheSize: 67_108_864, bytes: 1_048_576, pages: 256, cacheMiss: 12, cacheMissRate: 0.047, encodingRate: 3.5,
            overflow: 1),
        totalTime: 12346, expectedDowntime: 300, setupTime: 15, cpuThrottlePercentage: 30)

    static let completed = MigrationInfo(
        status: .completed,
        ram: MigrationStats(
            transferred: 806_354_944, remaining: 0, total: 8_729_395_200, duplicate: 2_029_683, normal: 191_883,
            normalBytes: 785_952_768, dirtyPagesRate: 0, mbps: 577.4, dirtySyncCount: 4, postcopyRequests: 0,
            pageSize: 4096, multifdBytes: 0, pagesPerSecond: 35400, precopyBytes: 773_849_088, downtimeBytes: 32_312_649,
            postcopyBytes: 0, dirtySyncMissedZeroCopy: 0),
        totalTime: 11179, downtime: 46, setupTime: 8)

    static let failed = MigrationInfo(status: .failed, errorDesc: "Unable to write to socket: Broken pipe")

    static let postcopyPaused = MigrationInfo(
        status: .postcopyPaused,
        ram: MigrationStats(
            transferred: 1_513_975_808, remaining: 2_641_313_792, total: 4_316_200_960, duplicate: 41195, normal: 367_713,
            normalBytes: 1_506_152_448, dirtyPagesRate: 0, mbps: 0, dirtySyncCount: 2, postcopyRequests: 57503,
            pageSize: 4096, multifdBytes: 0, pagesPerSecond: 0, precopyBytes: 15_938_355, downtimeBytes: 0,
            postcopyBytes: 1_492_501_012, dirtySyncMissedZeroCopy: 0),
        totalTime: 47317, downtime: 8, setupTime: 5,
        errorDesc: "Detected IO failure for postcopy. Migration paused.",
        postcopyBlocktime: 712, postcopyVcpuBlocktime: [1633, 1635, 1710, 2097, 2595, 1993, 1958, 1214, 1310, 1064, 1112, 1400])

    /// The destination while it listens: a status and its sockets only.
    static let incoming = MigrationInfo(
        status: .setup,
        socketAddress: [.inet(InetSocketAddress(host: "0.0.0.0", port: "4444")), .unix(UnixSocketAddress(path: "/tmp/mig.sock"))])

    static let blocked = MigrationInfo(blockedReasons: ["non-migratable device: vfio-pci", "a VirtFS export is mounted"])

    static let defaultParameters = MigrationParameters(
        announceInitial: 50, announceMax: 550, announceRounds: 5, announceStep: 100, throttleTriggerThreshold: 50,
        cpuThrottleInitial: 20, cpuThrottleIncrement: 10, cpuThrottleTailslow: false, tlsCreds: "", tlsHostname: "",
        tlsAuthz: "", maxBandwidth: 134_217_728, availSwitchoverBandwidth: 0, downtimeLimit: 300, xCheckpointDelay: 20000,
        multifdChannels: 2, xbzrleCacheSize: 67_108_864, maxPostcopyBandwidth: 0, maxCpuThrottle: 99,
        multifdCompression: MultiFDCompression.none, multifdZlibLevel: 1, multifdZstdLevel: 1, xVcpuDirtyLimitPeriod: 1000,
        vcpuDirtyLimit: 1, mode: .normal, zeroPageDetection: .multifd)

    static var changedParameters: MigrationParameters {
        var p = defaultParameters
        p.maxBandwidth = 1_610_612_736
        p.downtimeLimit = 500
        p.tlsCreds = "tls0"
        p.cpuThrottleTailslow = true
        p.multifdChannels = 8
        p.multifdCompression = .zstd
        p.multifdZstdLevel = 5
        p.xbzrleCacheSize = 1_000_000
        p.directIo = false
        p.blockBitmapMapping = [
            BitmapMigrationNodeAlias(
                nodeName: "disk0", alias: "d0", bitmaps: [BitmapMigrationBitmapAlias(name: "bitmap0", alias: "b0")])
        ]
        return p
    }

    static func capabilities(on: Set<MigrationCapability> = []) -> [MigrationCapabilityStatus] {
        MigrationCapability.allCases.map { MigrationCapabilityStatus(capability: $0, state: on.contains($0)) }
    }
}
