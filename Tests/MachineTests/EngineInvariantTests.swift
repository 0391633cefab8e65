import QAPI
import Testing

@testable import Machine

/// Numbers that must hold for any migration the engine runs.
@Suite struct EngineInvariantTests {
    /// Workloads from idle to busy, with and without zero pages, multifd and XBZRLE.
    struct Scenario: Sendable, CustomStringConvertible {
        var name: String
        var ram: UInt64 = 2 << 30
        var workload: GuestWorkload
        var caps: [MigrationCapability] = []
        var maxBandwidth: UInt64? = nil
        var zeroPageDetection: ZeroPageDetection? = nil
        var description: String { name }
    }

    static let scenarios: [Scenario] = [
        Scenario(name: "idle", workload: .idle(zeroPercent: 0)),
        Scenario(name: "idle with zeroes", workload: .idle(zeroPercent: 60)),
        Scenario(name: "default", workload: GuestWorkload()),
        Scenario(name: "busy", workload: GuestWorkload(dirtyPagesPerSecond: 30_000, zeroPercent: 10, hotSetBytes: 512 << 20)),
        Scenario(
            name: "busy unlimited", workload: GuestWorkload(dirtyPagesPerSecond: 60_000, zeroPercent: 10, hotSetBytes: 256 << 20),
            maxBandwidth: 0),
        Scenario(name: "multifd", workload: GuestWorkload(dirtyPagesPerSecond: 20_000), caps: [.multifd], maxBandwidth: 0),
        Scenario(name: "xbzrle", workload: GuestWorkload(dirtyPagesPerSecond: 20_000, hotSetBytes: 64 << 20), caps: [.xbzrle]),
        Scenario(name: "no zero detection", workload: GuestWorkload(zeroPercent: 50), zeroPageDetection: ZeroPageDetection.none),
        Scenario(
            name: "legacy zero detection, multifd", workload: GuestWorkload(zeroPercent: 50), caps: [.multifd],
            zeroPageDetection: .legacy),
    ]

    func run(_ s: Scenario) throws -> (VirtualMachine, MigrationInfo) {
        let vm = makeVM(ram: s.ram, workload: s.workload)
        try vm.migration.setCapabilities(s.caps.map { .init(capability: $0, state: true) })
        try vm.migration.setParameters(
            MigrateSetParameters(maxBandwidth: s.maxBandwidth, zeroPageDetection: s.zeroPageDetection))
        try vm.migration.migrate(uri: "tcp:10.0.0.2:4446", channels: nil)
        return (vm, runMigration(vm, step: .milliseconds(700)))
    }

