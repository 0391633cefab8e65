import QAPI
import Testing

@testable import Machine

@Suite struct BlockBitmapTests {
    @Test func bitmapCountsWhatTheGuestWrites() throws {
        let block = BlockLayer(events: EventQueue())
        try block.addDirtyBitmap(node: "virtio0-fmt", name: "nightly", persistent: true)
        block.advance(to: seconds(10))
        var bitmaps = try #require(block.queryBlock()[0].inserted?.dirtyBitmaps)
        #expect(
            bitmaps == [
                BlockDirtyInfo(
                    name: "nightly", count: Int64(15 * MiB), granularity: 65_536, recording: true, busy: false, persistent: true)
            ])
        try block.clearDirtyBitmap(node: "virtio0", name: "nightly")
        bitmaps = try #require(block.queryBlock()[0].inserted?.dirtyBitmaps)
        #expect(bitmaps[0].count == 0)
        try block.removeDirtyBitmap(node: "virtio0-fmt", name: "nightly")
        #expect(block.queryBlock()[0].inserted?.dirtyBitmaps == nil)
    }

    @Test func refusals() throws {
        let block = BlockLayer(events: EventQueue())
        try block.addDirtyBitmap(node: "virtio0", name: "b", granularity: 4096, disabled: true)
        #expect(block.queryBlock()[0].inserted?.dirtyBitmaps?.first?.recording == false)
        #expect(failure { try block.addDirtyBitmap(node: "virtio0", name: "b") }?.desc == "Bitmap already exists: b")
        #expect(failure { try block.addDirtyBitmap(node: "virtio0", name: "") }?.desc == "Bitmap name cannot be empty")
        #expect(
            failure { try block.addDirtyBitmap(node: "virtio0", name: "c", granularity: 1000) }?.desc
                == "Granularity must be power of 2 and at least 512")
        #expect(
            failure { try block.addDirtyBitmap(node: "virtio1", name: "c", persistent: true) }?.desc
                == "Cannot store dirty bitmaps in raw format")
        #expect(failure { try block.removeDirtyBitmap(node: "virtio0", name: "zz") }?.desc == "Dirty bitmap 'zz' not found")
        #expect(failure { try block.removeDirtyBitmap(node: "nope", name: "b") }?.desc == "Node 'nope' not found")
    }

    @Test func streamedDataCanCrossAThreshold() throws {
        let events = EventQueue()
        let block = BlockLayer(events: events)
        try block.setWriteThreshold(nodeName: "virtio0-file", bytes: 2 * GiB)
        try block.setWorkload(device: "virtio0", .idle)
        try block.startStream(BlockStreamArguments(device: "virtio0"))
        block.advance(to: seconds(10))
        let fired = events.take("BLOCK_WRITE_THRESHOLD")
        #expect(fired.count == 1 && fired.first?.data["node-name"]?.string == "virtio0-file")
        #expect(fired.first?.data["amount-exceeded"]?.int == Int64(196_608 + 1_288_175_616 + 2_576_351_232) - Int64(2 * GiB))
    }
}
