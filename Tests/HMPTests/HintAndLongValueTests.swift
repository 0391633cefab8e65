import HMP
import QAPI
import Testing
import TestSupport

/// Hints where the next step is not obvious, confirmations where QEMU is silent, and long
/// values kept out of tables.
@Suite("Hints and long values")
struct HintAndLongValueTests {
    @Test func cancellingAPausedJobHintsForce() {
        let model = ModelSession()
        #expect(model.run("drive_backup virtio0 /tmp/hmp-hint/backup.qcow2").succeeded)
        #expect(model.run("block_job_pause virtio0").succeeded)
        #expect(
            model.run("block_job_cancel virtio0").error
                == "Error: The block job for device 'virtio0' is currently paused\n"
                + "Cancel it anyway with block_job_cancel -f virtio0, or resume it with block_job_resume virtio0\n")
        // QEMU's text alone in its format; -f does it.
        #expect(
            model.session(.qemu).execute("block_job_cancel virtio0").error
                == "Error: The block job for device 'virtio0' is currently paused\n")
        #expect(model.run("block_job_cancel -f virtio0").succeeded)
    }

    @Test func aCommandURIWithBlanksIsToBeQuoted() {
        let model = ModelSession()
        #expect(
            model.run("migrate -d exec:cat > /tmp/x").error
                == "Error: migrate: extraneous characters at the end of line: a URI with blanks goes in double quotes, as in "
                + "migrate -d \"exec:cat > /tmp/x\"\nTry \"help migrate\" for more information\n")
        #expect(
            model.session(.qemu).execute("migrate -d exec:cat > /tmp/x").error
                == "migrate: extraneous characters at the end of line\nTry \"help migrate\" for more information\n")
        // Other URIs cannot hold blanks: no such hint.
        #expect(
            model.run("migrate tcp:h:1 tcp:h:2").error
                == "Error: migrate: extraneous characters at the end of line\nTry \"help migrate\" for more information\n")
        #expect(model.run("info status").output == "VM status  running\n")
    }

    @Test func sleepAndAnEmptyHistorySayWhatHappened() {
        let model = ModelSession()
        #expect(model.run("sleep 1s").output == "Slept 1 s\n")
        #expect(model.run("sleep 250ms").output == "Slept 250 ms\n")
        #expect(model.run("info history").output == "The history is empty (only the console keeps one)\n")
        // QEMU's format stays as silent as QEMU.
        let quiet = model.session(.qemu).execute("sleep 1s")
        #expect(quiet.output == "" && quiet.succeeded)
    }

    @Test func aLongValueIsCutInTablesAndWholeElsewhere() throws {
        let model = ModelSession()
        let value = String(repeating: "k", count: 1 << 20)
        let set = model.run("migrate_set_parameter tls-creds \(value)")
        #expect(set.output == "tls-creds set to '\(String(repeating: "k", count: 64))…' (1048576 bytes)\n")
        let table = model.run("info migrate_parameters").output
        #expect(table.utf8.count < 4096)
        #expect(table.contains("tls-creds                   '\(String(repeating: "k", count: 64))…'\n"))
        #expect(
            table.hasSuffix(
                "tls-creds is 1048576 bytes long; shown whole by --format json, or by qmp {\"execute\": \"query-migrate-parameters\"}\n"))
        // The value is stored whole, and the other formats print it whole.
        #expect(try model.query(QueryMigrateParametersCommand.self, QAPIEmpty()).tlsCreds == value)
        #expect(model.session(.qemu).execute("info migrate_parameters").output.contains("tls-creds: '\(value)'\n"))
        #expect(model.session(.json).execute("info migrate_parameters").output.contains(value))
        // A value at the limit is shown as it is, with no note.
        let short = String(repeating: "s", count: 64)
        #expect(model.run("migrate_set_parameter tls-creds \(short)").output == "tls-creds set to '\(short)'\n")
        let shortTable = model.run("info migrate_parameters").output
        #expect(shortTable.contains("'\(short)'\n") && !shortTable.contains("bytes long"))
    }

    @Test func throttleLimitsAreNamedWithDashesInTheTable() {
        let model = ModelSession()
        #expect(model.run("block_set_io_throttle virtio0 0 1048576 0 0 200 0").succeeded)
        let table = model.run("info block -v virtio0").output
        #expect(table.contains("bps-rd 1 MiB/s, iops-rd 200/s"), "\(table)")
        #expect(!table.contains("bps_rd"))
        #expect(model.session(.qemu).execute("info block -v virtio0").output.contains("bps_rd=1048576"))
    }
}
