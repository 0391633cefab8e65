import Foundation
import Testing

/// `wait`, `watch`, `--dry-run` and `--log-events` through the real executable: exit
/// statuses, NDJSON records, the log file.
@Suite("wait, watch, explain and the event log in a batch")
struct OperatorBatchTests {
    static let migrating = "migrate_set_capability events on; migrate_set_parameter max-bandwidth 1G; migrate -d tcp:10.0.0.2:4444"

    @Test func waitSucceedsFailsAndTimesOutWithDistinctStatuses() throws {
        let done = try runHMP(["--clock", "virtual", "-c", Self.migrating + "; wait migration completed"])
        #expect(done.status == 0, "\(done.stderr)")
        #expect(done.stdout.hasSuffix("Migration completed\n"))

        // Already true: returns at once, and no model time passes.
        let already = try runHMP(["--clock", "virtual", "-c", "wait status running; info migrate"])
        #expect(already.status == 0)
        #expect(already.stdout == "VM status: running\nNo migration has run yet\n")

        let late = try runHMP(["--clock", "virtual", "-c", Self.migrating + "; wait migration completed --timeout 2s"])
        #expect(late.status == 2)
        #expect(late.stderrLines == ["command 4: Error: wait: timed out after 2 s waiting for migration completed"])

        // A command error is 1, even with a timeout in the same batch.
        let both = try runHMP(["--clock", "virtual", "-c", "wait status paused -t 1s; migrate_continue nonsense"])
        #expect(both.status == 1)

        let bad = try runHMP(["--clock", "virtual", "-c", "wait migration finished"])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("Error: wait: migration STATUS expected, one of: none, setup, cancelling"))

        // The migration ending otherwise is an error, not a timeout.
        let cancelled = try runHMP([
            "--clock", "virtual", "-c", Self.migrating + "; migrate_cancel; wait migration completed",
        ])
        #expect(cancelled.status == 1)
        #expect(cancelled.stderr.contains("wait: the migration ended cancelled (waiting for completed)"))
    }

    @Test func waitEventMatchesDataAndAdvancesTheVirtualClock() throws {
        let run = try runHMP([
            "--clock", "virtual", "--dirty-rate", "20000", "-c",
            Self.migrating + "; wait event MIGRATION_PASS pass=3; qmp query-migrate",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("MIGRATION_PASS pass=3\n"))
        #expect(run.stdout.contains("\"dirty-sync-count\": 3"))
        // A year-long timeout on an idle VM costs nothing: nothing is scheduled, so the model jumps.
        let idle = try runHMP(["--clock", "virtual", "-c", "wait event STOP --timeout 8760h"])
        #expect(idle.status == 2)
    }

    @Test func waitJobConcludes() throws {
        let run = try runHMP([
            "--clock", "virtual", "-c",
            "drive_mirror virtio0 /tmp/m.qcow2; wait job virtio0 ready; block_job_complete virtio0; wait job virtio0 concluded",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Job virtio0 ready\n"))
        #expect(run.stdout.hasSuffix("Job virtio0 concluded\n"))
        let missing = try runHMP(["--clock", "virtual", "-c", "wait job nothing ready"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("No job with ID 'nothing'"))
    }

    @Test func watchPrintsOneRecordPerInterval() throws {
        let run = try runHMP([
            "--clock", "virtual", "--format", "json", "-c", Self.migrating + "; watch -n 10 --until-done info migrate",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let records = run.stdout.split(separator: "\n").compactMap { line -> [String: Any]? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], object["sample"] != nil else {
                return nil
            }
            return object
        }
        #expect(records.count >= 2)
        #expect(records.map { $0["sample"] as? Int } == (1...records.count).map { $0 })
        #expect(records.dropFirst().allSatisfy { ($0["elapsed"] as? Double).map { $0 > 0 } ?? false })
        let last = records.last?["return"] as? [String: Any]
        #expect(last?["status"] as? String == "completed")

        let counted = try runHMP(["--clock", "virtual", "-c", "watch -n 1 -c 3 info status"])
        #expect(counted.status == 0)
        #expect(counted.stdout.split(separator: "\n").count == 3)
        #expect(counted.stdout.hasPrefix("{\"sample\": 1, \"elapsed\": 0.0, \"command\": \"info status\", \"return\": {"))

        let endless = try runHMP(["--clock", "virtual", "-c", "watch info status"])
        #expect(endless.status == 1)
        #expect(endless.stderr.hasPrefix("Error: watch: in a batch give -c N or --until-done"))
    }

    @Test func dryRunPrintsRequestsAndChangesNothing() throws {
        let run = try runHMP(["--clock", "virtual", "--dry-run", "-c", "migrate_set_parameter max-bandwidth 1G; stop; info status"])
        #expect(run.status == 0)
        #expect(
            run.stdout == """
                {"execute": "migrate-set-parameters", "arguments": {"max-bandwidth": 1073741824}}
                {"execute": "stop"}
                {"execute": "query-status"}

                """)
        let bad = try runHMP(["--dry-run", "-c", "migrate_set_parameter max-bandwidth lots"])
        #expect(bad.status == 1)
    }

    @Test func logEventsAppendsJSONLinesWithTheirCause() throws {
        let path = NSTemporaryDirectory() + "hmp-events-\(getpid()).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try runHMP(["--clock", "virtual", "--log-events", path, "-c", "stop; cont"])
        #expect(run.status == 0)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(first?["event"] as? String == "STOP")
        #expect(first?["caused-by"] as? String == "stop")
        #expect(first?["timestamp"] != nil)
        // Appends.
        _ = try runHMP(["--clock", "virtual", "--log-events", path, "-c", "stop"])
        #expect(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count == 3)
        let unwritable = try runHMP(["--log-events", "/nonexistent/dir/x", "-c", "info status"])
        #expect(unwritable.status == 2)
        #expect(unwritable.stderr.hasPrefix("hmp: Error: cannot open --log-events '/nonexistent/dir/x': "))
    }
}
