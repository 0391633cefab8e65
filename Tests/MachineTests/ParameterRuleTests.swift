import QAPI
import Testing
import TestSupport

@testable import Machine

@Suite struct ParameterRuleTests {
    @Test func defaultsAreQEMUs() {
        let vm = makeVM()
        let p = vm.migration.parameters
        #expect(p.announceInitial == 50 && p.announceMax == 550 && p.announceRounds == 5 && p.announceStep == 100)
        #expect(p.throttleTriggerThreshold == 50 && p.cpuThrottleInitial == 20 && p.cpuThrottleIncrement == 10)
        #expect(p.cpuThrottleTailslow == false && p.maxCpuThrottle == 99)
        #expect(p.tlsCreds == "" && p.tlsHostname == "" && p.tlsAuthz == "")
        #expect(p.maxBandwidth == 134_217_728 && p.availSwitchoverBandwidth == 0 && p.maxPostcopyBandwidth == 0)
        #expect(p.downtimeLimit == 300 && p.xCheckpointDelay == 20_000)
        #expect(p.multifdChannels == 2 && p.multifdCompression == MultiFDCompression.none)
        #expect(p.multifdZlibLevel == 1 && p.multifdZstdLevel == 1)
        #expect(p.xbzrleCacheSize == 67_108_864)
        #expect(p.blockBitmapMapping == nil)
        #expect(p.xVcpuDirtyLimitPeriod == 1000 && p.vcpuDirtyLimit == 1)
        #expect(p.mode == .normal && p.zeroPageDetection == .multifd && p.directIo == false)
    }

    struct Edge: Sendable, CustomStringConvertible {
        var set: MigrateSetParameters
        var error: String?
        var description: String { "\(set.qapi) -> \(error ?? "ok")" }
    }

    static func edge(_ error: String?, _ build: (inout MigrateSetParameters) -> Void) -> Edge {
        var p = MigrateSetParameters()
        build(&p)
        return Edge(set: p, error: error)
    }

    static let ttt = "Parameter 'throttle_trigger_threshold' expects an integer in the range of 1 to 100"
    static let cti = "Parameter 'cpu_throttle_initial' expects an integer in the range of 1 to 99"
    static let ctinc = "Parameter 'cpu_throttle_increment' expects an integer in the range of 1 to 99"
    static let down = "Parameter 'downtime_limit' expects an integer in the range of 0 to (2000 * 1000) ms"
    static let chan = "Parameter 'multifd_channels' expects a value between 1 and 255"
    static let zlib = "Parameter 'multifd_zlib_level' expects a value between 0 and 9"
    static let zstd = "Parameter 'multifd_zstd_level' expects a value between 0 and 20"
    static let cache = "Parameter 'xbzrle_cache_size' expects a power of two no less than the target page size"
    static let maxThrottle = "Parameter 'max_cpu_throttle' expects an integer in the range of cpu_throttle_initial to 99"
    static let annInit = "Parameter 'announce_initial' expects a value between 0 and 100000"
    static let annMax = "Parameter 'announce_max' expects a value between 0 and 100000"
    static let annRounds = "Parameter 'announce_rounds' expects a value between 0 and 1000"
    static let annStep = "Parameter 'announce_step' expects a value between 0 and 10000"
    static let period = "Parameter 'x-vcpu-dirty-limit-period' expects a value between 1 and 1000"
    static let vcpuLimit = "Parameter 'vcpu_dirty_limit' must be greater than 1 MB/s"

