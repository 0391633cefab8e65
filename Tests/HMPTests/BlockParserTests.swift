import QAPI
import Testing
@testable import HMP

/// How the block command lines parse: arguments, flags, and every error text.
@Suite("block command parsing")
struct BlockParserTests {
    /// The parsed arguments as one sorted line: `device=virtio0 size=10485760 -force`.
    static func summary(_ line: String) -> String {
        do {
            guard let parsed = try HMPLineParser(table: .standard).parse(line) else { return "(blank)" }
            var parts = parsed.arguments.values.map { key, value -> String in
                switch value {
                case .string(let s): "\(key)=\(s)"
                case .integer(let i): "\(key)=\(i)"
                case .size(let s): "\(key)=\(s.bytes)\(s.suffix.map { "[\($0)]" } ?? "")"
                default: "\(key)=\(value)"
                }
            }
            parts += parsed.arguments.flags.map { "-\($0)" }
            return ([parsed.typedName] + parts.sorted()).joined(separator: " ")
        } catch {
            return "ERROR " + error.text
        }
    }

    @Test(arguments: [
        ("block_resize virtio0 10", "block_resize device=virtio0 size=10485760"),
        ("block_resize virtio0 10G", "block_resize device=virtio0 size=10737418240[G]"),
        ("block_resize virtio0 1.5g", "block_resize device=virtio0 size=1610612736[g]"),
        ("block_resize virtio0 0x10", "block_resize device=virtio0 size=16777216"),
        ("block_resize -f virtio0 512M", "block_resize -force device=virtio0 size=536870912[M]"),
        ("block_resize virtio0 -f 512M", "block_resize -force device=virtio0 size=536870912[M]"),
        ("block_resize virtio0 4096B", "block_resize device=virtio0 size=4096[B]"),
        ("block_stream virtio0", "block_stream device=virtio0"),
        ("block_stream virtio0 10", "block_stream device=virtio0 speed=10485760"),
        ("block_stream virtio0 1G base.qcow2", "block_stream base=base.qcow2 device=virtio0 speed=1073741824[G]"),
        ("block_job_set_speed virtio0 0", "block_job_set_speed device=virtio0 speed=0"),
        ("block_job_set_speed virtio0 100k", "block_job_set_speed device=virtio0 speed=102400[k]"),
        ("block_job_cancel virtio0", "block_job_cancel device=virtio0"),
        ("block_job_cancel -f virtio0", "block_job_cancel -force device=virtio0"),
        ("block_job_complete virtio0", "block_job_complete device=virtio0"),
        ("block_job_pause virtio0", "block_job_pause device=virtio0"),
        ("block_job_resume virtio0", "block_job_resume device=virtio0"),
        ("drive_mirror virtio0 /tmp/t.qcow2", "drive_mirror device=virtio0 target=/tmp/t.qcow2"),
        ("drive_mirror -f -n virtio0 /tmp/t.raw raw", "drive_mirror -full -reuse device=virtio0 format=raw target=/tmp/t.raw"),
        ("drive_mirror virtio0 -f \"/tmp/a b.qcow2\"", "drive_mirror -full device=virtio0 target=/tmp/a b.qcow2"),
        ("drive_backup -c -n -f virtio0 /b.qcow2", "drive_backup -compress -full -reuse device=virtio0 target=/b.qcow2"),
        ("snapshot_blkdev virtio0", "snapshot_blkdev device=virtio0"),
        ("snapshot_blkdev -n virtio0 /o.qcow2 qcow2", "snapshot_blkdev -reuse device=virtio0 format=qcow2 snapshot-file=/o.qcow2"),
        (
            "block_set_io_throttle virtio0 1 2 3 4 5 6",
            "block_set_io_throttle bps=1 bps_rd=2 bps_wr=3 device=virtio0 iops=4 iops_rd=5 iops_wr=6"
        ),
        // A negative number is an argument of its own, not `1 - 2`.
        (
            "block_set_io_throttle virtio0 1 -2 3 4 5 6",
            "block_set_io_throttle bps=1 bps_rd=-2 bps_wr=3 device=virtio0 iops=4 iops_rd=5 iops_wr=6"
        ),
        (
            "block_set_io_throttle virtio0 0x100000 (1+1) 0 0 0 0",
            "block_set_io_throttle bps=1048576 bps_rd=2 bps_wr=0 device=virtio0 iops=0 iops_rd=0 iops_wr=0"
        ),
        ("eject ide1-cd0", "eject device=ide1-cd0"),
        ("eject -f ide1-cd0", "eject -force device=ide1-cd0"),
        ("block_set_write_threshold disk0 18G", "block_set_write_threshold node=disk0 threshold=19327352832[G]"),
        ("block_set_write_threshold disk0 0", "block_set_write_threshold node=disk0 threshold=0"),
        ("info block", "info block"),
        ("info block -v -n", "info block -nodes -verbose"),
        ("info block virtio0 -v", "info block -verbose device=virtio0"),
        ("info blockstats", "info blockstats"),
        ("info block-jobs", "info block-jobs"),
    ])
    func parses(line: String, expected: String) {
        #expect(Self.summary(line) == expected)
    }

