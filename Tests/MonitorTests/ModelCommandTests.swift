import Machine
import Monitor
import QAPI
import Testing

@Suite struct ModelCommandTests {
    @Test func workloadCanBeShownAndChanged() {
        let backend = makeBackend()
        let guest = backend.result("x-query-guest")
        #expect(guest?["ram-size"]?.int64Value == 4 << 30)
        #expect(guest?["dirty-rate"]?.int64Value == 4096 && guest?["effective-dirty-rate"]?.int64Value == 4096)
        _ = backend.result("x-guest-set-workload", ["dirty-rate": 100_000, "hot-set-size": 1_073_741_824])
        let changed = backend.result("x-query-guest")
        #expect(changed?["dirty-rate"]?.int64Value == 100_000)
        #expect(changed?["hot-set-size"]?.int64Value == 1 << 30)
        #expect(changed?["zero-percent"]?.int64Value == 25)
        _ = backend.result("stop")
        #expect(backend.result("x-query-guest")?["effective-dirty-rate"]?.int64Value == 0)
        #expect(
            backend.errorText("x-guest-set-workload", ["zero-percent": 101])
                == "Parameter 'zero-percent' expects a value between 0 and 100")
    }

    @Test func linkCanBeShownAndChanged() {
        let backend = makeBackend()
        #expect(
            backend.result("x-query-link") == [
                "bandwidth": 10_000_000_000, "latency": 200, "disk-speed": 1_073_741_824, "pipe-speed": 2_147_483_648,
                "exec-allowed": false, "faults": [],
            ])
        _ = backend.result("x-link-set", ["bandwidth": 1_000_000_000, "latency": 5000])
        #expect(backend.result("x-query-link")?["bandwidth"]?.int64Value == 1_000_000_000)
        #expect(backend.errorText("x-link-set", ["bandwidth": 0]) == "Parameter 'bandwidth' expects a value of at least 1")
    }

    @Test func slowerLinkSlowsTheMigrationAtOnce() {
        let backend = makeBackend(MachineConfiguration(ramSize: 1 << 30, workload: .idle()))
        _ = backend.result("migrate-set-parameters", ["max-bandwidth": 0])
        _ = backend.result("migrate", ["uri": "tcp:10.0.0.2:4446"])
        backend.waitSeconds(0.1)
        #expect(backend.result("query-migrate")?["ram"]?["mbps"]?.doubleValue == 10_000)
        _ = backend.result("x-link-set", ["bandwidth": 100_000_000])
        backend.waitSeconds(0.5)
        #expect(backend.result("query-migrate")?["ram"]?["mbps"]?.doubleValue == 100)
    }

    @Test func faultsAreArmedListedAndCleared() {
        let backend = makeBackend()
        _ = backend.result("x-inject-fault", ["fault": "refuse-connection", "host": "10.0.0.2"])
        _ = backend.result("x-inject-fault", ["fault": "drop-link", "delay": 1500])
        #expect(
            backend.result("x-query-link")?["faults"] == [
                ["fault": "refuse-connection", "host": "10.0.0.2"], ["fault": "drop-link", "at": 1500],
            ])
        #expect(
            backend.errorText("x-inject-fault", ["fault": "drop-link", "host": "x"])
                == "Parameter 'host' is only used with fault 'refuse-connection'")
        _ = backend.result("migrate", ["uri": "tcp:10.0.0.2:4446"])
        backend.waitSeconds(1)
        let failed = backend.result("query-migrate")
        #expect(failed?["status"]?.stringValue == "failed")
        #expect(failed?["error-desc"]?.stringValue == "Failed to connect to '10.0.0.2:4446': Connection refused")
        _ = backend.result("x-inject-fault", ["fault": "clear"])
        #expect(backend.result("x-query-link")?["faults"] == [])
    }

    @Test func droppedLinkFailsARunningMigration() {
        let backend = makeBackend()
        _ = backend.result("migrate", ["uri": "tcp:10.0.0.2:4446"])
        backend.waitSeconds(1)
        _ = backend.result("x-inject-fault", ["fault": "drop-link", "delay": 500])
        backend.waitSeconds(1)
        let info = backend.result("query-migrate")
        #expect(info?["status"]?.stringValue == "failed")
        #expect(info?["error-desc"]?.stringValue == "Unable to write to socket: Connection reset by peer")
        #expect(backend.result("query-status")?["status"]?.stringValue == "running")
    }
}
