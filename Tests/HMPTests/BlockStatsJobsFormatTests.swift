import Machine
import QAPI
import Testing
@testable import HMP

/// Golden output of `info blockstats` and `info block-jobs` in the three formats.
@Suite("info blockstats and block-jobs formats")
struct BlockStatsJobsFormatTests {
    typealias F = BlockFixtures

    @Test func blockstatsQemu() {
        let expected = """
            virtio0: rd_bytes=1610612736 wr_bytes=314572800 rd_operations=41234 wr_operations=9876 flush_operations=120 wr_total_time_ns=987654321 rd_total_time_ns=2345678901 flush_total_time_ns=12345678 rd_merged=0 wr_merged=98 idle_time_ns=1500000
            ide1-cd0: rd_bytes=0 wr_bytes=0 rd_operations=0 wr_operations=0 flush_operations=0 wr_total_time_ns=0 rd_total_time_ns=0 flush_total_time_ns=0 rd_merged=0 wr_merged=0 idle_time_ns=0
            virtio1: rd_bytes=4096 wr_bytes=1048576 rd_operations=1 wr_operations=256 flush_operations=2 wr_total_time_ns=12500 rd_total_time_ns=850 flush_total_time_ns=3200000 rd_merged=0 wr_merged=2 idle_time_ns=61000000000

            """
        #expect(BlockStatsFormat.qemu(F.stats) == expected)
    }

