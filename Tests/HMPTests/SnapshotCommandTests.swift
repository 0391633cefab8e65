import QAPI
import Testing
@testable import HMP

/// savevm, loadvm and delvm: the jobs they run, waiting for them, and what they print.
@Suite("snapshot commands")
struct SnapshotCommandTests {
    static func rig(format: OutputFormat = .table) -> BlockRig {
        BlockRig(BlockFakeBackend(blocks: BlockFixtures.snapshotBlocks), format: format)
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

    @Test func savevmRunsTheJobToItsEnd() {
        let rig = Self.rig()
        #expect(rig.output("savevm t1") == "snapshot t1 saved on virtio0, virtio2; VM state (512 MiB) on virtio0\n")
        let actions = rig.backend.actions.map { "\($0.name) \($0.arguments)" }
        #expect(
            actions == [
                #"snapshot-save {"job-id": "hmp-savevm", "tag": "t1", "vmstate": "disk0", "devices": ["disk0", "logs0"]}"#,
                #"job-dismiss {"id": "hmp-savevm"}"#,
            ])
        #expect(rig.backend.waited >= rig.backend.jobDuration)
        #expect(rig.backend.backgroundJobs.isEmpty)
        // QEMU is silent; json shows the empty return.
        #expect(Self.rig(format: .qemu).output("savevm t1") == "")
        #expect(Self.rig(format: .json).output("savevm t1") == "{\"return\": {}}\n")
    }

    /// Like QEMU's savevm, an existing tag is replaced: deleted first, then saved anew.
    @Test func savevmReplacesAnExistingTag() {
        let rig = Self.rig()
        #expect(
            rig.output("savevm before-upgrade")
                == "snapshot before-upgrade saved on virtio0, virtio2; VM state (512 MiB) on virtio0; it replaces the earlier snapshot with this tag\n"
        )
        #expect(rig.backend.actions.map(\.name) == ["snapshot-delete", "job-dismiss", "snapshot-save", "job-dismiss"])
        #expect(rig.backend.actions[0].arguments["devices"] == .array(["disk0", "logs0"]))
    }

    @Test func savevmWithoutTagUsesTheLocalTime() {
        let rig = Self.rig()
        let before = LocalTime.format(LocalTime.now(), "vm-%Y%m%d%H%M%S")
        _ = rig.run("savevm")
        let after = LocalTime.format(LocalTime.now(), "vm-%Y%m%d%H%M%S")
        let tag = rig.backend.actions.first?.arguments["tag"]?.stringValue ?? ""
        #expect(tag.count == 17 && tag.hasPrefix("vm-") && tag.dropFirst(3).allSatisfy(\.isNumber))
        #expect(tag >= before && tag <= after)
    }

    @Test func savevmWithoutAnyWritableDisk() {
        let rig = BlockRig(BlockFakeBackend(blocks: [BlockFixtures.cdrom]))
        #expect(rig.run("savevm t1").error == "Error: no block device can store vmstate for snapshot\n")
        #expect(rig.backend.actions.isEmpty)
    }

    @Test func aFailedJobReportsItsErrorAndIsDismissed() {
        let rig = Self.rig()
        rig.backend.failNextJob = "Error while writing VM state: No space left on device"
        #expect(rig.run("savevm t1").error == "Error: Error while writing VM state: No space left on device\n")
        #expect(rig.backend.actions.last?.name == "job-dismiss")
        #expect(rig.backend.backgroundJobs.isEmpty)
    }

    @Test func anInterruptedWaitLeavesTheJob() {
        let rig = Self.rig()
        rig.backend.jobDuration = .max
        rig.session.interrupted = { true }
        #expect(
            rig.run("loadvm before-upgrade").error
                == "Error: Stopped waiting for job 'hmp-loadvm' (running); see info block-jobs or qmp query-jobs\n")
        #expect(rig.backend.backgroundJobs.count == 1)
    }

    @Test func loadvm() {
        let rig = Self.rig()
        #expect(rig.output("loadvm before-upgrade") == "snapshot before-upgrade loaded (guest clock 1:02:03.456)\n")
        #expect(
            rig.backend.actions.first.map { "\($0.name) \($0.arguments)" }
                == #"snapshot-load {"job-id": "hmp-loadvm", "tag": "before-upgrade", "vmstate": "disk0", "devices": ["disk0", "logs0"]}"#)
        #expect(rig.run("loadvm only-on-os").error == "Error: Snapshot 'only-on-os' does not exist in one or more devices\n")
    }

    @Test func delvm() {
        let rig = Self.rig()
        #expect(rig.output("delvm only-on-os") == "snapshot only-on-os deleted from virtio0\n")
        #expect(
            rig.backend.actions.first.map { "\($0.name) \($0.arguments)" }
                == #"snapshot-delete {"job-id": "hmp-delvm", "tag": "only-on-os", "devices": ["disk0", "logs0"]}"#)
        #expect(rig.output("delvm nosuch") == "no disk holds a snapshot nosuch; nothing deleted\n")
        #expect(!rig.output("info snapshots").contains("only-on-os"))
    }
}
