import QAPI
import Testing
import TestSupport

@testable import HMP

/// Golden output of `info migrate`, `info migrate_parameters` and `info migrate_capabilities`
/// in the table and qemu formats, from fixed data; the json format is checked through a session.
@Suite struct MigrationFormatTests {
    static let infoCases: [(String, MigrationInfo, Bool, String, String)] = [
        ("none", MigrationFixtures.none, false, "info-migrate/none.qemu.txt", "info-migrate/none.table.txt"),
        ("none -a", MigrationFixtures.none, true, "info-migrate/none-a.qemu.txt", "info-migrate/none-a.table.txt"),
        ("setup", MigrationFixtures.setup, false, "info-migrate/setup.qemu.txt", "info-migrate/setup.table.txt"),
        ("setup -a", MigrationFixtures.setup, true, "info-migrate/setup-a.qemu.txt", "info-migrate/setup-a.table.txt"),
        ("active", MigrationFixtures.active, false, "info-migrate/active.qemu.txt", "info-migrate/active.table.txt"),
        ("active -a", MigrationFixtures.active, true, "info-migrate/active-a.qemu.txt", "info-migrate/active-a.table.txt"),
        ("completed", MigrationFixtures.completed, false, "info-migrate/completed.qemu.txt", "info-migrate/completed.table.txt"),
        ("completed -a", MigrationFixtures.completed, true, "info-migrate/completed-a.qemu.txt", "info-migrate/completed-a.table.txt"),
        ("failed", MigrationFixtures.failed, false, "info-migrate/failed.qemu.txt", "info-migrate/failed.table.txt"),
        ("failed -a", MigrationFixtures.failed, true, "info-migrate/failed-a.qemu.txt", "info-migrate/failed-a.table.txt"),
        (
            "postcopy-paused", MigrationFixtures.postcopyPaused, false, "info-migrate/postcopy-paused.qemu.txt",
            "info-migrate/postcopy-paused.table.txt"
        ),
        (
            "postcopy-paused -a", MigrationFixtures.postcopyPaused, true, "info-migrate/postcopy-paused-a.qemu.txt",
            "info-migrate/postcopy-paused-a.table.txt"
        ),
        ("incoming", MigrationFixtures.incoming, false, "info-migrate/incoming.qemu.txt", "info-migrate/incoming.table.txt"),
        ("incoming -a", MigrationFixtures.incoming, true, "info-migrate/incoming-a.qemu.txt", "info-migrate/incoming-a.table.txt"),
        ("blocked", MigrationFixtures.blocked, false, "info-migrate/blocked.qemu.txt", "info-migrate/blocked.table.txt"),
        ("blocked -a", MigrationFixtures.blocked, true, "info-migrate/blocked-a.qemu.txt", "info-migrate/blocked-a.table.txt"),
    ]

    /// Golden files under Tests/Golden/info-migrate (HMP_RECORD_GOLDEN=1 re-records them).
    @Test(arguments: infoCases)
    func infoMigrate(name: String, info: MigrationInfo, all: Bool, qemu: String, table: String) {
        GoldenFile.check(MigrationFormat.qemu(info, all: all), qemu)
        GoldenFile.check(MigrationFormat.table(info, all: all), table)
    }