    static let edges: [Edge] = [
        edge(ttt) { $0.throttleTriggerThreshold = 0 }, edge(nil) { $0.throttleTriggerThreshold = 1 },
        edge(nil) { $0.throttleTriggerThreshold = 100 }, edge(ttt) { $0.throttleTriggerThreshold = 101 },
        edge(cti) { $0.cpuThrottleInitial = 0 }, edge(nil) { $0.cpuThrottleInitial = 1 },
        edge(nil) { $0.cpuThrottleInitial = 99 }, edge(cti) { $0.cpuThrottleInitial = 100 },
        edge(ctinc) { $0.cpuThrottleIncrement = 0 }, edge(nil) { $0.cpuThrottleIncrement = 1 },
        edge(nil) { $0.cpuThrottleIncrement = 99 }, edge(ctinc) { $0.cpuThrottleIncrement = 100 },
        edge(nil) { $0.downtimeLimit = 0 }, edge(nil) { $0.downtimeLimit = 2_000_000 },
        edge(down) { $0.downtimeLimit = 2_000_001 },
        edge(chan) { $0.multifdChannels = 0 }, edge(nil) { $0.multifdChannels = 1 },
        edge(nil) { $0.multifdChannels = 255 },
        edge(nil) { $0.multifdZlibLevel = 0 }, edge(nil) { $0.multifdZlibLevel = 9 },
        edge(zlib) { $0.multifdZlibLevel = 10 },
        edge(nil) { $0.multifdZstdLevel = 0 }, edge(nil) { $0.multifdZstdLevel = 20 },
        edge(zstd) { $0.multifdZstdLevel = 21 },
        edge(cache) { $0.xbzrleCacheSize = 2048 }, edge(cache) { $0.xbzrleCacheSize = 4095 },
        edge(nil) { $0.xbzrleCacheSize = 4096 }, edge(cache) { $0.xbzrleCacheSize = 12288 },
        edge(nil) { $0.xbzrleCacheSize = 1 << 40 },
        edge(maxThrottle) { $0.maxCpuThrottle = 19 }, edge(nil) { $0.maxCpuThrottle = 20 },
        edge(nil) { $0.maxCpuThrottle = 99 }, edge(maxThrottle) { $0.maxCpuThrottle = 100 },
        edge(maxThrottle) {
            $0.cpuThrottleInitial = 60; $0.maxCpuThrottle = 59
        },
        edge(nil) { $0.announceInitial = 100_000 }, edge(annInit) { $0.announceInitial = 100_001 },
        edge(nil) { $0.announceMax = 100_000 }, edge(annMax) { $0.announceMax = 100_001 },
        edge(nil) { $0.announceRounds = 1000 }, edge(annRounds) { $0.announceRounds = 1001 },
        edge(annStep) { $0.announceStep = 0 }, edge(nil) { $0.announceStep = 1 },
        edge(nil) { $0.announceStep = 10_000 }, edge(annStep) { $0.announceStep = 10_001 },
        edge(period) { $0.xVcpuDirtyLimitPeriod = 0 }, edge(nil) { $0.xVcpuDirtyLimitPeriod = 1 },
        edge(nil) { $0.xVcpuDirtyLimitPeriod = 1000 }, edge(period) { $0.xVcpuDirtyLimitPeriod = 1001 },
        edge(vcpuLimit) { $0.vcpuDirtyLimit = 0 }, edge(nil) { $0.vcpuDirtyLimit = 1 },
        edge(nil) { $0.maxBandwidth = 0 }, edge(nil) { $0.maxBandwidth = UInt64.max },
        edge(nil) { $0.availSwitchoverBandwidth = UInt64.max },
    ]

    @Test(arguments: edges)
    func rangeEdges(_ edge: Edge) throws {
        let vm = makeVM()
        let before = vm.migration.parameters
        if let error = edge.error {
            expectError(error) { () throws(QMPError) in try vm.migration.setParameters(edge.set) }
            #expect(vm.migration.parameters == before)
        } else {
            try vm.migration.setParameters(edge.set)
            #expect(vm.migration.parameters == MigrationSettings().applying(edge.set).parameters(host: HostDescription()))
        }
    }

    @Test func rangeChecksLookAtTheWholeSet() throws {
        let vm = makeVM()
        try vm.migration.setParameters(MigrateSetParameters(maxCpuThrottle: 40))
        // Raising the initial throttle above the maximum breaks the maximum's rule.
        expectError(Self.maxThrottle) { () throws(QMPError) in
            try vm.migration.setParameters(MigrateSetParameters(cpuThrottleInitial: 50))
        }
        #expect(vm.migration.parameters.cpuThrottleInitial == 20)
    }

