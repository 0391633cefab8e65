import QAPI
import Testing

@testable import Machine

/// query-block's answer is kept between calls; every kind of change must show in the next one.
@Suite struct BlockQueryAnswerTests {
    @Test func guestWritesShowInTheAllocatedSize() {
        let block = BlockLayer(events: EventQueue())
        let before = block.queryBlock()[0].inserted?.image.actualSize ?? 0
        block.advance(to: seconds(600))
        let after = block.queryBlock()[0].inserted?.image.actualSize ?? 0
        #expect(after > before)
    }

    @Test func resizeLockAndEjectShow() throws {
        let block = BlockLayer(events: EventQueue())
        _ = block.queryBlock()
        try block.resize(device: "virtio0", nodeName: nil, size: Int64(32 * GiB))
        #expect(block.queryBlock()[0].inserted?.image.virtualSize == Int64(32 * GiB))

        try block.setMediumLocked(device: "ide1-cd0", true)
        #expect(block.queryBlock()[2].locked)
        try block.setMediumLocked(device: "ide1-cd0", false)
        #expect(block.queryBlock()[2].locked == false)

        try block.eject(device: "ide1-cd0", id: nil)
        #expect(block.queryBlock()[2].trayOpen == true)
    }

    @Test func unchangedModelGivesTheSameAnswer() throws {
        let block = BlockLayer(events: EventQueue())
        let first = block.queryBlock()
        #expect(block.queryBlock() == first)
        try block.setWriteThreshold(nodeName: "virtio0-fmt", bytes: 1 << 30)
        #expect(block.queryBlock()[0].inserted?.writeThreshold == 1 << 30)
    }
}
