import QAPI
import Testing
@testable import HMP

/// What each block command sends and prints, and the shrink rules of block_resize.
@Suite("block commands")
struct BlockCommandTests {
    // MARK: QMP mapping and confirmations

    @Test(arguments: [
        (
            "block_stream virtio0", #"block-stream {"job-id": "virtio0", "device": "virtio0", "on-error": "report"}"#,
            "stream job virtio0 started: copying the whole backing chain into virtio0"
        ),
        (
            "block_stream virtio0 10 /var/lib/hmp/images/fedora-41-base.qcow2",
            #"block-stream {"job-id": "virtio0", "device": "virtio0", "base": "/var/lib/hmp/images/fedora-41-base.qcow2", "speed": 10485760, "on-error": "report"}"#,
            "stream job virtio0 started: copying the chain above /var/lib/hmp/images/fedora-41-base.qcow2 into virtio0, speed limit 10 MiB/s (10485760 bytes/s); no unit given, so MiB/s was assumed"
        ),
        (
            "block_job_set_speed virtio0 1G", #"block-job-set-speed {"device": "virtio0", "speed": 1073741824}"#,
            "job virtio0: speed limit 1 GiB/s (1073741824 bytes/s)"
        ),
        ("block_job_set_speed virtio0 0", #"block-job-set-speed {"device": "virtio0", "speed": 0}"#, "job virtio0: speed limit removed"),
        ("block_job_cancel virtio0", #"block-job-cancel {"device": "virtio0", "force": false}"#, "job virtio0: cancel requested"),
        ("block_job_cancel -f virtio0", #"block-job-cancel {"device": "virtio0", "force": true}"#, "job virtio0: cancel requested"),
        ("block_job_complete virtio0", #"block-job-complete {"device": "virtio0"}"#, "job virtio0: completion requested"),
        ("block_job_resume virtio0", #"block-job-resume {"device": "virtio0"}"#, "job virtio0: resumed"),
        (
            "drive_mirror virtio0 /tmp/t.qcow2",
            #"drive-mirror {"device": "virtio0", "target": "/tmp/t.qcow2", "sync": "top", "mode": "absolute-paths", "unmap": true}"#,
            "mirror job virtio0 started: virtio0 -> /tmp/t.qcow2 (top image only, new target)"
        ),
        (
            "drive_mirror -n -f virtio0 /tmp/t.raw raw",
            #"drive-mirror {"device": "virtio0", "target": "/tmp/t.raw", "format": "raw", "sync": "full", "mode": "existing", "unmap": true}"#,
            "mirror job virtio0 started: virtio0 -> /tmp/t.raw (whole chain, existing target)"
        ),
        (
            "drive_backup virtio0 /b.qcow2",
            #"drive-backup {"device": "virtio0", "target": "/b.qcow2", "sync": "top", "mode": "absolute-paths"}"#,
            "backup job virtio0 started: virtio0 -> /b.qcow2 (top image only, new target)"
        ),
        (
            "drive_backup -c -f virtio0 /b.qcow2 qcow2",
            #"drive-backup {"device": "virtio0", "target": "/b.qcow2", "format": "qcow2", "sync": "full", "mode": "absolute-paths", "compress": true}"#,
            "backup job virtio0 started: virtio0 -> /b.qcow2 (whole chain, new target, compressed)"
        ),
        (
            "snapshot_blkdev virtio0 /o.qcow2",
            #"blockdev-snapshot-sync {"device": "virtio0", "snapshot-file": "/o.qcow2", "mode": "absolute-paths"}"#,
            "virtio0 now writes to /o.qcow2 (qcow2); the previous image is its read-only backing file"
        ),
        (
            "snapshot_blkdev -n virtio0 /o.qcow2 qcow2",
            #"blockdev-snapshot-sync {"device": "virtio0", "snapshot-file": "/o.qcow2", "format": "qcow2", "mode": "existing"}"#,
            "virtio0 now writes to /o.qcow2 (qcow2); the previous image is its read-only backing file"
        ),
        (
            "block_set_io_throttle virtio0 10485760 0 0 200 0 0",
            #"block_set_io_throttle {"device": "virtio0", "bps": 10485760, "bps_rd": 0, "bps_wr": 0, "iops": 200, "iops_rd": 0, "iops_wr": 0}"#,
            "virtio0: I/O limits set: bytes total 10 MiB/s, read unlimited, write unlimited; operations total 200/s, read unlimited, write unlimited"
        ),
        (
            "block_set_io_throttle /machine/peripheral-anon/device[1]/virtio-backend 0 0 0 0 0 0",
            #"block_set_io_throttle {"id": "/machine/peripheral-anon/device[1]/virtio-backend", "bps": 0, "bps_rd": 0, "bps_wr": 0, "iops": 0, "iops_rd": 0, "iops_wr": 0}"#,
            "/machine/peripheral-anon/device[1]/virtio-backend: I/O limits removed"
        ),
        ("eject ide1-cd0", #"eject {"device": "ide1-cd0", "force": false}"#, "ide1-cd0: no medium to eject; the tray is open"),
        ("eject -f ide1-cd0", #"eject {"device": "ide1-cd0", "force": true}"#, "ide1-cd0: no medium to eject; the tray is open"),
        (
            "block_set_write_threshold virtio0-fmt 18G",
            #"block-set-write-threshold {"node-name": "virtio0-fmt", "write-threshold": 19327352832}"#,
            "virtio0-fmt: write threshold at 18 GiB (19327352832 bytes)"
        ),
        (
            "block_set_write_threshold virtio0 18432",
            #"block-set-write-threshold {"node-name": "virtio0-fmt", "write-threshold": 19327352832}"#,
            "virtio0-fmt (virtio0): write threshold at 18 GiB (19327352832 bytes); no unit given, so MiB was assumed"
        ),
        (
            "block_set_write_threshold virtio0-fmt 0", #"block-set-write-threshold {"node-name": "virtio0-fmt", "write-threshold": 0}"#,
            "virtio0-fmt: write threshold disabled"
        ),
    ])
    func mapping(line: String, qmp: String, confirmation: String) {
        // What the model must hold first: a job to act on, or a paused one.
        let setup: [String] =
            switch line.split(separator: " ").first {
            case "block_job_set_speed", "block_job_cancel": ["block_stream virtio0"]
            case "block_job_resume": ["block_stream virtio0", "block_job_pause virtio0"]
            case "block_job_complete": ["drive_mirror virtio0 /tmp/t.qcow2", "sleep 60"]
            // An existing target: a backup creates the file, and is cancelled.
            case "drive_mirror" where line.contains(" -n "):
                ["drive_backup -f virtio0 /tmp/t.raw raw", "block_job_cancel virtio0", "sleep 1"]
            case "snapshot_blkdev" where line.contains(" -n "):
                ["drive_backup virtio0 /o.qcow2 qcow2", "block_job_cancel virtio0", "sleep 1"]
            default: []
            }
        func rig(_ format: OutputFormat) -> BlockRig {
            let rig = BlockRig(format: format)
            for step in setup { #expect(rig.run(step).succeeded, "\(step)") }
            rig.model.recorder.forget()
            return rig
        }
        let table = rig(.table)
        #expect(table.output(line) == confirmation + "\n")
        #expect(table.lastAction == qmp)
        #expect(table.actions.count == 1)
        // QEMU prints nothing on success; json shows the empty return.
        #expect(rig(.qemu).output(line) == "")
        #expect(rig(.json).output(line) == "{\"return\": {}}\n")
    }

    @Test func snapshotFileIsRequiredInPractice() {
        let rig = BlockRig()
        #expect(rig.run("snapshot_blkdev virtio0").error == "Error: Parameter 'snapshot-file' is missing\n")
        #expect(rig.actions.isEmpty)
    }

    @Test func backendErrorsPrintWithTheirClass() {
        let text = BlockRig().run("block_job_pause nosuch")
        #expect(text.error == "Error: Block job 'nosuch' not found\n")
        let json = BlockRig(format: .json).run("block_job_pause nosuch")
        #expect(json.output == "{\"error\": {\"class\": \"DeviceNotActive\", \"desc\": \"Block job 'nosuch' not found\"}}\n")
    }

    // MARK: block_resize

    @Test func growingEchoesTheUnit() {
        let rig = BlockRig()
        #expect(rig.output("block_resize virtio0 30G") == "virtio0 resized from 20 GiB to 30 GiB (32212254720 bytes)\n")
        #expect(rig.lastAction == #"block_resize {"device": "virtio0", "size": 32212254720}"#)
        #expect(
            rig.output("block_resize virtio0 40960")
                == "virtio0 resized from 30 GiB to 40 GiB (42949672960 bytes); no unit given, so MiB was assumed\n")
    }

    /// A name that only a node has goes as node-name; unknown names go as device so the backend explains.
    @Test func nodeNamesAndUnknownNames() {
        let rig = BlockRig()
        _ = rig.run("block_resize virtio0-base-fmt 30G")
        #expect(rig.lastAction == #"block_resize {"node-name": "virtio0-base-fmt", "size": 32212254720}"#)
        let r = rig.run("block_resize nosuch 1G")
        #expect(r.error == "Error: Cannot find device='nosuch' nor node-name=''\n")
        #expect(rig.lastAction == #"block_resize {"device": "nosuch", "size": 1073741824}"#)
    }

    @Test func batchRefusesToShrinkWithoutForce() {
        let rig = BlockRig()
        let r = rig.run("block_resize virtio0 10")
        #expect(r.output == "")
        #expect(
            r.error
                == "Error: Refusing to shrink virtio0 from 20 GiB to 10 MiB (10485760 bytes; no unit given, so MiB was assumed) without -f: the data past the new end would be lost\n"
        )
        #expect(rig.actions.isEmpty)
        // The refusal holds in every format, and json gets an error object.
        #expect(!BlockRig(format: .qemu).run("block_resize virtio0 10G").succeeded)
        #expect(
            BlockRig(format: .json).run("block_resize virtio0 10G").output.hasPrefix(
                "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Refusing to shrink virtio0"))
    }

    @Test func batchShrinksWithForce() {
        let rig = BlockRig()
        #expect(rig.output("block_resize -f virtio0 10G") == "virtio0 resized from 20 GiB to 10 GiB (10737418240 bytes)\n")
        #expect(rig.lastAction == #"block_resize {"device": "virtio0", "size": 10737418240}"#)
    }

    @Test func replAsksBeforeShrinking() {
        let rig = BlockRig()
        var questions: [String] = []
        rig.session.interactive = true
        rig.session.confirm = {
            questions.append($0); return true
        }
        #expect(
            rig.output("block_resize virtio0 10")
                == "virtio0 resized from 20 GiB to 10 MiB (10485760 bytes); no unit given, so MiB was assumed\n")
        #expect(
            questions == [
                "Shrink virtio0 from 20 GiB to 10 MiB (10485760 bytes; no unit given, so MiB was assumed)? The data past the new end is lost."
            ])
        #expect(rig.lastAction == #"block_resize {"device": "virtio0", "size": 10485760}"#)
    }

    @Test func replAnswerNoKeepsTheDisk() {
        let rig = BlockRig()
        rig.session.interactive = true
        rig.session.confirm = { _ in false }
        let r = rig.run("block_resize virtio0 10G")
        #expect(r.error == nil && r.output == "Not resized: virtio0 stays at 20 GiB\n")
        #expect(rig.actions.isEmpty)
    }

    @Test func replDoesNotAskWhenForcedOrGrowing() {
        let rig = BlockRig()
        var asked = 0
        rig.session.interactive = true
        rig.session.confirm = { _ in
            asked += 1; return false
        }
        #expect(rig.run("block_resize virtio0 -f 10G").succeeded)
        #expect(rig.run("block_resize virtio0 30G").succeeded)
        #expect(rig.run("block_resize virtio0 30G").succeeded)  // same size: not a shrink
        #expect(asked == 0)
    }

    /// A REPL without a way to ask (no confirm closure) behaves like a batch.
    @Test func interactiveWithoutConfirmRefuses() {
        let rig = BlockRig()
        rig.session.interactive = true
        #expect(rig.run("block_resize virtio0 1G").error?.contains("without -f") == true)
    }
}
