import Machine
import QAPI
import Testing
import TestSupport
@testable import HMP

/// savevm, loadvm and delvm: the jobs they run, waiting for them, and what they print.
@Suite("snapshot commands")
struct SnapshotCommandTests {
    /// Two writable qcow2 disks (nodes disk0 and logs0), a read-only qcow2 that does not count,
    /// and an empty CD-ROM drive. `only-on-os` is on the first disk alone (taken through QMP, as
    /// savevm covers every disk), then `before-upgrade` on both, so its IDs differ (2 and 1);
    /// both at 62 s guest time.
    static func rig(format: OutputFormat = .table, osVolume: UInt64? = nil) -> BlockRig {
        var os = DiskSpec(device: "virtio0", media: .qcow2, size: 20 << 30)
        os.nodeName = "disk0"
        os.volumeSize = osVolume
        var logs = DiskSpec(device: "virtio2", media: .qcow2, size: 8 << 30)
        logs.nodeName = "logs0"
        var iso = DiskSpec(device: "virtio3", media: .qcow2, size: 1 << 30)
        iso.nodeName = "iso0"
        iso.readOnly = true
        let rig = BlockRig(format: format, disks: [os, logs, iso, DiskSpec(device: "ide1-cd0", media: .cdrom, size: 0)])
        let model = rig.model
        model.backend.wait(nanoseconds: 62_000_000_000)
        if osVolume == nil {
            for (id, devices) in [("s1", ["disk0"]), ("s2", ["disk0", "logs0"])] {
                let tag = devices.count == 2 ? "before-upgrade" : "only-on-os"
                #expect(throws: Never.self) {
                    _ = try model.query(
                        SnapshotSaveCommand.self, SnapshotSaveArguments(jobId: id, tag: tag, vmstate: "disk0", devices: devices))
                    _ = try model.query(JobDismissCommand.self, JobDismissArguments(id: id))
                }
            }
        }
        return rig
    }

    @Test(arguments: [
        ("savevm t1", "savevm tag=t1"), ("savevm", "savevm"), ("savevm \"my tag\"", "savevm tag=my tag"),
        ("loadvm t1", "loadvm tag=t1"), ("delvm t1", "delvm tag=t1"), ("info snapshots", "info snapshots"),
    ])
    func parses(line: String, expected: String) {
        #expect(BlockParserTests.summary(line) == expected)
    }

    @Test(arguments: [
        ("loadvm", "loadvm: string expected"), ("delvm", "delvm: string expected"),
        ("savevm a b", "savevm: extraneous characters at the end of line"),
        ("loadvm -f t1", "loadvm: unsupported option -f"),
        ("info snapshots all", "info snapshots: extraneous characters at the end of line"),
    ])
    func rejects(line: String, message: String) {
        let command = line.hasPrefix("info") ? "info snapshots" : String(line.prefix { $0 != " " })
        #expect(BlockParserTests.summary(line) == BlockParserTests.usage(message, command))
    }

    @Test func savevmRunsTheJobToItsEnd() throws {
        let rig = Self.rig()
        let saved = rig.output("savevm t1")
        let size = SizeFormatter.string(fromBytes: rig.model.backend.machine.vmStateSize)
        #expect(saved == "snapshot t1 saved on virtio0, virtio2; VM state (\(size)) on virtio0\n")
        let actions = rig.actions.map { "\($0.name) \($0.arguments)" }
        #expect(
            actions == [
                #"snapshot-save {"job-id": "hmp-savevm", "tag": "t1", "vmstate": "disk0", "devices": ["disk0", "logs0"]}"#,
                #"job-dismiss {"id": "hmp-savevm"}"#,
            ])
        #expect(try rig.model.query(QueryJobsCommand.self, QAPIEmpty()).isEmpty)
        // QEMU is silent; json shows the empty return.
        #expect(Self.rig(format: .qemu).output("savevm t1") == "")
        #expect(Self.rig(format: .json).output("savevm t1") == "{\"return\": {}}\n")
    }

    /// Like QEMU's savevm, an existing tag is replaced: deleted first, then saved anew.
    @Test func savevmReplacesAnExistingTag() {
        let rig = Self.rig()
        let size = SizeFormatter.string(fromBytes: rig.model.backend.machine.vmStateSize)
        #expect(
            rig.output("savevm before-upgrade")
                == "snapshot before-upgrade saved on virtio0, virtio2; VM state (\(size)) on virtio0; it replaces the earlier snapshot with this tag\n"
        )
        #expect(rig.actions.map(\.name) == ["snapshot-delete", "job-dismiss", "snapshot-save", "job-dismiss"])
        #expect(rig.actions[0].arguments["devices"] == .array(["disk0", "logs0"]))
    }

    /// The tag is the VM's clock (as QEMU dates it), not the host's.
    @Test func savevmWithoutTagUsesTheVMsClock() throws {
        let rig = Self.rig()
        let seconds = try #require(rig.model.backend.vmWallClockSeconds)
        #expect(rig.run("savevm").succeeded)
        let tag = rig.actions.first?.arguments["tag"]?.stringValue ?? ""
        #expect(tag == LocalTime.format(seconds, "vm-%Y%m%d%H%M%S"))
    }

    @Test func savevmWithoutAnyWritableDisk() {
        let rig = BlockRig(disks: [DiskSpec(device: "ide1-cd0", media: .cdrom, size: 0)])
        #expect(rig.run("savevm t1").error == "Error: no block device can store vmstate for snapshot\n")
        #expect(rig.actions.isEmpty)
    }

    /// The disk holding the VM state sits on a 1 GiB volume, too small for it.
    @Test func aFailedJobReportsItsErrorAndIsDismissed() throws {
        let rig = Self.rig(osVolume: 1 << 30)
        #expect(rig.run("savevm t1").error == "Error: Error while writing VM state: No space left on device\n")
        #expect(rig.actions.last?.name == "job-dismiss")
        #expect(try rig.model.query(QueryJobsCommand.self, QAPIEmpty()).isEmpty)
    }

    @Test func anInterruptedWaitLeavesTheJob() throws {
        let rig = Self.rig()
        rig.model.recorder.afterCommand = { name in
            if name == "snapshot-load" { rig.model.keepSnapshotJobRunning("hmp-loadvm") }
        }
        rig.session.interrupted = { true }
        #expect(
            rig.run("loadvm before-upgrade").error
                == "Error: Stopped waiting for job 'hmp-loadvm' (running); see info block-jobs or qmp query-jobs\n")
        #expect(try rig.model.query(QueryJobsCommand.self, QAPIEmpty()).map(\.id) == ["hmp-loadvm"])
    }

    @Test func loadvm() {
        let rig = Self.rig()
        #expect(rig.output("loadvm before-upgrade") == "snapshot before-upgrade loaded (guest clock 0:01:02.000)\n")
        #expect(
            rig.actions.first.map { "\($0.name) \($0.arguments)" }
                == #"snapshot-load {"job-id": "hmp-loadvm", "tag": "before-upgrade", "vmstate": "disk0", "devices": ["disk0", "logs0"]}"#)
        // The guest was stopped for the load and stays so when it fails, as in QEMU's load_snapshot().
        #expect(
            rig.run("loadvm only-on-os").error
                == "Error: Snapshot 'only-on-os' does not exist in one or more devices\nThe VM stays stopped (restore-vm); cont resumes it.\n"
        )
    }

    @Test func delvm() {
        let rig = Self.rig()
        #expect(rig.output("delvm only-on-os") == "snapshot only-on-os deleted from virtio0\n")
        #expect(
            rig.actions.first.map { "\($0.name) \($0.arguments)" }
                == #"snapshot-delete {"job-id": "hmp-delvm", "tag": "only-on-os", "devices": ["disk0", "logs0"]}"#)
        #expect(rig.output("delvm nosuch") == "no disk holds a snapshot nosuch; nothing deleted\n")
        #expect(!rig.output("info snapshots").contains("only-on-os"))
    }
}