    @Test func tlsNullMeansEmpty() throws {
        let vm = makeVM()
        try vm.migration.setParameters(MigrateSetParameters(tlsCreds: .s("tls0"), tlsHostname: .s("dst"), tlsAuthz: .s("authz0")))
        #expect(vm.migration.parameters.tlsCreds == "tls0")
        try vm.migration.setParameters(MigrateSetParameters(tlsCreds: .n, tlsHostname: .n, tlsAuthz: .n))
        let p = vm.migration.parameters
        #expect(p.tlsCreds == "" && p.tlsHostname == "" && p.tlsAuthz == "")
    }

    @Test func capabilityDependentParameterRules() throws {
        let vm = makeVM()
        try vm.migration.setCapabilities(caps(.mappedRam))
        expectError("Mapped-ram only available for non-compressed non-TLS multifd migration") { () throws(QMPError) in
            try vm.migration.setParameters(MigrateSetParameters(tlsCreds: .s("tls0")))
        }
        let noDirect = makeVM(host: HostDescription(directIO: false))
        expectError("No build-time support for direct-io") { () throws(QMPError) in
            try noDirect.migration.setParameters(MigrateSetParameters(directIo: true))
        }
        #expect(noDirect.migration.parameters.directIo == nil)
    }

    static func node(_ name: String, _ alias: String, _ bitmaps: [(String, String)] = []) -> BitmapMigrationNodeAlias {
        BitmapMigrationNodeAlias(
            nodeName: name, alias: alias, bitmaps: bitmaps.map { BitmapMigrationBitmapAlias(name: $0.0, alias: $0.1) })
    }

    @Test(arguments: [
        ([node("disk0", "1bad")], "The node alias '1bad' is not well-formed"),
        ([node("disk0", "")], "The node alias '' is not well-formed"),
        (
            [node(String(repeating: "n", count: 32), "a")],
            "The node name '\(String(repeating: "n", count: 32))' is longer than 31 bytes"
        ),
        ([node("disk0", "a"), node("disk0", "b")], "The node name 'disk0' is mapped twice"),
        ([node("disk0", "a"), node("disk1", "a")], "The node alias 'a' is used twice"),
        ([node("disk0", "a", [("b0", "x"), ("b0", "y")])], "The bitmap 'disk0'/'b0' is mapped twice"),
        ([node("disk0", "a", [("b0", "x"), ("b1", "x")])], "The bitmap alias 'a'/'x' is used twice"),
        (
            [node("disk0", "a", [("b0", String(repeating: "x", count: 256))])],
            "The bitmap alias '\(String(repeating: "x", count: 256))' is longer than 255 bytes"
        ),
    ])
    func blockBitmapMappingIsValidated(_ mapping: [BitmapMigrationNodeAlias], _ text: String) {
        let vm = makeVM()
        expectError("Invalid mapping given for block-bitmap-mapping: " + text) { () throws(QMPError) in
            try vm.migration.setParameters(MigrateSetParameters(blockBitmapMapping: mapping))
        }
        #expect(vm.migration.parameters.blockBitmapMapping == nil)
    }

    @Test func validMappingIsKeptAndReported() throws {
        let vm = makeVM()
        let mapping = [Self.node("disk0", "src-disk", [("bitmap0", "bm0")]), Self.node("disk1", "d1")]
        try vm.migration.setParameters(MigrateSetParameters(blockBitmapMapping: mapping))
        #expect(vm.migration.parameters.blockBitmapMapping == mapping)
    }

    /// Property: whatever set of members a call gives, a rejected call leaves
    /// query-migrate-parameters exactly as it was, and an accepted one reflects every member.
    @Test func rejectedCallsChangeNothing() throws {
        var rng = SeededGenerator(seed: 0x5EED)
        let vm = makeVM()
        var rejected = 0
        var accepted = 0
        for _ in 0..<2000 {
            let p = randomParameters(&rng)
            let before = vm.migration.parameters
            do throws(QMPError) {
                try vm.migration.setParameters(p)
                accepted += 1
                #expect(vm.migration.parameters == MigrationSettings.from(before).applying(p).parameters(host: HostDescription()))
            } catch {
                rejected += 1
                #expect(vm.migration.parameters == before, "changed by rejected \(p.qapi): \(error.desc)")
            }
        }
        #expect(rejected > 200 && accepted > 200)
    }

