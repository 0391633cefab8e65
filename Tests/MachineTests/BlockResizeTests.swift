import QAPI
import Testing

@testable import Machine

@Suite struct BlockResizeTests {
    @Test func growQcow2ByDeviceAndByNode() throws {
        let block = BlockLayer(events: EventQueue())
        try block.resize(device: "virtio0", nodeName: nil, size: Int64(25 * GiB))
        #expect(block.queryBlock()[0].inserted?.image.virtualSize == Int64(25 * GiB))
        try block.resize(device: nil, nodeName: "virtio0-fmt", size: Int64(30 * GiB))
        #expect(block.queryBlock()[0].inserted?.image.virtualSize == Int64(30 * GiB))
    }

    @Test(
        arguments: [
            ("virtio0", nil, Int64(25 * GiB) + 1, "The new size must be a multiple of 512"),
            ("virtio0", nil, Int64(1 << 51) + 512, "Failed to grow the L1 table: File too large"),
            ("virtio0", nil, Int64(7) << 60, "Failed to grow the L1 table: File too large"),
            ("virtio0", nil, -512, "Parameter 'size' expects a >0 size"),
            ("virtio1", nil, Int64(16 * GiB), "Device 'virtio1' is read only"),
            (nil, "virtio0-base-fmt", Int64(30 * GiB), "Device 'virtio0-base-fmt' is read only"),
            ("ide1-cd0", nil, Int64(GiB), "Device 'ide1-cd0' has no medium"),
            ("nope", nil, Int64(GiB), "Cannot find device='nope' nor node-name=''"),
            (nil, nil, Int64(GiB), "Cannot find device='' nor node-name=''"),
            (
                nil, "virtio0-file", Int64(GiB),
                "Conflicts with use by virtio0-fmt as 'file', which does not allow 'resize' on virtio0-file"
            ),
        ] as [(String?, String?, Int64, String)])
    func refused(device: String?, node: String?, size: Int64, message: String) {
        let block = BlockLayer(events: EventQueue())
        let before = block.queryNamedBlockNodes()
        let error = failure { try block.resize(device: device, nodeName: node, size: size) }
        #expect(error?.desc == message)
        #expect(error?.errorClass == .genericError)
        #expect(block.queryNamedBlockNodes() == before)
    }

    @Test func rawShrinksAndCutsTheData() throws {
        let (block, _) = try blockLayer(["virtio2:raw:8G:used=6G", "virtio3:raw:4G"])
        try block.resize(device: "virtio2", nodeName: nil, size: Int64(4 * GiB))
        var info = block.queryBlock()[0].inserted!.image
        #expect(info.virtualSize == Int64(4 * GiB) && info.actualSize == Int64(4 * GiB))
        // A preallocated raw image keeps every byte allocated.
        try block.resize(device: "virtio3", nodeName: nil, size: Int64(2 * GiB))
        info = block.queryBlock()[1].inserted!.image
        #expect(info.virtualSize == Int64(2 * GiB) && info.actualSize == Int64(2 * GiB))
        // Any byte size, as QEMU's raw driver truncates the file to it.
        try block.resize(device: "virtio3", nodeName: nil, size: 100_000)
        #expect(block.queryBlock()[1].inserted!.image.virtualSize == 100_000)
    }

    /// qcow2 v3 (qcow2_co_truncate()): snapshots do not prevent a resize, shrinking cuts the
    /// data, and 2 PiB (the largest L1 table) is accepted.
    @Test func qcow2ShrinksGrowsWithSnapshotsAndStopsAtTheL1Limit() throws {
        let (block, _) = try blockLayer(["virtio2:qcow2:8G:used=6G"])
        try block.saveSnapshot(tag: "s1", vmStateSize: 1 << 20, vmClockNanoseconds: 0)
        try block.resize(device: "virtio2", nodeName: nil, size: Int64(16 * GiB))
        #expect(block.queryBlock()[0].inserted!.image.virtualSize == Int64(16 * GiB))
        try block.resize(device: "virtio2", nodeName: nil, size: Int64(4 * GiB))
        #expect(block.queryBlock()[0].inserted!.image.virtualSize == Int64(4 * GiB))
        try block.resize(device: "virtio2", nodeName: nil, size: Int64(1 << 51))
        #expect(block.queryBlock()[0].inserted!.image.virtualSize == Int64(1 << 51))
    }

    @Test func busyDeviceIsRefused() throws {
        let block = BlockLayer(events: EventQueue())
        try block.startStream(BlockStreamArguments(device: "virtio0", speed: 1))
        #expect(
            failure { try block.resize(device: "virtio0", nodeName: nil, size: Int64(30 * GiB)) }?.desc
                == "Device 'virtio0' is in use")
    }

    @Test func volumeGrowsThroughItsFileNode() throws {
        let (block, _) = try blockLayer(["virtio2:qcow2:100G:volume=2G:used=1G"])
        try block.resize(device: nil, nodeName: "virtio2-file", size: Int64(4 * GiB))
        let file = block.queryNamedBlockNodes().first { $0.nodeName == "virtio2-file" }!
        #expect(file.drv == "host_device" && file.image.virtualSize == Int64(4 * GiB))
        #expect(
            failure { try block.resize(device: nil, nodeName: "virtio2-file", size: Int64(GiB)) }?.desc
                == "Cannot shrink volume 'virtio2-file' below the 1073938432 bytes its image occupies")
    }
}
