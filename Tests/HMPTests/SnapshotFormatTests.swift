import Machine
import QAPI
import Testing
@testable import HMP

/// Golden output of `info snapshots` in the three formats.
@Suite("info snapshots formats")
struct SnapshotFormatTests {
    typealias F = BlockFixtures
    static let header = "ID      TAG               VM_SIZE                DATE        VM_CLOCK     ICOUNT"

    static func disk(_ device: String, _ snapshots: [SnapshotInfo]) -> SnapshotDisk {
        SnapshotDisk(device: device, nodeName: device + "-fmt", snapshots: snapshots)
    }

    @Test func qemuRowLayout() {
        #expect(SnapshotFormat.qemuHeader == Self.header)
        #expect(
            SnapshotFormat.qemuRow(F.snapshot, dates: .utc)
                == "1       before-upgrade    256 MiB 2023-11-14 22:13:20  0001:02:03.456         --")
        // Long tags and ids push the columns over, as printf does; icount is printed when known.
        let long = SnapshotInfo(
            id: "12345678", name: "a-very-long-snapshot-tag", vmStateSize: 1_073_741_824 * 1500, dateSec: 0, dateNsec: 0,
            vmClockSec: 360_000 * 3 + 59, vmClockNsec: 999_999_999, icount: 123_456_789_012)
        #expect(
            SnapshotFormat.qemuRow(long, dates: .utc)
                == "12345678 a-very-long-snapshot-tag 1.46 TiB 1970-01-01 00:00:00  0300:00:59.999 123456789012")
        #expect(SnapshotFormat.qemuRow(long, id: "--", dates: .utc).hasPrefix("--      a-very-long"))
    }

    @Test func emptyInEveryFormat() {
        let disks = [Self.disk("virtio0", []), Self.disk("virtio1", [])]
        #expect(SnapshotFormat.qemu(disks, dates: .utc) == "There is no snapshot available.\n")
        #expect(SnapshotFormat.table(disks, dates: .utc) == "There is no snapshot available.\n")
        #expect(
            SnapshotFormat.json(disks)
                == .array([
                    .object(["device": "virtio0", "node-name": "virtio0-fmt", "snapshots": .array([])]),
                    .object(["device": "virtio1", "node-name": "virtio1-fmt", "snapshots": .array([])]),
                ]))
    }

    @Test func presentOnAllDisks() {
        let disks = [Self.disk("virtio0", [F.snapshot]), Self.disk("virtio1", [F.snap("7", "before-upgrade")])]
        #expect(
            SnapshotFormat.qemu(disks, dates: .utc) == """
                List of snapshots present on all disks:
                \(Self.header)
                --      before-upgrade    256 MiB 2023-11-14 22:13:20  0001:02:03.456         --

                """)
        #expect(
            SnapshotFormat.table(disks, dates: .utc) == """
                tag             id  vm state  date                    vm clock  icount  on
                --------------  --  --------  -------------------  -----------  ------  -----------
                before-upgrade  --   256 MiB  2023-11-14 22:13:20  1:02:03.456       -  all 2 disks

                """)
        // The same id everywhere is shown; one disk is named.
        let one = [Self.disk("virtio0", [F.snapshot])]
        #expect(
            SnapshotFormat.table(one, dates: .utc).contains(
                "before-upgrade  1    256 MiB  2023-11-14 22:13:20  1:02:03.456       -  virtio0"))
    }

    @Test func partialSnapshots() {
        let disks = [
            Self.disk("virtio0", [F.snapshot, F.snap("2", "only-on-os", size: 128 * F.MiB, clock: 90)]),
            Self.disk("virtio2", [F.snap("4", "before-upgrade", clock: 3723), F.snap("5", "logs-rotated", icount: 42)]),
        ]
        #expect(
            SnapshotFormat.qemu(disks, dates: .utc) == """
                List of snapshots present on all disks:
                \(Self.header)
                --      before-upgrade    256 MiB 2023-11-14 22:13:20  0001:02:03.456         --

                List of partial (non-loadable) snapshots on 'virtio0':
                \(Self.header)
                2       only-on-os        128 MiB 2023-11-14 22:13:20  0000:01:30.250         --

                List of partial (non-loadable) snapshots on 'virtio2':
                \(Self.header)
                5       logs-rotated          0 B 2023-11-14 22:13:20  0000:00:00.250         42

                """)
        #expect(
            SnapshotFormat.table(disks, dates: .utc) == """
                tag             id  vm state  date                    vm clock  icount  on
                --------------  --  --------  -------------------  -----------  ------  ----------------------
                before-upgrade  --   256 MiB  2023-11-14 22:13:20  1:02:03.456       -  all 2 disks
                only-on-os      2    128 MiB  2023-11-14 22:13:20  0:01:30.250       -  virtio0 only (partial)
                logs-rotated    5        0 B  2023-11-14 22:13:20  0:00:00.250      42  virtio2 only (partial)
                Partial snapshots are not on every disk and cannot be loaded.

                """)
    }

    /// Snapshots only on the second disk: nothing is loadable, and QEMU says None.
    @Test func noneLoadable() {
        let disks = [Self.disk("virtio0", []), Self.disk("virtio1", [F.snap("1", "mine")])]
        #expect(
            SnapshotFormat.qemu(disks, dates: .utc) == """
                List of snapshots present on all disks:
                None

                List of partial (non-loadable) snapshots on 'virtio1':
                \(Self.header)
                1       mine                  0 B 2023-11-14 22:13:20  0000:00:00.250         --

                """)
    }

    // MARK: through the session (local time, as QEMU prints it)

    @Test func sessionInEveryFormat() throws {
        let rig = SnapshotCommandTests.rig(format: .qemu)
        let blocks = rig.blocks
        let first = try #require(blocks.first?.inserted?.image.snapshots?.first { $0.name == "before-upgrade" })
        let date = LocalTime.format(first.dateSec, "%Y-%m-%d %H:%M:%S")
        let size = SizeFormatter.string(fromBytes: UInt64(first.vmStateSize))
        let qemu = rig.output("info snapshots")
        func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        // The two disks hold the snapshot under different IDs, so QEMU prints "--".
        let row = "--      before-upgrade    \(pad(size, 7)) \(date)  0000:01:02.000         --"
        #expect(qemu.hasPrefix("List of snapshots present on all disks:\n\(Self.header)\n\(row)\n\n"), "\(qemu)")
        // The read-only disk does not count.
        #expect(!qemu.contains("virtio3"))
        rig.session.format = .table
        let table = rig.output("info snapshots")
        #expect(table.contains("before-upgrade  --  \(pad(size, 8))  \(date)  0:01:02.000       -  all 2 disks\n"), "\(table)")
        rig.session.format = .json
        let json = rig.output("info snapshots")
        let disks = blocks.prefix(2).map { b in
            JSONValue.object([
                "device": .string(b.device), "node-name": .string(b.inserted!.nodeName!),
                "snapshots": .array(b.inserted!.image.snapshots!.map(\.qapi)),
            ])
        }
        #expect(jsonReply(json) == .object(["return": .array(disks)]))
    }

    /// Only a read-only raw disk and a CD-ROM drive: nothing can hold the VM state.
    @Test func noDiskCanHoldSnapshots() {
        var data = DiskSpec(device: "virtio1", media: .raw, size: 8 << 30)
        data.readOnly = true
        let disks = [DiskSpec(device: "ide1-cd0", media: .cdrom, size: 0), data]
        #expect(
            BlockRig(format: .qemu, disks: disks).run("info snapshots").error == "Error: no block device can store vmstate for snapshot\n")
        #expect(BlockRig(disks: disks).run("info snapshots").error == "Error: no block device can store vmstate for snapshot\n")
        #expect(
            BlockRig(format: .json, disks: disks).run("info snapshots").output
                == "{\"error\": {\"class\": \"GenericError\", \"desc\": \"no block device can store vmstate for snapshot\"}}\n")
    }
}