    static func usage(_ message: String, _ command: String) -> String {
        "ERROR \(message)\nTry \"help \(command)\" for more information"
    }

    @Test(arguments: [
        ("block_resize", usage("block_resize: block device name expected", "block_resize")),
        ("block_resize virtio0", usage("invalid size", "block_resize")),
        ("block_resize virtio0 -5", usage("invalid size", "block_resize")),
        ("block_resize virtio0 ten", usage("invalid size", "block_resize")),
        ("block_resize virtio0 1KiB", usage("block_resize: extraneous characters at the end of line", "block_resize")),
        ("block_resize virtio0 0x20M", usage("invalid size", "block_resize")),
        ("block_resize virtio0 8E", usage("invalid size", "block_resize")),
        ("block_resize virtio0 1G 2G", usage("block_resize: extraneous characters at the end of line", "block_resize")),
        ("block_resize -x virtio0 1G", usage("block_resize: unsupported option -x", "block_resize")),
        ("block_resize \"virtio0 1G", usage("unterminated string\nblock_resize: block device name expected", "block_resize")),
        ("block_stream", usage("block_stream: block device name expected", "block_stream")),
        ("block_stream virtio0 fast", usage("invalid size", "block_stream")),
        ("block_job_set_speed virtio0", usage("invalid size", "block_job_set_speed")),
        ("block_job_cancel", usage("block_job_cancel: block device name expected", "block_job_cancel")),
        ("block_job_cancel -n virtio0", usage("block_job_cancel: unsupported option -n", "block_job_cancel")),
        ("block_job_complete", usage("block_job_complete: block device name expected", "block_job_complete")),
        ("block_job_pause", usage("block_job_pause: block device name expected", "block_job_pause")),
        ("block_job_resume a b", usage("block_job_resume: extraneous characters at the end of line", "block_job_resume")),
        ("drive_mirror virtio0", usage("drive_mirror: string expected", "drive_mirror")),
        ("drive_mirror -c virtio0 t", usage("drive_mirror: unsupported option -c", "drive_mirror")),
        ("drive_mirror virtio0 t qcow2 extra", usage("drive_mirror: extraneous characters at the end of line", "drive_mirror")),
        ("drive_backup -f", usage("drive_backup: block device name expected", "drive_backup")),
        ("snapshot_blkdev", usage("snapshot_blkdev: block device name expected", "snapshot_blkdev")),
        ("block_set_io_throttle virtio0 1 2 3 4 5", usage("unexpected end of expression", "block_set_io_throttle")),
        (
            "block_set_io_throttle virtio0 1 2 3 4 5 6 7",
            usage("block_set_io_throttle: extraneous characters at the end of line", "block_set_io_throttle")
        ),
        ("block_set_io_throttle virtio0 1 2 3 4 5 x", usage("invalid char 'x' in expression", "block_set_io_throttle")),
        (
            "block_set_io_throttle virtio0 1 2 3 4 5 10M",
            usage("block_set_io_throttle: extraneous characters at the end of line", "block_set_io_throttle")
        ),
        ("block_set_io_throttle virtio0 1 2 3 4 5 (1", usage("')' expected", "block_set_io_throttle")),
        ("block_set_io_throttle virtio0 1 2 3 4 5 1/0", usage("division by zero", "block_set_io_throttle")),
        ("eject", usage("eject: block device name expected", "eject")),
        ("eject -f", usage("eject: block device name expected", "eject")),
        ("block_set_write_threshold disk0", usage("invalid size", "block_set_write_threshold")),
        ("block_set_write_threshold", usage("block_set_write_threshold: block device name expected", "block_set_write_threshold")),
        ("info block -x", usage("info block: unsupported option -x", "info block")),
        ("info block a b", usage("info block: extraneous characters at the end of line", "info block")),
        ("info blockstats now", usage("info blockstats: extraneous characters at the end of line", "info blockstats")),
        ("info block-jobs -v", usage("info block-jobs: unsupported option -v", "info block-jobs")),
        ("info blocks", "ERROR unknown command: 'info blocks'"),
    ])
    func rejects(line: String, expected: String) {
        #expect(Self.summary(line) == expected)
    }

    /// Parse errors print on stderr with the help hint, and nothing is sent to the backend.
    @Test func usageErrorsRunNothing() {
        let rig = BlockRig()
        let r = rig.run("block_set_io_throttle virtio0 1 2 3 4 5")
        #expect(r.output == "")
        #expect(
            r.error
                == "Error: block_set_io_throttle: unexpected end of expression\nTry \"help block_set_io_throttle\" for more information\n")
        #expect(rig.model.recorder.requests.isEmpty)
    }

    @Test func helpShowsUnitsAndQMP() {
        let text = BlockRig().output("help block_resize")
        #expect(text.hasPrefix("block_resize [-f] device size -- resize a block image\n"))
        #expect(text.contains("size; K M G T P E suffixes; no suffix means MiB"))
        #expect(text.hasSuffix("QMP: block_resize\n"))
        #expect(
            BlockRig(format: .qemu).output("help info block")
                == "info block [-n] [-v] [device] -- show info of one block device or all block devices (-n: show named nodes; -v: show details)\n"
        )
    }
}
