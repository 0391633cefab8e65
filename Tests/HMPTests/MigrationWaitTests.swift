import QAPI
import Testing
import TestSupport

@testable import HMP

/// `migrate` without `-d` on the model: waits on the backend clock, shows progress on a
/// terminal, ends with the outcome, and can stop waiting while the migration goes on.
@Suite struct MigrationWaitTests {
    /// The summary repeats what `query-migrate` reports at the end.
    @Test func waitsUntilCompletedAndSaysHowItWent() throws {
        let model = ModelSession()
        let result = model.run("migrate tcp:dst:4444")
        let info = try model.query(QueryMigrateCommand.self, QAPIEmpty())
        #expect(info.status == .completed)
        let ram = try #require(info.ram)
        let total = try #require(info.totalTime)
        #expect(result.error == nil)
        #expect(
            result.output.hasPrefix("Migration completed in \(HumanUnits.milliseconds(total)): \(MigrationUnits.size(ram.transferred)) at ")
        )
        #expect(result.output.hasSuffix(", downtime \(HumanUnits.milliseconds(try #require(info.downtime)))\n"))
        // One query and one synchronization per 100 ms poll until the end, and the session's own
        // synchronization before the line.
        #expect(model.elapsed % MigrationWait.pollInterval == 0)
        #expect(model.elapsed >= UInt64(total) * 1_000_000)
        let polls = model.recorder.requests.filter { $0.name == "query-migrate" }.count - 1
        #expect(polls == Int(model.elapsed / MigrationWait.pollInterval))
        #expect(model.recorder.synchronizations == 1 + polls)
    }

    @Test func otherFormats() {
        let qemu = ModelSession(format: .qemu)
        #expect(qemu.run("migrate tcp:dst:4444") == HMPLineResult(output: "", error: nil))
        #expect(qemu.migrationStatus == .completed)
        let json = ModelSession(format: .json)
        #expect(json.run("migrate tcp:dst:4444") == HMPLineResult(output: "{\"return\": {}}\n", error: nil))
        #expect(json.migrationStatus == .completed)
        #expect(json.elapsed == qemu.elapsed)
    }

    @Test func showsProgressOnATerminalAndClearsIt() {
        let model = ModelSession()
        let s = model.session
        var lines: [String] = []
        s.progress = { lines.append($0) }
        #expect(s.execute("migrate unix:/tmp/m").succeeded)
        // A line per poll, then the blank that clears it.
        #expect(lines.count == Int(model.elapsed / MigrationWait.pollInterval) + 1)
        #expect(lines.first == "Migration setup")
        #expect(lines[1].hasPrefix("pass 1 "))
        let middle = lines.dropFirst().dropLast()
        #expect(middle.allSatisfy { $0.contains("%  sent ") && $0.contains("  left ") && $0.contains("/s  ETA ") })
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(lines.last == "")
        // Machines get no progress.
        var jsonLines: [String] = []
        let json = ModelSession().session(.json)
        json.progress = { jsonLines.append($0) }
        #expect(json.execute("migrate unix:/tmp/m").succeeded)
        #expect(jsonLines.isEmpty)
    }

    /// The link breaks half a second in: the precopy migration fails with the model's error.
    @Test func aFailureIsReportedInEachFormat() throws {
        func failing(_ format: OutputFormat) -> (ModelSession, HMPLineResult) {
            let model = ModelSession(format: format)
            #expect(model.session(.table).execute("inject_fault drop-link 500ms").succeeded)
            return (model, model.run("migrate tcp:dst:1"))
        }
        let (model, table) = failing(.table)
        let info = try model.query(QueryMigrateCommand.self, QAPIEmpty())
        #expect(info.status == .failed)
        let error = try #require(info.errorDesc)
        #expect(table.error == "Error: Migration failed: \(error)\n")
        #expect(model.elapsed < 1_000_000_000)
        // QEMU prints the error without "Error: ".
        #expect(failing(.qemu).1.error == "\(error)\n")
        let json = failing(.json).1
        #expect(json.output == #"{"error": {"class": "GenericError", "desc": ""# + error + #""}}"# + "\n")
        #expect(!json.succeeded)
    }

    /// Unlike QEMU's HMP, the wait goes on through the switchover and postcopy to the end. (The
    /// model's `device` state is over within one poll, so only postcopy is seen here;
    /// `MigrationWait.isUnderway` covers both.)
    @Test func waitsThroughDeviceAndPostcopy() {
        let model = ModelSession()
        #expect(model.run("migrate_set_capability postcopy-ram on").succeeded)
        var statuses: [MigrationStatus] = []
        model.session.progress = { _ in
            if let status = model.migrationStatus, statuses.last != status { statuses.append(status) }
        }
        // Once the precopy runs, switch to postcopy, as an operator would from another monitor.
        model.session.interrupted = {
            if model.migrationStatus == .active, model.elapsed >= 1_000_000_000, !statuses.contains(.postcopyActive) {
                #expect(model.session(.json).execute("migrate_start_postcopy").succeeded)
            }
            return false
        }
        #expect(model.run("migrate tcp:dst:1").output.hasPrefix("Migration completed"))
        #expect(statuses.contains(.postcopyActive), "\(statuses)")
        #expect(model.migrationStatus == .completed)
        #expect(MigrationWait.isUnderway(.device) && MigrationWait.isUnderway(.postcopyActive))
    }

    /// A state that waits for the operator ends the wait and says so.
    @Test func stopsWaitingWhereTheOperatorMustAct() {
        let model = ModelSession()
        #expect(model.run("migrate_set_capability pause-before-switchover on").succeeded)
        #expect(
            model.run("migrate tcp:dst:1").output
                == "Migration paused before switchover; finish it with 'migrate_continue pre-switchover'\n")
        #expect(model.migrationStatus == .preSwitchover)
        #expect(model.run("migrate_continue pre-switchover").output == "Migration continues from pre-switchover\n")
    }

    @Test func ctrlCStopsWaitingButNotTheMigration() {
        let model = ModelSession()
        let s = model.session
        var cleared = false
        s.progress = { cleared = $0.isEmpty }
        s.interrupted = { model.elapsed >= 300_000_000 }
        let result = s.execute("migrate tcp:dst:1")
        #expect(
            result.output
                == "Stopped waiting; the migration continues in the background.\nFollow it with 'info migrate'; cancel it with 'migrate_cancel'.\n"
        )
        #expect(result.succeeded && cleared)
        #expect(model.elapsed == 300_000_000)
        s.interrupted = { false }
        #expect(s.execute("info migrate").output.hasPrefix("Status             active\n"))
        #expect(s.execute("migrate_cancel").succeeded)
        model.backend.wait(nanoseconds: 1_000_000_000)
        let cancelled = s.execute("info migrate").output
        #expect(cancelled.hasPrefix("Status ") && cancelled.contains(" cancelled\n"))
        #expect(cancelled.contains("Figures ") && cancelled.contains(" last seen "))
    }

    @Test func aRejectedMigrateDoesNotWait() {
        let model = ModelSession()
        #expect(model.run("migrate ftp:dst").error == "Error: unknown migration protocol: ftp:dst\n")
        #expect(model.elapsed == 0)
        #expect(model.run("migrate -d tcp:dst:1").succeeded)
        #expect(model.run("migrate tcp:dst:2").error == "Error: There's a migration process in progress\n")
        #expect(model.elapsed == 0)
    }
}
