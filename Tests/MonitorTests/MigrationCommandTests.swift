import Machine
import Monitor
import QAPI
import SeededRandom
import Testing

@Suite struct MigrationCommandTests {
    @Test func migrateAndWatchItOverQMP() throws {
        let backend = makeBackend(MachineConfiguration(ramSize: 1 << 30, workload: .idle()))
        #expect(backend.result("query-migrate") == .object([:]))
        _ = backend.result("migrate-set-capabilities", ["capabilities": [["capability": "events", "state": true]]])
        _ = backend.result("migrate", ["uri": "tcp:10.0.0.2:4446"])
        #expect(backend.result("query-migrate")?["status"]?.stringValue == "setup")
        backend.waitSeconds(1)
        let active = backend.result("query-migrate")
        #expect(active?["status"]?.stringValue == "active")
        #expect(active?["ram"]?["transferred"]?.int64Value ?? 0 > 0)
        #expect(backend.result("query-migrationthreads")?.arrayValue?.count == 1)
        backend.waitSeconds(30)
        let done = backend.result("query-migrate")
        #expect(done?["status"]?.stringValue == "completed")
        #expect(done?["ram"]?["remaining"]?.int64Value == 0)
        #expect(backend.result("query-status")?["status"]?.stringValue == "postmigrate")
        let statuses = backend.takeEvents().filter { $0["event"]?.stringValue == "MIGRATION" }
            .compactMap { $0["data"]?["status"]?.stringValue }
        #expect(statuses == ["setup", "active", "device", "completed"])
    }

    @Test func errorsComeBackAsGenericErrors() {
        let backend = makeBackend()
        let reply = backend.call("migrate", ["uri": "gopher:x"])
        #expect(reply["error"]?["class"]?.stringValue == "GenericError")
        #expect(reply["error"]?["desc"]?.stringValue == "unknown migration protocol: gopher:x")
        #expect(
            backend.errorText(
                "migrate-set-capabilities",
                ["capabilities": [["capability": "multifd", "state": true], ["capability": "xbzrle", "state": true]]])
                == "Multifd is not compatible with xbzrle")
        #expect(
            backend.errorText("migrate-set-parameters", ["cpu-throttle-initial": 100])
                == "Parameter 'cpu_throttle_initial' expects an integer in the range of 1 to 99")
        #expect(
            backend.errorText("migrate-set-parameters", ["multifd-channels": 256])
                == "Parameter 'multifd-channels' expects uint8_t")
        #expect(backend.errorText("migrate-continue", ["state": "pre-switchover"]) == "Migration not in expected state: none")
        #expect(
            backend.errorText("migrate-pause")
                == "migrate-pause is currently only supported during postcopy-active or postcopy-recover state")
    }

    @Test func queryParametersReturnsEveryMember() throws {
        let backend = makeBackend()
        let params = try #require(backend.result("query-migrate-parameters")?.objectValue)
        let expected: Set<String> = Set(MigrationParameter.wireNames).subtracting(["block-bitmap-mapping"])
        #expect(Set(params.keys) == expected)
        #expect(params["tls-creds"] == "" && params["tls-hostname"] == "" && params["tls-authz"] == "")
    }

    /// Property: over QMP too, a rejected migrate-set-parameters changes nothing.
    @Test func rejectedSetParametersChangesNothing() {
        var rng = SeededGenerator(seed: 42)
        let backend = makeBackend()
        let names: [(String, ClosedRange<Int64>)] = [
            ("throttle-trigger-threshold", -1...101), ("cpu-throttle-initial", 0...100), ("cpu-throttle-increment", 0...100),
            ("max-cpu-throttle", 0...300), ("downtime-limit", 1_999_999...2_000_001), ("multifd-channels", -1...256),
            ("multifd-zlib-level", 0...10), ("multifd-zstd-level", 19...21), ("announce-step", 0...2),
            ("x-vcpu-dirty-limit-period", 0...1001), ("vcpu-dirty-limit", 0...2), ("xbzrle-cache-size", 4095...4097),
            ("max-bandwidth", -1...1_000_000),
        ]
        var rejected = 0
        for _ in 0..<800 {
            var arguments = JSONObject()
            for (name, range) in names where rng.next() % 3 == 0 {
                arguments.append(name, .int(Int64(rng.next() % UInt64(range.upperBound - range.lowerBound + 1)) + range.lowerBound))
            }
            if rng.next() % 5 == 0 { arguments.append("mode", .string(["normal", "cpr-reboot", "bogus"][Int(rng.next() % 3)])) }
            let before = backend.result("query-migrate-parameters")
            if backend.call("migrate-set-parameters", .object(arguments))["error"] != nil {
                rejected += 1
                #expect(backend.result("query-migrate-parameters") == before)
            }
        }
        #expect(rejected > 100)
    }

    @Test func dirtyRateOverQMP() {
        let backend = makeBackend(MachineConfiguration(workload: GuestWorkload(dirtyPagesPerSecond: 2560, hotSetBytes: 1 << 30)))
        _ = backend.result("calc-dirty-rate", ["calc-time": 1])
        #expect(backend.result("query-dirty-rate")?["status"]?.stringValue == "measuring")
        backend.waitSeconds(1)
        let info = backend.result("query-dirty-rate", ["calc-time-unit": "millisecond"])
        #expect(info?["status"]?.stringValue == "measured")
        #expect(info?["dirty-rate"]?.int64Value == 9)
        #expect(info?["calc-time"]?.int64Value == 1000)
        #expect(backend.result("query-vcpu-dirty-limit") == .array([]))
        #expect(
            backend.errorText("set-vcpu-dirty-limit", ["dirty-rate": 10])
                == "dirty page limit feature requires KVM with accelerator property 'dirty-ring-size' set")
    }

    @Test func snapshotJobsOverQMP() throws {
        let backend = makeBackend()
        let arguments: JSONValue = ["job-id": "s0", "tag": "t", "vmstate": "virtio0", "devices": ["virtio0"]]
        _ = backend.result("snapshot-save", arguments)
        #expect(
            backend.result("query-jobs") == [
                ["id": "s0", "type": "snapshot-save", "status": "concluded", "current-progress": 1, "total-progress": 1]
            ])
        #expect(backend.errorText("snapshot-save", arguments) == "Job ID 's0' already in use")
        _ = backend.result("job-dismiss", ["id": "s0"])
        #expect(backend.result("query-jobs") == [])
        #expect(backend.errorText("job-dismiss", ["id": "s0"]) == "Job not found")
    }
}