    /// Entries without a device member are skipped; an empty name still gets its line.
    @Test func blockstatsQemuQuirks() {
        let zero = F.stats[1].stats
        let stats = [
            BlockStats(nodeName: "n1", stats: zero),
            BlockStats(device: "", qdev: "/machine/peripheral/d0", stats: zero),
        ]
        #expect(
            BlockStatsFormat.qemu(stats)
                == ": rd_bytes=0 wr_bytes=0 rd_operations=0 wr_operations=0 flush_operations=0 wr_total_time_ns=0 rd_total_time_ns=0 flush_total_time_ns=0 rd_merged=0 wr_merged=0 idle_time_ns=0\n"
        )
        #expect(
            BlockStatsFormat.table(stats).hasSuffix(
                "/machine/peripheral/d0   0 B      0 B       0       0          0     0 ns     0 ns        0 ns     -\n"))
    }

    @Test func blockstatsTable() {
        #expect(
            BlockStatsFormat.table(F.stats) == """
                device       read  written  rd ops  wr ops  flush ops  rd time  wr time  flush time      idle
                --------  -------  -------  ------  ------  ---------  -------  -------  ----------  --------
                virtio0   1.5 GiB  300 MiB   41234    9876        120  2.346 s   988 ms     12.3 ms    1.5 ms
                ide1-cd0      0 B      0 B       0       0          0     0 ns     0 ns        0 ns         -
                virtio1     4 KiB    1 MiB       1     256          2   850 ns  12.5 us      3.2 ms  61.000 s

                """)
    }

    /// The session prints the formatters' reading of the model's statistics, after guest I/O.
    @Test func blockstatsThroughTheSession() {
        for format in [OutputFormat.qemu, .table] {
            let rig = BlockRig(format: format)
            #expect(rig.run("sleep 2").succeeded)
            let stats = rig.stats
            #expect(stats.map(\.device) == ["virtio0", "virtio1", "ide1-cd0"])
            #expect(stats.first?.stats.rdBytes ?? 0 > 0)
            #expect(rig.output("info blockstats") == (format == .qemu ? BlockStatsFormat.qemu(stats) : BlockStatsFormat.table(stats)))
        }
    }

    @Test func blockstatsJSON() {
        let rig = BlockRig(format: .json)
        #expect(rig.run("sleep 1").succeeded)
        let text = rig.output("info blockstats")
        #expect(jsonReply(text) == .object(["return": .array(rig.stats.map(\.qapi))]))
        // A CD-ROM drive alone: never read, so no idle time yet.
        let one = BlockRig(format: .json, disks: [DiskSpec(device: "ide1-cd0", media: .cdrom, size: 0)])
        #expect(
            one.output("info blockstats") == """
                {"return": [{"device": "ide1-cd0", "qdev": "\(one.blocks.first?.qdev ?? "")", "stats": {"rd_bytes": 0, "wr_bytes": 0, "rd_operations": 0, "wr_operations": 0, "flush_operations": 0, "flush_total_time_ns": 0, "wr_total_time_ns": 0, "rd_total_time_ns": 0, "wr_highest_offset": 0, "rd_merged": 0, "wr_merged": 0}}]}

                """)
    }

    @Test(arguments: [
        (Int64(0), "0 ns"), (999, "999 ns"), (1000, "1 us"), (12_500, "12.5 us"), (999_499, "999 us"),
        (1_000_000, "1 ms"), (987_654_321, "988 ms"), (1_000_000_000, "1.000 s"), (61_000_000_000, "61.000 s"),
    ])
    func durations(ns: Int64, text: String) {
        #expect(BlockStatsFormat.duration(ns) == text)
    }

    // MARK: block-jobs

    @Test func jobsEmptyInEveryFormat() {
        #expect(BlockRig(format: .qemu).output("info block-jobs") == "No active jobs\n")
        #expect(BlockRig().output("info block-jobs") == "No active jobs\n")
        #expect(BlockRig(format: .json).output("info block-jobs") == "{\"return\": []}\n")
    }

    @Test func jobsQemu() {
        #expect(
            BlockJobsFormat.qemu(F.jobs) == """
                Streaming device virtio0: Completed 5368709120 of 21474836480 bytes, speed limit 0 bytes/s
                Type mirror, device mirror-data: Completed 107374182400 of 107374182400 bytes, speed limit 104857600 bytes/s
                Type backup, device backup0: Completed 1610612736 of 107374182400 bytes, speed limit 52428800 bytes/s

                """)
    }

    @Test func jobsTable() {
        #expect(
            BlockJobsFormat.table(F.jobs) == """
                job          type    state                     progress      speed
                -----------  ------  -------  -------------------------  ---------
                virtio0      stream  running      25% (5 GiB of 20 GiB)  unlimited
                mirror-data  mirror  ready    100% (100 GiB of 100 GiB)  100 MiB/s
                backup0      backup  paused     1% (1.5 GiB of 100 GiB)   50 MiB/s

                """)
    }

    @Test func jobsTableWithErrorsAndPausing() {
        var pausing = F.job("m1", .mirror(BlockJobInfoMirror(activelySynced: true)), len: 0, offset: 0, status: .running, paused: true)
        pausing.ioStatus = .nospace
        let failed = F.job("s1", .stream, len: 3, offset: 2, status: .concluded, error: "No space left on device")
        #expect(
            BlockJobsFormat.table([pausing, failed]) == """
                job  type    state                      progress      speed  error
                ---  ------  -----------------  ----------------  ---------  -----------------------
                m1   mirror  running (pausing)    - (0 B of 0 B)  unlimited  I/O nospace
                s1   stream  concluded          66% (2 B of 3 B)  unlimited  No space left on device

                """)
    }

    /// A running stream job on the model, in each format.
    @Test func jobsThroughTheSession() {
        let rig = BlockRig()
        #expect(rig.run("block_stream virtio0 1").succeeded)
        #expect(rig.run("sleep 1").succeeded)
        let jobs = rig.jobs
        #expect(jobs.map(\.device) == ["virtio0"] && jobs.first?.status == .running)
        #expect(rig.output("info block-jobs") == BlockJobsFormat.table(jobs))
        #expect(rig.model.session(.qemu).execute("info block-jobs").output == BlockJobsFormat.qemu(jobs))
        let text = rig.model.session(.json).execute("info block-jobs").output
        #expect(jsonReply(text) == .object(["return": .array(jobs.map(\.qapi))]))
        #expect(text.hasPrefix(#"{"return": [{"type": "stream", "device": "virtio0", "len": "#))
    }

    @Test func jobsJSONWireForm() {
        #expect(
            F.jobs[1].qapi.description == """
                {"type": "mirror", "device": "mirror-data", "len": 107374182400, "offset": 107374182400, "busy": false, "paused": false, "speed": 104857600, "io-status": "ok", "ready": true, "status": "ready", "auto-finalize": true, "auto-dismiss": true, "actively-synced": false}
                """)
    }
}
