import QAPI
import Testing

@testable import HMP

/// `migrate` without `-d`: waits on the backend clock, shows progress on a terminal, ends with
/// the outcome, and can stop waiting while the migration goes on.
@Suite struct MigrationWaitTests {
    @Test func waitsUntilCompletedAndSaysHowItWent() {
        let fake = MigrationFake()
        let result = fake.session().execute("migrate tcp:dst:4444")
        #expect(result == HMPLineResult(output: "Migration completed in 2.000 s: 769 MiB at 68.8 MiB/s, downtime 46 ms\n", error: nil))
        #expect(fake.backend.waited == 2_000_000_000)
        #expect(fake.backend.synchronizations == 1 + 20)
    }

    @Test func otherFormats() {
        let qemu = MigrationFake()
        #expect(qemu.session(.qemu).execute("migrate tcp:dst:4444") == HMPLineResult(output: "", error: nil))
        #expect(qemu.backend.waited == 2_000_000_000)
        let json = MigrationFake()
        #expect(json.session(.json).execute("migrate tcp:dst:4444") == HMPLineResult(output: "{\"return\": {}}\n", error: nil))
        #expect(json.backend.waited == 2_000_000_000)
    }

    @Test func showsProgressOnATerminalAndClearsIt() {
        let fake = MigrationFake()
        let s = fake.session()
        var lines: [String] = []
        s.progress = { lines.append($0) }
        #expect(s.execute("migrate unix:/tmp/m").succeeded)
        #expect(lines.count == 21)
        #expect(lines.first == "Migration setup")
        #expect(lines[1] == "pass 1 5.0%  sent 205 MiB  left 3.8 GiB  160 MiB/s  ETA 25 s  converging")
        #expect(lines[19] == "pass 4 80.0%  sent 3.8 GiB  left 205 MiB  160 MiB/s  ETA 2 s  converging")
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(lines.last == "")
        // Machines get no progress.
        var jsonLines: [String] = []
        let json = MigrationFake().session(.json)
        json.progress = { jsonLines.append($0) }
        #expect(json.execute("migrate unix:/tmp/m").succeeded)
        #expect(jsonLines.isEmpty)
    }

    @Test func aFailureIsReportedInEachFormat() {
        func failing() -> MigrationFake {
            let fake = MigrationFake()
            fake.plan = { $0 < 500_000_000 ? MigrationFixtures.setup : MigrationFixtures.failed }
            return fake
        }
        #expect(failing().session().execute("migrate tcp:dst:1").error == "Migration failed: Unable to write to socket: Broken pipe\n")
        // QEMU prints the error without "Error: ".
        #expect(failing().session(.qemu).execute("migrate tcp:dst:1").error == "Unable to write to socket: Broken pipe\n")
        let json = failing().session(.json).execute("migrate tcp:dst:1")
        #expect(json.output == #"{"error": {"class": "GenericError", "desc": "Unable to write to socket: Broken pipe"}}"# + "\n")
        #expect(!json.succeeded)
    }

    /// Unlike QEMU's HMP, the wait goes on through the switchover and postcopy to the end.
    @Test func waitsThroughDeviceAndPostcopy() {
        let fake = MigrationFake()
        fake.plan = { t in
            switch t {
            case ..<1_000_000_000: MigrationInfo(status: .active)
            case ..<1_200_000_000: MigrationInfo(status: .device)
            case ..<2_000_000_000: MigrationInfo(status: .postcopyActive)
            default: MigrationInfo(status: .completed)
            }
        }
        #expect(fake.session().execute("migrate tcp:dst:1").output.hasPrefix("Migration completed"))
        #expect(fake.backend.waited == 2_000_000_000)
    }

    /// A state that waits for the operator ends the wait and says so.
    @Test func stopsWaitingWhereTheOperatorMustAct() {
        let fake = MigrationFake()
        fake.plan = { $0 < 1_000_000_000 ? MigrationInfo(status: .active) : MigrationInfo(status: .preSwitchover) }
        #expect(
            fake.session().execute("migrate tcp:dst:1").output
                == "Migration paused before switchover; finish it with 'migrate_continue pre-switchover'\n")
        #expect(fake.backend.waited == 1_000_000_000)
    }

    @Test func ctrlCStopsWaitingButNotTheMigration() {
        let fake = MigrationFake()
        let s = fake.session()
        var cleared = false
        s.progress = { cleared = $0.isEmpty }
        s.interrupted = { fake.backend.waited >= 300_000_000 }
        let result = s.execute("migrate tcp:dst:1")
        #expect(
            result.output
                == "Stopped waiting; the migration continues in the background.\nFollow it with 'info migrate'; cancel it with 'migrate_cancel'.\n"
        )
        #expect(result.succeeded && cleared)
        #expect(fake.backend.waited == 300_000_000)
        s.interrupted = { false }
        #expect(s.execute("info migrate").output.hasPrefix("Status             active\n"))
        #expect(s.execute("migrate_cancel").succeeded)
        #expect(s.execute("info migrate").output.hasPrefix("Status             cancelled\nFigures            last seen "))
    }

    @Test func aRejectedMigrateDoesNotWait() {
        let fake = MigrationFake()
        #expect(fake.session().execute("migrate ftp:dst").error == "Error: unknown migration protocol: ftp:dst\n")
        #expect(fake.backend.waited == 0)
        #expect(fake.session().execute("migrate -d tcp:dst:1").succeeded)
        #expect(fake.session().execute("migrate tcp:dst:2").error == "Error: There's a migration process in progress\n")
    }
}
