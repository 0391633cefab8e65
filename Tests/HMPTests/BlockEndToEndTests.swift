import Machine
import Backend
import Monitor
import QAPI
import Testing
@testable import HMP

/// Block commands end to end: HMP lines through a session on the in-process VM with the
/// default disks (a thin qcow2 system disk over a base image, a read-only raw disk, an empty
/// CD-ROM), on the virtual clock: time moves only when a command waits.
@Suite("block commands on the model")
struct BlockEndToEndTests {
    let backend = InProcessBackend(machine: VirtualMachine(), clock: .virtual())
    let session: HMPSession

    init() { session = HMPSession(backend: backend) }

    func run(_ line: String, _ format: OutputFormat = .table) -> HMPLineResult {
        session.format = format
        return session.execute(line)
    }

    func virtualSize(_ device: String) -> Int64? {
        let blocks = try? backend.execute(QueryBlockCommand.self, QAPIEmpty())
        return blocks?.first { $0.device == device }?.inserted?.image.virtualSize
    }

    @Test func resize() {
        #expect(run("block_resize virtio0 30G").output == "virtio0 resized from 20 GiB to 30 GiB (32212254720 bytes)\n")
        #expect(virtualSize("virtio0") == 30 << 30)
        #expect(run("info block virtio0").output.contains("virtio0  virtio0-fmt  qcow2   /var/lib/hmp/images/vm0-system.qcow2  30 GiB"))
        // A bare number is MiB: refused as a shrink in a batch, with the unit spelled out.
        let bare = run("block_resize virtio0 20480")
        #expect(
            bare.error
                == "Error: Refusing to shrink virtio0 from 30 GiB to 20 GiB (21474836480 bytes; no unit given, so MiB was assumed) without -f: the data past the new end would be lost\n"
        )
        #expect(virtualSize("virtio0") == 30 << 30)
        // Forced, qcow2 shrinks as in QEMU; past the L1 table's reach it is refused as QEMU does.
        #expect(run("block_resize -f virtio0 20G").succeeded)
        #expect(virtualSize("virtio0") == 20 << 30)
        #expect(run("block_resize virtio0 7E").error == "Error: Failed to grow the L1 table: File too large\n")
        #expect(run("block_resize virtio0 40G", .qemu).output == "")
        #expect(virtualSize("virtio0") == 40 << 30)
    }

    @Test func resizeInTheREPLAsks() {
        session.interactive = true
        var asked: [String] = []
        session.confirm = {
            asked.append($0); return false
        }
        // A deliberate "no" is an answer, not a failure.
        let declined = run("block_resize virtio0 1G")
        #expect(declined.succeeded && declined.output == "Not resized: virtio0 stays at 20 GiB\n")
        #expect(asked == ["Shrink virtio0 from 20 GiB to 1 GiB (1073741824 bytes)? The data past the new end is lost."])
        #expect(virtualSize("virtio0") == 20 << 30)
    }

    @Test func mirrorReachesReadyAndCompletes() {
        #expect(run("drive_mirror virtio0 /tmp/mirror.qcow2").succeeded)
        let started = run("info block-jobs").output
        #expect(started.contains("virtio0  mirror  running"))
        _ = run("sleep 30s")
        let ready = run("info block-jobs").output
        #expect(ready.contains("virtio0  mirror  ready  100% ("))
        let line = run("info block-jobs", .qemu).output
        #expect(line.hasPrefix("Type mirror, device virtio0: Completed ") && line.hasSuffix(" bytes, speed limit 0 bytes/s\n"))
        let events = backend.takeEvents().compactMap { $0["event"]?.stringValue }
        #expect(events.contains("BLOCK_JOB_READY"))

        #expect(run("block_job_complete virtio0").output == "job virtio0: completion requested\n")
        _ = run("sleep 1s")
        #expect(run("info block-jobs").output == "No active jobs\n")
        #expect(backend.takeEvents().contains { $0["event"]?.stringValue == "BLOCK_JOB_COMPLETED" })
        #expect(run("info block", .qemu).output.hasPrefix("virtio0 (#block100): /tmp/mirror.qcow2 (qcow2)\n"))
    }

    @Test func jobControlErrorsComeFromTheModel() {
        #expect(run("block_job_pause virtio0").error?.hasPrefix("Error: ") == true)
        #expect(
            run("block_stream virtio0 10").output
                == "stream job virtio0 started: copying the whole backing chain into virtio0, speed limit 10 MiB/s (10485760 bytes/s); no unit given, so MiB/s was assumed\n"
        )
        #expect(run("info block-jobs").output.contains("10 MiB/s"))
        #expect(run("block_job_pause virtio0").succeeded)
        _ = run("sleep 1s")
        #expect(run("info block-jobs").output.contains("virtio0  stream  paused"))
        #expect(run("block_job_resume virtio0").succeeded)
        #expect(run("block_job_cancel virtio0").succeeded)
    }

    /// The thin-provisioning loop: a threshold a little above the file's allocation fires
    /// BLOCK_WRITE_THRESHOLD once the guest has written enough, and is then cleared.
    @Test func writeThreshold() throws {
        let nodes = try backend.execute(QueryNamedBlockNodesCommand.self, QueryNamedBlockNodesArguments())
        let allocated = try #require(nodes.first { $0.nodeName == "virtio0-file" }?.image.actualSize)
        let threshold = allocated + (1 << 20)
        #expect(
            run("block_set_write_threshold virtio0-file \(threshold)B").output
                == "virtio0-file: write threshold at \(SizeEcho.bytes(UInt64(threshold)))\n")
        #expect(run("info block -n -v virtio0-file").output.contains("write threshold  \(SizeEcho.bytes(UInt64(threshold)))"))
        _ = run("sleep 60s")
        let fired = backend.takeEvents().filter { $0["event"]?.stringValue == "BLOCK_WRITE_THRESHOLD" }
        #expect(fired.count == 1)
        #expect(fired.first?["data"]?["write-threshold"]?.int64Value == threshold)
        #expect(run("info block -n -v virtio0-file").output.contains("write threshold  off"))
        // On a device name the threshold goes to its top node.
        #expect(
            run("block_set_write_threshold virtio0 19G").output == "virtio0-fmt (virtio0): write threshold at 19 GiB (20401094656 bytes)\n")
        #expect(run("block_set_write_threshold virtio0 0").output == "virtio0-fmt (virtio0): write threshold disabled\n")
    }

    @Test func statisticsMoveWithTheClock() {
        #expect(run("info blockstats", .qemu).output.hasPrefix("virtio0: rd_bytes=0 wr_bytes=0 "))
        _ = run("sleep 10s")
        let stats = run("info blockstats", .qemu).output
        #expect(!stats.hasPrefix("virtio0: rd_bytes=0 "))
        #expect(stats.split(separator: "\n").count == 3)
    }

    @Test func infoBlockInEveryFormat() {
        let qemu = run("info block", .qemu).output
        #expect(
            qemu.hasPrefix(
                """
                virtio0 (virtio0-fmt): /var/lib/hmp/images/vm0-system.qcow2 (qcow2)
                    Attached to:      /machine/peripheral-anon/device[0]/virtio-backend
                    Cache mode:       writeback
                    Backing file:     /var/lib/hmp/images/fedora-41-base.qcow2 (chain depth: 1)

                """))
        #expect(qemu.contains("\nide1-cd0: [not inserted]\n"))
        let table = run("info block").output
        #expect(table.hasPrefix("device    node         format  file"))
        let json = run("info block", .json).output
        let reply = try? JSONParser.parse(json)
        #expect(reply?["return"]?.arrayValue?.count == 3)
        #expect(run("info block nosuch").error == "Error: Cannot find device='nosuch' nor node-name='nosuch'\n")
    }

    @Test func throttleAndEject() {
        #expect(run("block_set_io_throttle virtio0 10485760 0 0 100 0 0").succeeded)
        #expect(
            run("info block virtio0", .qemu).output.contains(
                "    I/O throttling:   bps=10485760 bps_rd=0 bps_wr=0 bps_max=0 bps_rd_max=0 bps_wr_max=0 iops=100 iops_rd=0 iops_wr=0 iops_max=0 iops_rd_max=0 iops_wr_max=0 iops_size=0 group=virtio0\n"
            ))
        #expect(run("info block -v virtio0").output.contains("I/O limits       bps 10 MiB/s, iops 100/s, group virtio0"))
        #expect(run("block_set_io_throttle virtio0 0 0 0 0 0 0").output == "virtio0: I/O limits removed\n")
        #expect(run("eject -f ide1-cd0").succeeded)
    }
}
