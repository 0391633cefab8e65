import QAPI
import Testing

@testable import Machine

@Suite struct BlockWorkloadTests {
    /// A disk with a fixed, simple workload: 10 MiB/s of reads in 64 KiB requests, 4 MiB/s of
    /// writes in 16 KiB requests, 5 flushes per second, an eighth of the writes new data.
    func busyDisk(_ extra: String = "") throws -> (BlockLayer, EventQueue) {
        let (block, events) = try blockLayer(["virtio0:qcow2:10G:used=1G" + extra])
        try block.setWorkload(
            device: "virtio0",
            DiskIOWorkload(
                readBytesPerSecond: 10 * MiB, readOpsPerSecond: 160, writeBytesPerSecond: 4 * MiB, writeOpsPerSecond: 256,
                flushesPerSecond: 5, newDataPerMillion: 125_000))
        return (block, events)
    }

    @Test func countersFollowTheClock() throws {
        let (block, _) = try busyDisk()
        block.advance(to: seconds(60))
        let s = block.queryBlockstats()[0]
        #expect(s.stats.rdBytes == Int64(600 * MiB) && s.stats.rdOperations == 9_600)
        #expect(s.stats.wrBytes == Int64(240 * MiB) && s.stats.wrOperations == 15_360)
        #expect(s.stats.flushOperations == 300)
        // Service time per request: base latency plus one nanosecond per byte.
        #expect(s.stats.rdTotalTimeNs == 9_600 * (90_000 + 65_536))
        #expect(s.stats.wrTotalTimeNs == 15_360 * (120_000 + 16_384))
        #expect(s.stats.flushTotalTimeNs == 300 * 800_000)
        // 30 MiB of new data landed past the 1 GiB already written.
        #expect(s.stats.wrHighestOffset == Int64(GiB + 30 * MiB))
        #expect(s.parent?.stats.wrHighestOffset == Int64(GiB + 30 * MiB + 196_608))
        #expect(s.parent?.stats.wrBytes == 0 && s.parent?.nodeName == "virtio0-file")
        #expect(s.stats.idleTimeNs == 0)
        let image = block.queryBlock()[0].inserted!.image
        #expect(image.actualSize == Int64(GiB + 30 * MiB + 196_608))
    }

    @Test func smallStepsGiveTheSameNumbersAsOneBigStep() throws {
        let (a, _) = try busyDisk()
        let (b, _) = try busyDisk()
        a.advance(to: ModelTime(nanoseconds: 7_777_777_777))
        var t: UInt64 = 0
        while t < 7_777_777_777 {
            t = min(7_777_777_777, t + 12_345_679)
            b.advance(to: ModelTime(nanoseconds: t))
        }
        #expect(a.queryBlockstats() == b.queryBlockstats())
        #expect(a.queryBlock() == b.queryBlock())
    }

    @Test func idleTimeCountsFromTheLastRequest() throws {
        let (block, _) = try blockLayer(["virtio0:raw:1G"])
        try block.setWorkload(device: "virtio0", DiskIOWorkload(readBytesPerSecond: 4096, readOpsPerSecond: 1))
        block.advance(to: ModelTime.milliseconds(2_500))
        #expect(block.queryBlockstats()[0].stats.idleTimeNs == 500_000_000)
        try block.setWorkload(device: "virtio0", .idle)
        block.advance(to: seconds(10))
        #expect(block.queryBlockstats()[0].stats.idleTimeNs == 8_000_000_000)
        #expect(block.queryBlockstats()[0].stats.rdOperations == 2)
    }

    @Test func throttlingCapsTheGuest() throws {
        let (block, _) = try busyDisk()
        var limits = BlockIOThrottle(device: "virtio0", bps: 0, bpsRd: 0, bpsWr: Int64(MiB), iops: 0, iopsRd: 0, iopsWr: 0)
        try block.setIOThrottle(limits)
        block.advance(to: seconds(10))
        var s = block.queryBlockstats()[0].stats
        #expect(s.wrBytes == Int64(10 * MiB) && s.wrOperations == 640)
        #expect(s.rdBytes == Int64(100 * MiB))

        // A total limit is shared in proportion to demand: 7 MiB/s for 10 + 4 MiB/s wanted.
        limits.bpsWr = 0
        limits.bps = Int64(7 * MiB)
        try block.setIOThrottle(limits)
        block.advance(to: seconds(20))
        s = block.queryBlockstats()[0].stats
        #expect(s.rdBytes == Int64(100 * MiB) + 52_428_800)
        #expect(s.wrBytes == Int64(10 * MiB) + 20_971_520)

        // An IOPS limit counts requests: at most 100 per second in all (shares round down).
        limits.bps = 0
        limits.iops = 100
        try block.setIOThrottle(limits)
        let before = block.queryBlockstats()[0].stats
        block.advance(to: seconds(30))
        s = block.queryBlockstats()[0].stats
        let requests = (s.rdOperations - before.rdOperations) + (s.wrOperations - before.wrOperations)
        #expect(requests <= 1_000 && requests >= 990)

        // iops_size makes a 64 KiB read count as 16 operations of 4 KiB.
        limits.iopsSize = 4096
        limits.iops = 0
        limits.iopsRd = 160
        try block.setIOThrottle(limits)
        let before2 = block.queryBlockstats()[0].stats
        block.advance(to: seconds(40))
        s = block.queryBlockstats()[0].stats
        #expect(s.rdOperations - before2.rdOperations == 100)

        let info = block.queryBlock()[0].inserted!
        #expect(info.iopsRd == 160 && info.iopsSize == 4096 && info.group == "virtio0" && info.bpsMax == nil)
    }