    @Test(arguments: scenarios)
    func bytesAddUp(_ s: Scenario) throws {
        let (vm, info) = try run(s)
        #expect(info.status == .completed)
        let ram = try #require(info.ram)
        let page = Int64(vm.configuration.pageSize)
        #expect(ram.transferred == Int64(ram.precopyBytes + ram.downtimeBytes + ram.postcopyBytes))
        // Every byte is a page of some kind (with its 8-byte header) or device state.
        let multifdZero = s.caps.contains(.multifd) && (s.zeroPageDetection ?? .multifd) == .multifd
        let zeroCost: Int64 = multifdZero ? 8 : 9
        let xbzrleWire = (info.xbzrleCache?.bytes ?? 0) + (info.xbzrleCache?.pages ?? 0) * 8
        let accounted =
            ram.normal * (page + 8) + ram.duplicate * zeroCost + xbzrleWire + Int64(vm.configuration.deviceStateBytes)
        #expect(ram.transferred == accounted)
        #expect(ram.normalBytes == ram.normal * page)
        // Every page of RAM went at least once.
        let pagesSent = ram.normal + ram.duplicate + (info.xbzrleCache?.pages ?? 0)
        #expect(pagesSent >= Int64(vm.configuration.totalPages))
        if s.zeroPageDetection == ZeroPageDetection.none { #expect(ram.duplicate == 0) }
        if s.caps.contains(.multifd) { #expect(ram.multifdBytes > 0) } else { #expect(ram.multifdBytes == 0) }
    }

    @Test(arguments: scenarios)
    func remainingIsZeroAtCompletion(_ s: Scenario) throws {
        let (_, info) = try run(s)
        #expect(info.status == .completed)
        #expect(info.ram?.remaining == 0)
        #expect(info.ram?.dirtyPagesRate == 0)
        #expect(info.expectedDowntime == nil)
        #expect(info.downtime != nil && info.totalTime != nil && info.setupTime != nil)
    }

    /// When the switch-over decision uses a bandwidth the link really has, the downtime stays
    /// within the limit, whatever the workload.
    @Test(arguments: scenarios)
    func downtimeWithinLimitWhenBandwidthIsAccurate(_ s: Scenario) throws {
        let (vm, info) = try run(s)
        #expect(info.status == .completed)
        #expect(try #require(info.downtime) <= Int64(vm.migration.settings.downtimeLimit))
    }

    @Test func downtimeCanExceedTheLimitWhenTheBandwidthIsOverstated() throws {
        let vm = makeVM(
            workload: GuestWorkload(dirtyPagesPerSecond: 30_000, hotSetBytes: 512 << 20),
            link: NetworkLink(bandwidthBitsPerSecond: 1_000_000_000))
        // Claim 10x the link's speed for switch-over.
        try vm.migration.setParameters(MigrateSetParameters(maxBandwidth: 0, availSwitchoverBandwidth: 1_250_000_000))
        try vm.migration.migrate(uri: "tcp:10.0.0.2:4446", channels: nil)
        let info = runMigration(vm)
        #expect(info.status == .completed)
        #expect(try #require(info.downtime) > 300)
    }

    @Test func tooFastAWorkloadNeverConvergesWithoutAutoConverge() throws {
        let busy = GuestWorkload(dirtyPagesPerSecond: 100_000, zeroPercent: 0, hotSetBytes: 2 << 30)
        let slowLink = NetworkLink(bandwidthBitsPerSecond: 1_000_000_000)
        let vm = makeVM(ram: 4 << 30, workload: busy, link: slowLink)
        try vm.migration.setParameters(MigrateSetParameters(maxBandwidth: 0))
        try vm.migration.migrate(uri: "tcp:10.0.0.2:4446", channels: nil)
        vm.advance(to: .seconds(4 * 3600))
        #expect(vm.migration.status == .active)
        #expect(vm.migration.info().cpuThrottlePercentage == nil)

        let throttled = makeVM(ram: 4 << 30, workload: busy, link: slowLink)
        try throttled.migration.setCapabilities(caps(.autoConverge))
        try throttled.migration.setParameters(MigrateSetParameters(maxBandwidth: 0))
        try throttled.migration.migrate(uri: "tcp:10.0.0.2:4446", channels: nil)
        var sawThrottle = false
        var t = ModelTime.zero
        while throttled.migration.isRunning && t < .seconds(4 * 3600) {
            t = t + .seconds(5)
            throttled.advance(to: t)
            if (throttled.migration.info().cpuThrottlePercentage ?? 0) > 0 { sawThrottle = true }
        }
        #expect(throttled.migration.status == .completed)
        #expect(sawThrottle)
        #expect(throttled.migration.throttlePercentage == 0)  // throttling ends with the migration
        #expect(try #require(throttled.migration.info().downtime) <= 300)
    }

    @Test func sameInputsSameOutputs() throws {
        func once() throws -> (MigrationInfo, [EmittedEvent]) {
            let vm = makeVM(workload: GuestWorkload(dirtyPagesPerSecond: 25_000, hotSetBytes: 300 << 20))
            try vm.migration.setCapabilities(caps(.events, .autoConverge, .xbzrle))
            try vm.migration.migrate(uri: "tcp:10.0.0.2:4446", channels: nil)
            vm.advance(to: .milliseconds(2_345))
            try vm.migration.setParameters(MigrateSetParameters(maxBandwidth: 64 << 20))
            let info = runMigration(vm, step: .milliseconds(333))
            return (info, vm.events.drain())
        }
        let (a, ea) = try once()
        let (b, eb) = try once()
        #expect(a == b)
        #expect(ea == eb)
        #expect(!ea.isEmpty)
    }

    @Test func advancingInOneStepOrManyGivesTheSameEnd() throws {
        func run(step: ModelTime) throws -> MigrationInfo {
            let vm = makeVM(workload: GuestWorkload(dirtyPagesPerSecond: 10_000))
            try vm.migration.migrate(uri: "tcp:10.0.0.2:4446", channels: nil)
            return runMigration(vm, step: step)
        }
        let coarse = try run(step: .seconds(100))
        let fine = try run(step: .milliseconds(37))
        #expect(coarse.status == .completed && fine.status == .completed)
        #expect(coarse.ram?.dirtySyncCount == fine.ram?.dirtySyncCount)
        let a = Double(try #require(coarse.ram?.transferred)), b = Double(try #require(fine.ram?.transferred))
        #expect(abs(a - b) / a < 0.001)
    }

    /// A 512 MiB guest, all pages non-zero and idle, at max-bandwidth 32 MiB/s: QEMU 7.2 took
    /// 15.6 s at 268.57 mbps.
    @Test func realismAnchor() throws {
        let vm = makeVM(ram: 512 << 20, workload: .idle(zeroPercent: 0))
        try vm.migration.setParameters(MigrateSetParameters(maxBandwidth: 32 << 20))
        try vm.migration.migrate(uri: "tcp:10.0.0.2:4446", channels: nil)
        let info = runMigration(vm, step: .milliseconds(100))
        #expect(info.status == .completed)
        let seconds = Double(try #require(info.totalTime)) / 1000
        let mbps = try #require(info.ram?.mbps)
        #expect(abs(seconds - 15.6) / 15.6 <= 0.10, "total time \(seconds) s")
        #expect(abs(mbps - 268.57) / 268.57 <= 0.10, "throughput \(mbps) mbps")
    }

    /// Cost follows events, not guest size or time: a 1 TiB guest completes in a handful of
    /// passes and one advance call covers it.
    @Test func largeGuestsCostPassesNotPages() throws {
        let vm = makeVM(
            ram: 1 << 40, vcpus: 64, workload: GuestWorkload(dirtyPagesPerSecond: 100_000, hotSetBytes: 64 << 30))
        try vm.migration.setCapabilities(caps(.autoConverge, .events))
        try vm.migration.setParameters(MigrateSetParameters(maxBandwidth: 0))
        try vm.migration.migrate(uri: "tcp:10.0.0.2:4446", channels: nil)
        vm.advance(to: .seconds(86_400))
        let info = vm.migration.info()
        #expect(info.status == .completed)
        #expect(try #require(info.ram?.dirtySyncCount) < 50)
        #expect(vm.events.pending.count < 100)
    }
}
