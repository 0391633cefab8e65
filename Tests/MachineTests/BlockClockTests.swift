import QAPI
import Testing

@testable import Machine

@Suite struct BlockClockTests {
    /// A year of guest I/O and a slow job is a handful of events, not a loop over time.
    @Test func aYearIsCheap() throws {
        let events = EventQueue()
        let block = BlockLayer(events: events)
        try block.startStream(BlockStreamArguments(device: "virtio0", speed: 1024))
        block.advance(to: seconds(365 * 24 * 3600))
        #expect(block.queryBlockJobs().isEmpty)
        #expect(events.names().filter { $0 == "BLOCK_JOB_COMPLETED" }.count == 1)
        let s = block.queryBlockstats()[0].stats
        #expect(s.rdBytes == Int64(365 * 24 * 3600) * 4_194_304)
        // The system disk filled up: new data stopped at 20 GiB.
        #expect(block.queryBlock()[0].inserted?.image.actualSize == Int64(20 * GiB + 196_608))
    }

    @Test func timeNeverGoesBack() {
        let block = BlockLayer(events: EventQueue())
        block.advance(to: seconds(10))
        let stats = block.queryBlockstats()
        block.advance(to: seconds(5))
        #expect(block.now == seconds(10) && block.queryBlockstats() == stats)
    }

    @Test func aMirrorThatCannotCatchUpNeverGetsReady() throws {
        let (block, events) = try blockLayer(["virtio0:qcow2:10G:used=1G"])
        try block.setWorkload(device: "virtio0", .steady(writeBytesPerSecond: 20 * MiB))
        try block.startMirror(DriveMirror(device: "virtio0", target: "/m.qcow2", sync: .full, speed: Int64(10 * MiB)))
        block.advance(to: seconds(3600))
        let job = block.queryBlockJobs()[0]
        #expect(!job.ready && job.offset == Int64(36_000 * MiB) && job.len == Int64(GiB + 72_000 * MiB))
        #expect(events.names() == ["JOB_STATUS_CHANGE", "JOB_STATUS_CHANGE"])
    }
}