    @Test func throttleOffRemovesGroup() throws {
        let (block, _) = try busyDisk()
        var limits = BlockIOThrottle(device: "virtio0", bps: 1000, bpsRd: 0, bpsWr: 0, iops: 0, iopsRd: 0, iopsWr: 0, group: "tenant")
        try block.setIOThrottle(limits)
        #expect(block.queryBlock()[0].inserted?.group == "tenant")
        limits.bps = 0
        try block.setIOThrottle(limits)
        let info = block.queryBlock()[0].inserted!
        #expect(info.group == nil && info.bps == 0)
    }

    @Test(arguments: [
        (
            BlockIOThrottle(device: "virtio0", bps: 1, bpsRd: 1, bpsWr: 0, iops: 0, iopsRd: 0, iopsWr: 0),
            "bps/iops/max total values and read/write values cannot be used at the same time"
        ),
        (
            BlockIOThrottle(device: "virtio0", bps: 0, bpsRd: 0, bpsWr: 0, iops: 5, iopsRd: 0, iopsWr: 5),
            "bps/iops/max total values and read/write values cannot be used at the same time"
        ),
        (
            BlockIOThrottle(device: "virtio0", bps: -1, bpsRd: 0, bpsWr: 0, iops: 0, iopsRd: 0, iopsWr: 0),
            "bps/iops/max values must be within [0, 1000000000000000]"
        ),
        (
            BlockIOThrottle(device: "virtio0", bps: 1_000_000_000_000_001, bpsRd: 0, bpsWr: 0, iops: 0, iopsRd: 0, iopsWr: 0),
            "bps/iops/max values must be within [0, 1000000000000000]"
        ),
        (
            BlockIOThrottle(device: "virtio0", bps: 0, bpsRd: 0, bpsWr: 0, iops: 0, iopsRd: 0, iopsWr: 0, iopsSize: 4096),
            "iops size requires an iops value to be set"
        ),
        (
            BlockIOThrottle(device: "virtio0", bps: 0, bpsRd: 0, bpsWr: 0, iops: 0, iopsRd: 0, iopsWr: 0, bpsMax: 100),
            "bps_max/iops_max require corresponding bps/iops values"
        ),
        (
            BlockIOThrottle(device: "virtio0", bps: 200, bpsRd: 0, bpsWr: 0, iops: 0, iopsRd: 0, iopsWr: 0, bpsMax: 100),
            "bps_max/iops_max cannot be lower than bps/iops"
        ),
        (
            BlockIOThrottle(device: "virtio0", bps: 200, bpsRd: 0, bpsWr: 0, iops: 0, iopsRd: 0, iopsWr: 0, bpsMaxLength: 0),
            "the burst length cannot be 0"
        ),
        (
            BlockIOThrottle(device: "virtio0", bps: 200, bpsRd: 0, bpsWr: 0, iops: 0, iopsRd: 0, iopsWr: 0, bpsMaxLength: 5),
            "burst length set without burst rate"
        ),
        (
            BlockIOThrottle(device: "nope", bps: 0, bpsRd: 0, bpsWr: 0, iops: 0, iopsRd: 0, iopsWr: 0),
            "Device 'nope' not found"
        ),
        (
            BlockIOThrottle(bps: 0, bpsRd: 0, bpsWr: 0, iops: 0, iopsRd: 0, iopsWr: 0),
            "Need exactly one of 'device' and 'id'"
        ),
        (
            BlockIOThrottle(device: "ide1-cd0", bps: 0, bpsRd: 0, bpsWr: 0, iops: 0, iopsRd: 0, iopsWr: 0),
            "Device has no medium"
        ),
    ])
    func throttleValidation(limits: BlockIOThrottle, message: String) {
        let block = BlockLayer(events: EventQueue())
        let before = block.queryBlock()
        #expect(failure { try block.setIOThrottle(limits) }?.desc == message)
        #expect(block.queryBlock() == before)
    }

    @Test func throttleByQOMPath() throws {
        let block = BlockLayer(events: EventQueue())
        try block.setIOThrottle(
            BlockIOThrottle(
                id: "/machine/peripheral-anon/device[1]", bps: 0, bpsRd: 4096, bpsWr: 0, iops: 0, iopsRd: 0, iopsWr: 0))
        #expect(block.queryBlock()[1].inserted?.bpsRd == 4096)
        #expect(block.queryBlock()[1].inserted?.group == "/machine/peripheral-anon/device[1]")
    }

    @Test func stoppedGuestDoesNoIO() throws {
        let (block, _) = try busyDisk()
        block.advance(to: seconds(1))
        block.setGuestRunning(false)
        let before = block.queryBlockstats()
        block.advance(to: seconds(100))
        #expect(block.queryBlockstats()[0].stats.rdBytes == before[0].stats.rdBytes)
        block.setGuestRunning(true)
        block.advance(to: seconds(101))
        #expect(block.queryBlockstats()[0].stats.rdBytes == before[0].stats.rdBytes + Int64(10 * MiB))
    }

    @Test func thinImageStopsGrowingAtItsSize() throws {
        let (block, _) = try blockLayer(["virtio0:qcow2:1G:used=1000M"])
        try block.setWorkload(device: "virtio0", .steady(writeBytesPerSecond: 100 * MiB, newDataPerMillion: 1_000_000))
        block.advance(to: seconds(3600))
        let image = block.queryBlock()[0].inserted!.image
        #expect(image.actualSize == Int64(GiB + 196_608))
        #expect(block.queryBlockstats()[0].stats.wrBytes == Int64(360_000 * MiB))
    }
}