    private func randomParameters(_ rng: inout SeededGenerator) -> MigrateSetParameters {
        func maybe<T>(_ value: @autoclosure () -> T) -> T? { Bool.random(using: &rng) && Bool.random(using: &rng) ? value() : nil }
        func u8(_ r: ClosedRange<UInt8>) -> UInt8 { UInt8.random(in: r, using: &rng) }
        var p = MigrateSetParameters()
        p.announceInitial = maybe(UInt64.random(in: 99_990...100_010, using: &rng))
        p.announceMax = maybe(UInt64.random(in: 0...100_002, using: &rng))
        p.announceRounds = maybe(UInt64.random(in: 995...1005, using: &rng))
        p.announceStep = maybe(UInt64.random(in: 0...3, using: &rng))
        p.throttleTriggerThreshold = maybe(u8(0...101))
        p.cpuThrottleInitial = maybe(u8(0...100))
        p.cpuThrottleIncrement = maybe(u8(0...100))
        p.cpuThrottleTailslow = maybe(Bool.random(using: &rng))
        p.tlsCreds = maybe(Bool.random(using: &rng) ? .s("tls\(u8(0...3))") : .n)
        p.maxBandwidth = maybe(UInt64.random(in: 0...(1 << 40), using: &rng))
        p.downtimeLimit = maybe(UInt64.random(in: 1_999_990...2_000_010, using: &rng))
        p.multifdChannels = maybe(u8(0...8))
        p.xbzrleCacheSize = maybe(UInt64(1) << UInt64.random(in: 10...30, using: &rng) + (Bool.random(using: &rng) ? 1 : 0))
        p.maxCpuThrottle = maybe(u8(10...100))
        p.multifdCompression = maybe(MultiFDCompression.allCases.randomElement(using: &rng)!)
        p.multifdZlibLevel = maybe(u8(0...11))
        p.multifdZstdLevel = maybe(u8(18...22))
        p.xVcpuDirtyLimitPeriod = maybe(UInt64.random(in: 0...1002, using: &rng))
        p.vcpuDirtyLimit = maybe(UInt64.random(in: 0...2, using: &rng))
        p.mode = maybe(MigMode.allCases.randomElement(using: &rng)!)
        p.zeroPageDetection = maybe(ZeroPageDetection.allCases.randomElement(using: &rng)!)
        p.directIo = maybe(Bool.random(using: &rng))
        return p
    }
}

extension MigrationSettings {
    /// Settings that answer `parameters` with `p` (for comparing expected states).
    static func from(_ p: MigrationParameters) -> MigrationSettings {
        MigrationSettings().applying(
            MigrateSetParameters(
                announceInitial: p.announceInitial, announceMax: p.announceMax, announceRounds: p.announceRounds,
                announceStep: p.announceStep, throttleTriggerThreshold: p.throttleTriggerThreshold,
                cpuThrottleInitial: p.cpuThrottleInitial, cpuThrottleIncrement: p.cpuThrottleIncrement,
                cpuThrottleTailslow: p.cpuThrottleTailslow, tlsCreds: p.tlsCreds.map { .s($0) },
                tlsHostname: p.tlsHostname.map { .s($0) }, tlsAuthz: p.tlsAuthz.map { .s($0) },
                maxBandwidth: p.maxBandwidth, availSwitchoverBandwidth: p.availSwitchoverBandwidth,
                downtimeLimit: p.downtimeLimit, xCheckpointDelay: p.xCheckpointDelay,
                multifdChannels: p.multifdChannels, xbzrleCacheSize: p.xbzrleCacheSize,
                maxPostcopyBandwidth: p.maxPostcopyBandwidth, maxCpuThrottle: p.maxCpuThrottle,
                multifdCompression: p.multifdCompression, multifdZlibLevel: p.multifdZlibLevel,
                multifdZstdLevel: p.multifdZstdLevel, blockBitmapMapping: p.blockBitmapMapping,
                xVcpuDirtyLimitPeriod: p.xVcpuDirtyLimitPeriod, vcpuDirtyLimit: p.vcpuDirtyLimit, mode: p.mode,
                zeroPageDetection: p.zeroPageDetection, directIo: p.directIo))
    }
}
