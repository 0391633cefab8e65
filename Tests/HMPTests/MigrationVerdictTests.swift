import Backend
import Machine
import Monitor
import QAPI
import Testing

@testable import HMP

/// The verdicts of `info migrate` on model scenarios, as golden text: the view from the
/// passes the console saw, the same whatever backend reported them.
@Suite struct MigrationVerdictTests {
    static let setup = "migrate_set_capability events on; migrate_set_parameter max-bandwidth 64M"
    static let start = "migrate -d tcp:10.0.0.2:4444"

    /// Runs `script` (lines split at ;) on a fresh model, taking events after each line as the console does;
    /// then `info migrate -v`; answers the part from the verdict on.
    func verdict(_ script: String) -> String {
        let backend = InProcessBackend(machine: VirtualMachine(), clock: .virtual())
        let session = HMPSession(backend: backend)
        // The console's defaults: no zero pages.
        for line in ("guest_set zero-pages 0;" + script).split(separator: ";") {
            let result = session.execute(String(line))
            #expect(result.error == nil, "\(line): \(result.error ?? "")")
            // As the console does after every line.
            _ = session.takeEvents()
        }
        let text = session.execute("info migrate -v").output
        guard let range = text.range(of: "\nVerdict") else { return text }
        return String(text[text.index(after: range.lowerBound)...])
    }

    @Test func converging() {
        #expect(
            verdict("guest_set dirty-rate 5000; \(Self.setup); \(Self.start); wait event MIGRATION_PASS pass=3") == """
                Verdict  converging: about 2 passes, 2 s left
                Pass     3, 0.0% of what it began with sent

                Pass     Start        Duration      Sent  Left at start  Pages dirtied      Rate
                ----  --------  --------------  --------  -------------  -------------  --------
                   1   0.003 s        63.805 s  3.99 GiB          4 GiB          64698  64 MiB/s
                   2  63.808 s         3.957 s   253 MiB        272 MiB          15872  64 MiB/s
                   3  67.765 s  0.000 s so far       0 B       81.2 MiB              0         -

                """)
    }

    @Test func dirtyingFasterThanTheLink() {
        #expect(
            verdict("guest_set dirty-rate 50k; guest_set hot-set 2G; \(Self.setup); \(Self.start); wait event MIGRATION_PASS pass=4") == """
                Verdict     not converging: the guest dirties 63.3 MiB/s, the link sends 64 MiB/s; the data left shrinks 1% a pass
                Pass        4, 0.0% of what it began with sent
                Would help  more bandwidth: migrate_set_parameter max-bandwidth 80M (now 64 MiB/s)
                            auto-converge: migrate_set_capability auto-converge on (before migrate); needs the guest slowed by about 20%
                            postcopy: migrate_set_capability postcopy-ram on (before migrate), then migrate_start_postcopy
                            a longer pause: migrate_set_parameter downtime-limit 30202 switches over with 1.89 GiB left (now 300 ms)

                Pass      Start        Duration      Sent  Left at start  Pages dirtied      Rate
                ----  ---------  --------------  --------  -------------  -------------  --------
                   1    0.003 s        63.805 s  3.99 GiB          4 GiB         520648  64 MiB/s
                   2   63.808 s        31.830 s  1.99 GiB          2 GiB         494412  64 MiB/s
                   3   95.638 s        30.227 s  1.89 GiB        1.9 GiB         490043  64 MiB/s
                   4  125.865 s  0.000 s so far       0 B       1.89 GiB              0         -

                """)
    }

    @Test func throttled() {
        #expect(
            verdict(
                "guest_set dirty-rate 50k; guest_set hot-set 2G; \(Self.setup); migrate_set_capability auto-converge on; \(Self.start); wait event MIGRATION_PASS pass=6"
            ) == """
                Verdict     not converging: the guest dirties 63 MiB/s, the link sends 64 MiB/s; the data left shrinks 1% a pass
                Throttled   auto-converge at 30%
                Pass        6, 0.0% of what it began with sent
                Would help  more bandwidth: migrate_set_parameter max-bandwidth 79M (now 64 MiB/s)
                            auto-converge: at 30% now; about 19 points more would do, and it adds cpu-throttle-increment (10) each pass
                            postcopy: migrate_set_capability postcopy-ram on (before migrate), then migrate_start_postcopy
                            a longer pause: migrate_set_parameter downtime-limit 28360 switches over with 1.77 GiB left (now 300 ms)

                Pass      Start        Duration      Sent  Left at start  Pages dirtied      Rate
                ----  ---------  --------------  --------  -------------  -------------  --------
                   1    0.003 s        63.805 s  3.99 GiB          4 GiB         520648  64 MiB/s
                   2   63.808 s        31.830 s  1.99 GiB          2 GiB         494412  64 MiB/s
                   3   95.638 s        30.227 s  1.89 GiB        1.9 GiB         490043  64 MiB/s
                   4  125.865 s        29.960 s  1.87 GiB       1.89 GiB         466274  64 MiB/s
                   5  155.826 s        28.507 s  1.78 GiB        1.8 GiB         459850  64 MiB/s
                   6  184.333 s  0.000 s so far       0 B       1.77 GiB              0         -

                """)
    }

    @Test func stalledLink() {
        #expect(
            verdict("guest_set dirty-rate 50k; \(Self.setup); \(Self.start); sleep 1s; link_set bandwidth 1; sleep 10s") == """
                Verdict     stalled: no bytes moved for 10 s
                Pass        1, 1.6% of what it began with sent
                Would help  check the link (the destination, the network); migrate_cancel gives up, migrate_pause (postcopy) waits

                Pass    Start         Duration      Sent  Left at start  Pages dirtied        Rate
                ----  -------  ---------------  --------  -------------  -------------  ----------
                   1  0.003 s  10.997 s so far  63.6 MiB              -              0  5.78 MiB/s

                """)
    }

    /// Not converging, then converging once max-bandwidth is raised while it runs, then done.
    @Test func raisingTheBandwidthMakesItConverge() {
        let backend = InProcessBackend(machine: VirtualMachine(), clock: .virtual())
        let session = HMPSession(backend: backend)
        for line in ["guest_set dirty-rate 50k", "guest_set hot-set 2G", Self.setup, Self.start, "wait event MIGRATION_PASS pass=4"]
            + []
        {
            for part in line.split(separator: ";") {
                #expect(session.execute(String(part)).error == nil)
                _ = session.takeEvents()
            }
        }
        #expect(session.execute("info migrate").output.contains("Verdict     not converging"))
        #expect(session.execute("migrate_set_parameter max-bandwidth 1G").error == nil)
        #expect(session.execute("wait event MIGRATION_PASS pass=5").error == nil)
        #expect(session.execute("sleep 200ms").error == nil)
        let after = session.execute("info migrate").output
        #expect(after.contains("Verdict  converging: about") || after.contains("Status             completed"), "\(after)")
        #expect(session.execute("wait migration completed --timeout 60s").error == nil)
        // The pass history keeps the whole run, the fast passes last.
        let history = session.execute("info migrate -v").output
        #expect(history.contains("\n   5  "))
        #expect(!history.contains("Verdict"))
    }
}
