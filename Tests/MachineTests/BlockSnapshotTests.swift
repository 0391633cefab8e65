import QAPI
import Testing

@testable import Machine

@Suite struct BlockSnapshotTests {
    @Test func saveListsTheSnapshotOnTheImage() throws {
        let block = BlockLayer(events: EventQueue())
        block.advance(to: seconds(100))
        let before = block.queryBlock()[0].inserted!.image.actualSize!
        try block.saveSnapshot(tag: "s1", vmStateSize: 512 * MiB, vmClockNanoseconds: 3_600_500_000_000)
        let image = block.queryBlock()[0].inserted!.image
        #expect(
            image.snapshots == [
                SnapshotInfo(
                    id: "1", name: "s1", vmStateSize: Int64(512 * MiB), dateSec: 1_735_689_700, dateNsec: 0, vmClockSec: 3600,
                    vmClockNsec: 500_000_000)
            ])
        #expect(image.actualSize == before + Int64(512 * MiB))
        let node = block.queryNamedBlockNodes().first { $0.nodeName == "virtio0-fmt" }!
        #expect(node.image.snapshots?.count == 1 && node.image.backingImage?.snapshots == nil)
        let listing = try block.snapshotsForInfo()
        #expect(listing.vmStateDevice == "virtio0")
        #expect(listing.disks.map(\.device) == ["virtio0"] && listing.disks[0].snapshots.map(\.name) == ["s1"])
        #expect(block.snapshotTags == ["s1", "1"])
    }

    @Test func savevmOverwritesATag() throws {
        let block = BlockLayer(events: EventQueue())
        try block.saveSnapshot(tag: "s1", vmStateSize: MiB, vmClockNanoseconds: 1)
        try block.saveSnapshot(tag: "s1", vmStateSize: 2 * MiB, vmClockNanoseconds: 2, date: 1_700_000_000_123_456_789)
        let snapshots = block.queryBlock()[0].inserted!.image.snapshots!
        #expect(snapshots.map(\.id) == ["2"] && snapshots[0].vmStateSize == Int64(2 * MiB))
        #expect(snapshots[0].dateSec == 1_700_000_000 && snapshots[0].dateNsec == 123_456_789)
        #expect(
            failure { try block.saveSnapshot(tag: "s1", vmStateSize: 1, vmClockNanoseconds: 3, overwrite: false) }?.desc
                == "Snapshot 's1' already exists in one or more devices")
    }

    @Test func loadRevertsTheGuestData() throws {
        let (block, _) = try blockLayer(["virtio0:qcow2:10G:used=1G"])
        try block.setWorkload(device: "virtio0", .steady(writeBytesPerSecond: 10 * MiB, newDataPerMillion: 1_000_000))
        block.advance(to: seconds(1))
        try block.saveSnapshot(tag: "before", vmStateSize: 100 * MiB, vmClockNanoseconds: 1_000_000_000)
        block.advance(to: seconds(11))
        #expect(block.queryBlockstats()[0].stats.wrHighestOffset == Int64(GiB + 110 * MiB))
        let snapshot = try block.loadSnapshot(tag: "before")
        #expect(snapshot.vmStateSize == 100 * MiB && snapshot.vmClockNanoseconds == 1_000_000_000)
        #expect(block.queryBlockstats()[0].stats.wrHighestOffset == Int64(GiB + 10 * MiB))
        // What was written after the snapshot is dropped; the VM state stays in the image.
        #expect(block.queryBlock()[0].inserted!.image.actualSize == Int64(196_608 + GiB + 10 * MiB + 100 * MiB))
    }

    @Test func deleteRemovesItWhereverItIs() throws {
        let (block, _) = try blockLayer(["virtio0:qcow2:1G", "virtio1:qcow2:1G"])
        try block.saveSnapshot(tag: "a", vmStateSize: MiB, vmClockNanoseconds: 0)
        try block.saveSnapshot(tag: "b", vmStateSize: MiB, vmClockNanoseconds: 0, devices: ["virtio1-fmt"], vmState: "virtio1-fmt")
        #expect(try block.deleteSnapshot(tag: "a") == 2)
        #expect(try block.deleteSnapshot(tag: "b") == 1)
        #expect(try block.deleteSnapshot(tag: "zzz") == 0)
        #expect(block.queryBlock().allSatisfy { $0.inserted?.image.snapshots == nil })
    }

    @Test func partialSnapshotsCannotBeLoaded() throws {
        let (block, _) = try blockLayer(["virtio0:qcow2:1G", "virtio1:qcow2:1G"])
        try block.saveSnapshot(tag: "only1", vmStateSize: MiB, vmClockNanoseconds: 0, devices: ["virtio1"])
        let listing = try block.snapshotsForInfo()
        #expect(listing.vmStateDevice == "virtio0")
        #expect(listing.disks.map { $0.snapshots.map(\.name) } == [[], ["only1"]])
        #expect(failure { try block.loadSnapshot(tag: "only1") }?.desc == "Snapshot 'only1' does not exist in one or more devices")
        #expect(try block.loadSnapshot(tag: "only1", devices: ["virtio1-fmt"]).name == "only1")
    }

    @Test func refusals() throws {
        let (block, _) = try blockLayer(["virtio0:qcow2:1G", "virtio1:raw:1G"])
        let raw = "Device 'virtio1' is writable but does not support snapshots"
        #expect(failure { try block.saveSnapshot(tag: "s", vmStateSize: 1, vmClockNanoseconds: 0) }?.desc == raw)
        #expect(failure { try block.loadSnapshot(tag: "s") }?.desc == raw)
        #expect(failure { try block.deleteSnapshot(tag: "s") }?.desc == raw)
        #expect(
            failure { try block.saveSnapshot(tag: "s", vmStateSize: 1, vmClockNanoseconds: 0, devices: ["nope"]) }?.desc
                == "No block device node 'nope'")
        #expect(
            failure { try block.saveSnapshot(tag: "s", vmStateSize: 1, vmClockNanoseconds: 0, devices: ["virtio0-fmt"], vmState: "x") }?
                .desc
                == "vmstate block device 'x' does not exist")
        try block.saveSnapshot(tag: "disk-only", vmStateSize: 0, vmClockNanoseconds: 0, devices: ["virtio0-fmt"])
        #expect(
            failure { try block.loadSnapshot(tag: "disk-only", devices: ["virtio0-fmt"]) }?.desc
                == "This is a disk-only snapshot. Revert to it  offline using qemu-img")
        #expect(
            failure { try block.loadSnapshot(tag: "nope", devices: ["virtio0-fmt"]) }?.desc
                == "Snapshot 'nope' does not exist in one or more devices")
        #expect(block.queryBlock()[0].inserted?.image.snapshots?.map(\.name) == ["disk-only"])

        let (readOnly, _) = try blockLayer(["virtio0:raw:1G:ro", "ide1-cd0:cdrom"])
        let none = "no block device can store vmstate for snapshot"
        #expect(failure { try readOnly.saveSnapshot(tag: "s", vmStateSize: 1, vmClockNanoseconds: 0) }?.desc == none)
        #expect(failure { _ = try readOnly.snapshotsForInfo() }?.desc == none)
    }

    @Test func vmStateCanCrossAFileThreshold() throws {
        let (block, events) = try blockLayer(["virtio0:qcow2:10G:used=1G"])
        try block.setWriteThreshold(nodeName: "virtio0-file", bytes: GiB + 300 * MiB)
        try block.saveSnapshot(tag: "s", vmStateSize: 512 * MiB, vmClockNanoseconds: 0)
        let fired = events.take("BLOCK_WRITE_THRESHOLD")
        #expect(fired.first?.data["amount-exceeded"]?.int == Int64(212 * MiB + 196_608))
    }

    @Test func externalSnapshotPutsAnOverlayOnTop() throws {
        let block = BlockLayer(events: EventQueue())
        try block.externalSnapshot(BlockdevSnapshotSync(device: "virtio0", snapshotFile: "/s1.qcow2"))
        let top = block.queryBlock()[0].inserted!
        #expect(top.file == "/s1.qcow2" && top.nodeName == "#block100" && top.backingFileDepth == 2)
        #expect(top.image.backingImage?.filename == "/var/lib/hmp/images/vm0-system.qcow2")
        #expect(block.queryNamedBlockNodes().first { $0.nodeName == "virtio0-fmt" }?.ro == true)
        #expect(top.image.actualSize == 196_608)

        #expect(
            failure { try block.externalSnapshot(BlockdevSnapshotSync(device: "virtio0", snapshotFile: "/s1.qcow2")) }?.desc
                == "Failed to get \"write\" lock")
        #expect(
            failure { try block.externalSnapshot(BlockdevSnapshotSync(device: "virtio0", snapshotFile: "/s2", format: "raw")) }?.desc
                == "Backing file not supported for file format 'raw'")
        #expect(
            failure { try block.externalSnapshot(BlockdevSnapshotSync(nodeName: "#block100", snapshotFile: "/s2")) }?.desc
                == "New overlay node name missing")
        #expect(
            failure {
                try block.externalSnapshot(BlockdevSnapshotSync(device: "virtio0", snapshotFile: "/s2", snapshotNodeName: "virtio1"))
            }?.desc
                == "New overlay node name already in use")
        #expect(
            failure { try block.externalSnapshot(BlockdevSnapshotSync(device: "virtio0", snapshotFile: "/s2", mode: .existing)) }?.desc
                == "Could not open '/s2': No such file or directory")
        #expect(
            failure { try block.externalSnapshot(BlockdevSnapshotSync(device: "ide1-cd0", snapshotFile: "/s2")) }?.desc
                == "Device 'ide1-cd0' has no medium")
        #expect(
            failure {
                try block.externalSnapshot(BlockdevSnapshotSync(nodeName: "virtio0-base-fmt", snapshotFile: "/s2", snapshotNodeName: "x"))
            }?.desc
                == "The feature 'snapshot' is not enabled")
        block.addImageFile("/pre.qcow2", format: .qcow2, virtualSize: 20 * GiB)
        try block.externalSnapshot(
            BlockdevSnapshotSync(device: "virtio0", snapshotFile: "/pre.qcow2", snapshotNodeName: "pre", mode: .existing))
        #expect(block.queryBlock()[0].inserted?.backingFileDepth == 3)
    }
}
