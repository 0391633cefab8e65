import Foundation
import Testing
import HMP
import TestSupport
import QAPI
@testable import Console

/// A refused command changes nothing: random command sequences on one model, with the
/// model's whole visible state compared before and after every line that failed.
/// `HMP_REFUSAL_STEPS` raises the number of lines for a longer run.
@Suite("Refusals change nothing")
struct RefusalPropertyTests {
    /// Lines that succeed or fail depending on what ran before: snapshots, migrations,
    /// block jobs, resizes, run state, parameters.
    static let lines: [String] = [
        "savevm s1", "savevm s2", "savevm", "delvm s1", "loadvm s2", "info snapshots",
        "migrate -d tcp:1.2.3.4:5", "migrate -d exec:cat", "migrate_cancel", "migrate_start_postcopy",
        "migrate_set_capability postcopy-ram on", "migrate_set_capability xbzrle on", "migrate_set_capability events off",
        "migrate_set_parameter max-bandwidth 1G", "migrate_set_parameter downtime-limit 5", "migrate_set_parameter multifd-channels 300",
        "migrate_set_parameter xbzrle-cache-size 3", "migrate_set_parameter tls-creds x", "migrate_incoming tcp:0:4444",
        "stop", "cont", "sleep 1s", "sleep 100ms",
        "block_resize virtio0 20G", "block_resize -f virtio0 1G", "block_resize virtio1 1T", "block_resize ide1-cd0 1G",
        "eject ide1-cd0", "eject virtio0", "eject -f virtio1",
        "block_stream virtio0", "block_job_cancel virtio0", "block_job_cancel -f virtio0", "block_job_pause virtio0",
        "block_job_resume virtio0", "block_job_complete virtio0",
        "drive_backup virtio0 /tmp/hmp-backup.qcow2", "drive_mirror virtio1 /tmp/hmp-mirror.qcow2",
        "snapshot_blkdev virtio1 /tmp/hmp-overlay.qcow2", "block_set_io_throttle virtio0 1 0 0 0 0 0",
        "set_vcpu_dirty_limit 10", "cancel_vcpu_dirty_limit 9", "calc_dirty_rate 1",
        "nope", "savevm \"unterminated",
    ]

    /// Lines whose failure may legitimately leave a trace: a failed load leaves the guest
    /// stopped (as in QEMU), a sleep moves time, and a migration whose channel cannot be opened
    /// is recorded as failed in query-migrate (QEMU's migrate_fd_error()).
    static let mayChangeOnFailure: Set<String> = ["loadvm s2", "sleep 1s", "sleep 100ms", "migrate -d exec:cat"]

    static let queries = [
        "query-status", "query-block", "query-migrate", "query-migrate-parameters", "query-migrate-capabilities",
        "query-block-jobs", "query-jobs", "query-named-block-nodes", "query-vcpu-dirty-limit",
    ]

    static func state(_ session: HMPSession) -> String {
        queries.map { name in
            var request = JSONObject()
            request.append("execute", .string(name))
            return session.backend.dispatch(.object(request)).description
        }.joined(separator: "\n")
    }

    static var steps: Int { ProcessInfo.processInfo.environment["HMP_REFUSAL_STEPS"].flatMap(Int.init) ?? 600 }

    @Test func refusedLinesLeaveTheStateAsItWas() {
        var rng = SeededGenerator(seed: 0x5AFE)
        var session = makeTestSession()
        var refusals = 0
        for step in 0..<Self.steps {
            if step % 150 == 0 { session = makeTestSession() }
            let line = Self.lines.randomElement(using: &rng)!
            let before = Self.state(session)
            let result = session.execute(line)
            guard !result.succeeded, !Self.mayChangeOnFailure.contains(line) else { continue }
            refusals += 1
            let after = Self.state(session)
            let changed = zip(before.split(separator: "\n"), after.split(separator: "\n")).filter { $0 != $1 }
            #expect(
                before == after, "'\(line)' failed (\(result.error ?? "")) but changed the state: \(changed.map { "\($0.0) -> \($0.1)" })")
            if before != after { return }
        }
        #expect(refusals > Self.steps / 10)
    }

    @Test func refusedSavevmKeepsTheEarlierSnapshot() {
        let session = makeTestSession()
        #expect(session.execute("savevm s1").succeeded)
        #expect(session.execute("migrate -d tcp:1.2.3.4:5").succeeded)
        let refused = session.execute("savevm s1")
        #expect(refused.error?.contains("There's a migration process in progress") == true)
        #expect(session.execute("info snapshots").output.contains("s1"))
    }
}
