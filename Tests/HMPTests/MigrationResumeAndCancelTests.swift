import Machine
import QAPI
import Testing
import TestSupport

@testable import HMP

/// What a postcopy resume and a cancel leave in `info migrate` and in the outcome of a
/// foreground `migrate`, on the model (virtual clock).
@Suite struct MigrationResumeAndCancelTests {
    /// A postcopy migration of a guest too large to finish at once, paused by the operator.
    func pausedPostcopy(format: OutputFormat = .table) -> ModelSession {
        var configuration = MachineConfiguration()
        configuration.ramSize = 8 << 30
        configuration.workload = GuestWorkload(dirtyPagesPerSecond: 20_000, zeroPercent: 0)
        let model = ModelSession(format: format, configuration: configuration)
        for line in [
            "migrate_set_capability postcopy-ram on", "migrate_set_parameter max-bandwidth 64M",
            "migrate -d tcp:192.0.2.1:4444", "sleep 1s", "migrate_start_postcopy", "sleep 100ms", "migrate_pause",
        ] {
            let result = model.run(line)
            #expect(result.succeeded, "\(line): \(result.error ?? "")")
        }
        return model
    }

    func queryMigrate(_ model: ModelSession) -> MigrationInfo? { try? model.query(QueryMigrateCommand.self, QAPIEmpty()) }

    @Test func aPausedMigrationShowsWhyItPaused() throws {
        let model = pausedPostcopy()
        let info = try #require(queryMigrate(model))
        #expect(info.status == .postcopyPaused)
        #expect(info.errorDesc == "Postcopy migration is paused by the user")
        #expect(model.run("info migrate").output.contains("Error                Postcopy migration is paused by the user\n"))
    }

    /// QEMU's migrate_prepare() drops the paused attempt's error when a resume is asked for.
    @Test func aResumeDropsTheErrorOfThePausedAttempt() throws {
        let model = pausedPostcopy()
        #expect(model.run("migrate -r -d tcp:192.0.2.1:4445").succeeded)
        let info = try #require(queryMigrate(model))
        #expect(info.status == .postcopyRecoverSetup)
        #expect(info.errorDesc == nil)
        let table = model.run("info migrate").output
        #expect(table.hasPrefix("Status               postcopy-recover-setup\n"))
        #expect(!table.contains("Error"))
    }

    @Test func aForegroundResumeEndsWithItsOwnOutcome() {
        let model = pausedPostcopy()
        let result = model.run("migrate -r tcp:192.0.2.1:4445")
        #expect(result.error == nil)
        #expect(result.output.hasPrefix("Migration completed in "))
        #expect(!result.output.contains("paused by the user"))
        let qemu = pausedPostcopy(format: .qemu)
        #expect(qemu.run("migrate -r tcp:192.0.2.1:4445") == HMPLineResult(output: "", error: nil))
    }

    /// QEMU 7.2 keeps the first error of a migration through a resume that works: the
    /// console does not report it as the result.
    @Test func aStaleErrorBesideAnEndedOrRunningStatusIsNotTheResult() {
        let stale = "Postcopy migration is paused by the user"
        for status: MigrationStatus in [.completed, .postcopyActive, .postcopyRecover, .active, .cancelled] {
            let info = MigrationInfo(status: status, errorDesc: stale)
            #expect(MigrationOutcome.waitError(info, earlierError: stale) == nil)
            #expect(!MigrationFormat.table(info, all: false).contains("Error"))
        }
        let failed = MigrationInfo(status: .failed, errorDesc: "Unable to write to socket: Connection reset by peer")
        #expect(MigrationOutcome.waitError(failed, earlierError: stale) == failed.errorDesc)
        #expect(MigrationFormat.table(failed, all: false).contains("Error   Unable to write to socket"))
        // Paused again with the very text of the earlier attempt: said to be the earlier one.
        let again = MigrationOutcome.waitError(MigrationInfo(status: .postcopyPaused, errorDesc: stale), earlierError: stale)
        #expect(again == "the resumed migration paused again (the error reported is still the earlier attempt's: \(stale))")
        let fresh = MigrationOutcome.waitError(MigrationInfo(status: .postcopyPaused, errorDesc: "Broken pipe"), earlierError: stale)
        #expect(fresh == "Broken pipe")
    }

    // MARK: Cancel

    func cancelledRun(format: OutputFormat = .table) -> ModelSession {
        var configuration = MachineConfiguration()
        configuration.ramSize = 2 << 30
        configuration.workload = GuestWorkload(dirtyPagesPerSecond: 20_000, zeroPercent: 0)
        let model = ModelSession(format: format, configuration: configuration)
        for line in [
            "migrate_set_parameter max-bandwidth 64M", "migrate -d tcp:192.0.2.1:4444", "sleep 3s", "migrate_cancel", "sleep 100ms",
        ] {
            let result = model.run(line)
            #expect(result.succeeded, "\(line): \(result.error ?? "")")
        }
        return model
    }

    /// QEMU's fill_source_migration_info() reports only the status of a cancelled migration;
    /// the table keeps the figures the console last read, and says so.
    @Test func infoMigrateAfterACancelKeepsTheFiguresInTheTable() throws {
        let model = cancelledRun()
        let info = try #require(queryMigrate(model))
        #expect(info.status == .cancelled)
        #expect(info.ram == nil && info.totalTime == nil)
        let table = model.run("info migrate").output
        #expect(table.hasPrefix("Status            cancelled\nFigures           last seen 3.000 s into the run, while active"))
        #expect(table.contains("Total time        3.000 s\n"))
        #expect(table.contains("  Transferred     192 MiB\n"))
        #expect(table.contains("  Total           2 GiB\n"))
        #expect(!table.contains("Expected downtime"))
        // The qemu and json formats stay QEMU's: the status alone.
        #expect(model.session(.qemu).execute("info migrate").output == "Status: \t\tcancelled\n")
        let json = model.session(.json).execute("info migrate").output
        #expect(json == "{\"return\": {\"status\": \"cancelled\"}}\n")
    }

    @Test func aNewMigrationForgetsTheFiguresOfTheCancelledOne() {
        let model = cancelledRun()
        #expect(model.run("migrate -d tcp:192.0.2.1:4444").succeeded)
        #expect(model.run("migrate_cancel").succeeded)
        #expect(model.run("sleep 100ms").succeeded)
        // Cancelled during setup: no figures were ever reported for this run.
        #expect(model.run("info migrate").output == "Status  cancelled\n")
    }
}