    /// Typed independently of the goldens, from the format strings in QEMU 10.2's source.
    @Test func qemuLayoutByHand() {
        let text = MigrationFormat.qemu(MigrationFixtures.active, all: false)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "Status: \t\tactive")
        #expect(lines[1] == "Time (ms): \t\ttotal=12346, setup=15, exp_down=300")
        #expect(lines[2] == "RAM info:")
        #expect(lines[3] == "  Throughput (Mbps): \t1342.83")
        #expect(lines[4] == "  Sizes: \t\tpagesize=4 KiB, total=4.02 GiB")
        #expect(lines[5] == "  Transfers: \t\ttransferred=1.41 GiB, remain=2.46 GiB")
        #expect(lines[6] == "    Channels: \t\tprecopy=15.2 MiB, multifd=0 B, postcopy=0 B")
        #expect(lines[7] == "    Page Types: \tnormal=367713, zero=41195")
        #expect(lines[8] == "  Page Rates (pps): \ttransfer=40900, dirty=4")
        #expect(lines[9] == "  Others: \t\tdirty_syncs=2")
        #expect(lines[10] == "" && lines.count == 11)
        #expect(!text.contains("\r"))
        let failed = MigrationFormat.qemu(MigrationFixtures.failed, all: false)
        #expect(failed == "Status: \t\tfailed (Unable to write to socket: Broken pipe)\n")
    }

    @Test func qemuOmitsZeroTimesAndShowsErrorsOnlyForFailedAndPaused() {
        var info = MigrationInfo(status: .cancelled, totalTime: 0, errorDesc: "ignored")
        #expect(MigrationFormat.qemu(info, all: false) == "Status: \t\tcancelled\n")
        info.totalTime = 5
        #expect(MigrationFormat.qemu(info, all: false) == "Status: \t\tcancelled\nTime (ms): \t\ttotal=5\n")
    }

    @Test func vfioAndRareCountersAppearWhenPresent() {
        var info = MigrationFixtures.completed
        info.vfio = VfioStats(transferred: 3 << 20)
        info.ram?.dirtySyncMissedZeroCopy = 7
        info.dirtyLimitThrottleTimePerRound = 120
        info.dirtyLimitRingFullTime = 30
        let qemu = MigrationFormat.qemu(info, all: true)
        #expect(qemu.contains("    Channels: \t\tprecopy=738 MiB, multifd=0 B, postcopy=0 B, vfio=3 MiB\n"))
        #expect(qemu.contains("  Others: \t\tdirty_syncs=4, downtime_bytes=32312649, zerocopy_fallbacks=7\n"))
        #expect(qemu.hasSuffix("Dirty-limit Throttle (us): 120\nDirty-limit Ring Full (us): 30\n"))
        let table = MigrationFormat.table(info, all: false)
        #expect(table.contains("  VFIO bytes           3 MiB\n"))
        #expect(table.contains("  Zero-copy fallbacks  7\n"))
        #expect(table.contains("Throttling\n  Dirty-limit sleep    120 us per round\n  Dirty ring full      30 us\n"))
    }

    @Test func tableFitsEightyColumns() {
        for (name, info, all, _, _) in Self.infoCases {
            for line in MigrationFormat.table(info, all: all).split(separator: "\n") {
                #expect(line.count <= 80, "\(name): \(line)")
            }
        }
        for line in MigrationParametersFormat.table(MigrationFixtures.changedParameters).split(separator: "\n") {
            #expect(line.count <= 80)
        }
    }

    @Test func parameters() {
        GoldenFile.check(MigrationParametersFormat.qemu(MigrationFixtures.defaultParameters), "info-migrate_parameters/default.qemu.txt")
        GoldenFile.check(MigrationParametersFormat.table(MigrationFixtures.defaultParameters), "info-migrate_parameters/default.table.txt")
        GoldenFile.check(MigrationParametersFormat.qemu(MigrationFixtures.changedParameters), "info-migrate_parameters/changed.qemu.txt")
        GoldenFile.check(MigrationParametersFormat.table(MigrationFixtures.changedParameters), "info-migrate_parameters/changed.table.txt")
    }

    @Test func parametersTableShowsEveryParameterOnce() {
        #expect(Set(MigrationParametersFormat.displayOrder) == Set(MigrationParameter.allCases))
        #expect(MigrationParametersFormat.displayOrder.count == MigrationParameter.allCases.count)
        let table = MigrationParametersFormat.table(MigrationFixtures.changedParameters)
        for name in MigrationParameter.allCases { #expect(table.contains("\n\(name.rawValue) "), "\(name)") }
    }

    @Test func capabilities() {
        let list = MigrationFixtures.capabilities(on: [.xbzrle, .multifd])
        let qemu = MigrationParametersFormat.qemu(list)
        #expect(qemu.hasPrefix("xbzrle: on\nrdma-pin-all: off\nauto-converge: off\nzero-blocks: off\n"))
        #expect(qemu.contains("\nmultifd: on\n"))
        #expect(qemu.hasSuffix("dirty-limit: off\nmapped-ram: off\n"))
        #expect(qemu.split(separator: "\n").count == MigrationCapability.allCases.count)
        let table = MigrationParametersFormat.table(list)
        #expect(table.hasPrefix("Capability               State\n-----------------------  -----\nxbzrle                   on\n"))
        #expect(
            table.hasSuffix(
                "multifd                  on\ndirty-bitmaps            off\npostcopy-blocktime       off\nlate-block-activate      off\nx-ignore-shared          off\nvalidate-uuid            off\nbackground-snapshot      off\nzero-copy-send           off\npostcopy-preempt         off\nswitchover-ack           off\ndirty-limit              off\nmapped-ram               off\n"
            ))
    }

    @Test func exactSizes() {
        let cases: [(UInt64, String)] = [
            (0, "0 B"), (1, "1 B"), (1023, "1023 B"), (1024, "1 KiB"), (1536, "1.5 KiB"), (1_048_576_000, "1000 MiB"),
            (1_610_612_736, "1.5 GiB"), (1_342_177_280, "1.25 GiB"), (1_074_790_400, "1025 MiB"), (1_500_000, "1500000 B"),
            (1 << 40, "1 TiB"),
            (UInt64.max, "18446744073709551615 B"), (1 << 63, "8 EiB"),
        ]
        for (bytes, text) in cases { #expect(MigrationUnits.exactSizeText(bytes) == text, "\(bytes)") }
    }

    @Test func progressLine() {
        #expect(MigrationProgressFormat.line(MigrationFixtures.setup) == "Migration setup")
        // Sent and left apart (sent passes the total as pages go again); as the row narrows the
        // dirty rate goes first, then the expected downtime.
        #expect(
            MigrationProgressFormat.line(MigrationFixtures.active, width: 120)
                == "pass 2  sent 1.41 GiB  left 2.46 GiB  160 MiB/s  dirty 16 KiB/s  downtime 300 ms  ETA 16 s")
        #expect(
            MigrationProgressFormat.line(MigrationFixtures.active)
                == "pass 2  sent 1.41 GiB  left 2.46 GiB  160 MiB/s  downtime 300 ms  ETA 16 s")
        #expect(
            MigrationProgressFormat.line(MigrationFixtures.active, width: 60)
                == "pass 2  sent 1.41 GiB  left 2.46 GiB  160 MiB/s  ETA 16 s")
        // The share shown is of the pass under way, and a verdict other than converging has no ETA.
        let stuck = MigrationVerdict(kind: .notConverging, summary: "not converging: the guest dirties 195 MiB/s, the link sends 64 MiB/s")
        #expect(
            MigrationProgressFormat.line(MigrationFixtures.active, pass: (5, 0.25), verdict: stuck, width: 200)
                == "pass 5 25.0%  sent 1.41 GiB  left 2.46 GiB  160 MiB/s  dirty 16 KiB/s  downtime 300 ms  ETA n/a  not converging: the guest dirties 195 MiB/s, the link sends 64 MiB/s"
        )
        #expect(
            MigrationProgressFormat.line(MigrationFixtures.active, pass: (5, 0.25), verdict: stuck, width: 120)
                == "pass 5 25.0%  sent 1.41 GiB  left 2.46 GiB  160 MiB/s  dirty 16 KiB/s  downtime 300 ms  ETA n/a  not converging")
        var early = MigrationFixtures.active
        early.ram?.dirtyPagesRate = 0
        #expect(
            MigrationProgressFormat.line(early) == "pass 2  sent 1.41 GiB  left 2.46 GiB  160 MiB/s  downtime 300 ms  ETA 16 s")
        early.status = .postcopyActive
        early.ram?.transferred = 1 << 20
        #expect(MigrationProgressFormat.line(early).hasPrefix("postcopy-active  pass 2  sent 1 MiB  left 2.46 GiB  "))
        // Nothing is ever wider than asked.
        for width in 20...200 {
            #expect(
                DisplayWidth.of(MigrationProgressFormat.line(MigrationFixtures.active, pass: (5, 0.25), verdict: stuck, width: width))
                    <= max(width, 60))
        }
        #expect(MigrationProgressFormat.eta(remaining: 1 << 30, mbps: 80, dirtyBytesPerSecond: 10_000_000) == "n/a")
        #expect(MigrationProgressFormat.eta(remaining: 3_000_000_000, mbps: 80, dirtyBytesPerSecond: 0) == "5 min 0 s")
        #expect(MigrationProgressFormat.eta(remaining: 0, mbps: 0, dirtyBytesPerSecond: 0) == "0 s")
        #expect(MigrationUnits.duration(seconds: 7300) == "2 h 1 min")
    }

    @Test func outcomeLines() {
        #expect(
            MigrationProgressFormat.outcome(MigrationFixtures.completed)
                == "Migration completed in 11.179 s: 769 MiB at 68.8 MiB/s, downtime 46 ms")
        #expect(MigrationProgressFormat.outcome(MigrationInfo(status: .cancelled)) == "Migration cancelled")
        #expect(
            MigrationProgressFormat.outcome(MigrationInfo(status: .postcopyActive))
                == "Migration is postcopy-active and goes on in the background; follow it with 'info migrate'")
        #expect(
            MigrationProgressFormat.outcome(MigrationInfo(status: .preSwitchover))
                == "Migration paused before switchover; finish it with 'migrate_continue pre-switchover'")
    }
}
