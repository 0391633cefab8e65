import Machine
import Backend
import Monitor
import QAPI
import Testing

@testable import HMP

/// Real command sequences through a session on the in-process VM, on the virtual clock:
/// time moves only when the console waits, so every run reads the same.
@Suite struct MigrationEndToEndTests {
    func console(
        _ configuration: MachineConfiguration = MachineConfiguration(), format: OutputFormat = .table
    ) -> (HMPSession, InProcessBackend) {
        let backend = InProcessBackend(machine: VirtualMachine(configuration: configuration), clock: .virtual())
        return (HMPSession(backend: backend, format: format), backend)
    }

    /// Runs a line that must succeed and gives its output.
    func run(_ session: HMPSession, _ line: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let result = session.execute(line)
        #expect(result.error == nil, "\(line)", sourceLocation: sourceLocation)
        return result.output
    }

    func status(_ session: HMPSession) -> String? {
        let saved = session.format
        session.format = .json
        defer { session.format = saved }
        return (try? JSONParser.parse(session.execute("info migrate").output))?["return"]?["status"]?.stringValue
    }

    @Test func setParametersMigrateInTheBackgroundAndSeeItComplete() {
        let (s, backend) = console()
        #expect(run(s, "info migrate") == "No migration has run yet\n")
        #expect(run(s, "migrate_set_parameter max-bandwidth 1G") == "max-bandwidth set to 1 GiB/s (1073741824 bytes/s)\n")
        #expect(run(s, "migrate_set_parameter downtime-limit 500") == "downtime-limit set to 500 ms\n")
        #expect(run(s, "migrate_set_capability xbzrle on") == "xbzrle set to on\n")
        #expect(run(s, "migrate -d tcp:10.0.0.2:4444") == "Migration started to tcp:10.0.0.2:4444; follow it with 'info migrate'\n")
        #expect(run(s, "info migrate") == "Status  setup\n")
        #expect(run(s, "sleep 1s") == "Slept 1 s\n")
        let active = run(s, "info migrate")
        #expect(active.hasPrefix("Status             active\nTotal time         1.000 s\n"))
        #expect(active.contains("Expected downtime  500 ms\n"))
        #expect(active.contains("\nXBZRLE\n  Cache size "))
        backend.wait(nanoseconds: 60_000_000_000)
        #expect(status(s) == "completed")
        s.format = .qemu
        let qemu = run(s, "info migrate")
        #expect(qemu.hasPrefix("Status: \t\tcompleted\nTime (ms): \t\ttotal="))
        #expect(qemu.contains("RAM info:\n  Throughput (Mbps): \t"))
        #expect(qemu.contains("  Transfers: \t\ttransferred=") && qemu.contains(", remain=0 B\n"))
        #expect(!qemu.contains("XBZRLE"))
        #expect(run(s, "info migrate -a").contains("\nGlobals:\n  store-global-state: on\n"))
        let parameters = run(s, "info migrate_parameters")
        #expect(parameters.contains("max-bandwidth: 1073741824 bytes/second\n"))
        #expect(parameters.contains("downtime-limit: 500 ms\n"))
        #expect(run(s, "info migrate_capabilities").hasPrefix("xbzrle: on\n"))
    }

    @Test func foregroundMigrateShowsProgressAndEndsWithTheOutcome() {
        let (s, backend) = console()
        var lines: [String] = []
        s.progress = { lines.append($0) }
        let output = run(s, "migrate tcp:10.0.0.2:4444")
        #expect(output.hasPrefix("Migration completed in "))
        #expect(output.contains(", downtime "))
        #expect(status(s) == "completed")
        #expect(lines.count > 10)
        #expect(lines.first == "Migration setup")
        #expect(lines.last == "")
        #expect(lines.dropFirst().dropLast().allSatisfy { $0.contains("%") && $0.contains("MiB/s") && $0.contains(" ETA ") })
        // Polls are 100 ms apart on the model clock.
        #expect(backend.clock.now.nanoseconds == UInt64(lines.count - 1) * 100_000_000)
    }

    @Test func foregroundMigrateInTheOtherFormats() {
        let (qemu, _) = console(format: .qemu)
        #expect(qemu.execute("migrate unix:/tmp/mig.sock") == HMPLineResult(output: "", error: nil))
        #expect(status(qemu) == "completed")
        let (json, _) = console(format: .json)
        #expect(json.execute("migrate unix:/tmp/mig.sock") == HMPLineResult(output: "{\"return\": {}}\n", error: nil))
    }

    @Test func stoppingTheWaitLeavesTheMigrationRunning() {
        let (s, backend) = console()
        s.interrupted = { backend.clock.now.nanoseconds >= 500_000_000 }
        #expect(run(s, "migrate tcp:10.0.0.2:4444").hasPrefix("Stopped waiting; the migration continues in the background.\n"))
        #expect(status(s) == "active")
        #expect(run(s, "migrate_cancel") == "Migration cancel requested; 'info migrate' shows when it has stopped\n")
        backend.wait(nanoseconds: 1_000_000_000)
        #expect(status(s) == "cancelled")
    }

    @Test func cancelDuringPostcopyIsAnErrorNotSilence() {
        let (s, _) = console()
        #expect(run(s, "migrate_set_capability postcopy-ram on") == "postcopy-ram set to on\n")
        _ = run(s, "migrate -d tcp:10.0.0.2:4444")
        _ = run(s, "sleep 1")
        #expect(run(s, "migrate_start_postcopy") == "Switching to postcopy\n")
        _ = run(s, "sleep 100ms")
        #expect(status(s) == "postcopy-active")
        #expect(s.execute("migrate_cancel").error == "Error: Postcopy migration in progress, cannot cancel.\n")
        s.format = .qemu
        #expect(s.execute("migrate_cancel").error == "Error: Postcopy migration in progress, cannot cancel.\n")
        #expect(status(s) == "postcopy-active")
        s.format = .table
        #expect(run(s, "migrate_pause") == "Postcopy migration paused; resume it with 'migrate -r URI'\n")
        #expect(run(s, "info migrate").hasPrefix("Status               postcopy-paused\nError                "))
        s.format = .qemu
        #expect(run(s, "info migrate").hasPrefix("Status: \t\tpostcopy-paused ("))
    }

    @Test func aRejectedSetParameterChangesNothing() {
        let (s, _) = console(format: .json)
        let before = run(s, "info migrate_parameters")
        for line in [
            "migrate_set_parameter cpu-throttle-initial 0", "migrate_set_parameter cpu-throttle-initial 300",
            "migrate_set_parameter downtime-limit 3000000", "migrate_set_parameter max-bandwidth fast",
            "migrate_set_parameter multifd-compression lz4", "migrate_set_parameter xbzrle-cache-size 1000",
            "migrate_set_parameter block-bitmap-mapping x", "migrate_set_parameter no-such 1",
            "migrate_set_parameter max-cpu-throttle 5",
        ] {
            #expect(!s.execute(line).succeeded, "\(line)")
        }
        #expect(run(s, "info migrate_parameters") == before)
        s.format = .table
        #expect(
            s.execute("migrate_set_parameter cpu-throttle-initial 0").error
                == "Error: Parameter 'cpu-throttle-initial' expects an integer from 1 to 99\n")
        #expect(
            s.execute("migrate_set_parameter multifd-compression lz4").error
                == "Error: Parameter 'multifd-compression' does not accept value 'lz4'\nAccepted values: none, zlib, zstd\n")
    }

    @Test func quotedTLSValuesAreStoredAsTyped() {
        let (s, _) = console(format: .qemu)
        _ = run(s, "migrate_set_parameter tls-creds \"tls0\"")
        _ = run(s, "migrate_set_parameter tls-hostname dst.example")
        #expect(run(s, "info migrate_parameters").contains("tls-creds: 'tls0'\ntls-hostname: 'dst.example'\n"))
        _ = run(s, "migrate_set_parameter tls-creds \"\"")
        #expect(run(s, "info migrate_parameters").contains("tls-creds: ''\n"))
    }

    @Test func migrateErrorsComeFromTheBackend() {
        let (s, _) = console()
        #expect(s.execute("migrate gopher:x").error == "Error: unknown migration protocol: gopher:x\n")
        #expect(s.execute("migrate_recover tcp:0:1").error == "Error: Migrate recover can only be run when postcopy is paused.\n")
        #expect(s.execute("migrate_continue pre-switchover").error == "Error: Migration not in expected state: none\n")
        #expect(
            s.execute("migrate_start_postcopy").error
                == "Error: Enable postcopy with migrate_set_capability before the start of migration\n")
        #expect(s.execute("migrate_set_capability multifd on").succeeded)
        #expect(s.execute("migrate_set_capability xbzrle on").error == "Error: Multifd is not compatible with xbzrle\n")
    }

    @Test func dirtyRateMeasurement() {
        let (s, _) = console(MachineConfiguration(workload: GuestWorkload(dirtyPagesPerSecond: 2560, hotSetBytes: 1 << 30)))
        #expect(run(s, "info dirty_rate").hasPrefix("Status        unstarted\n"))
        #expect(run(s, "calc_dirty_rate 1") == "Measuring the dirty rate for 1 s (page-sampling); 'info dirty_rate' shows the result\n")
        #expect(s.execute("calc_dirty_rate 1").error == "Error: the dirty rate is already being measured.\n")
        _ = run(s, "sleep 2")
        let measured = run(s, "info dirty_rate")
        #expect(measured.hasPrefix("Status        measured\nMode          page-sampling\n"))
        #expect(measured.contains("\nDirty rate    ") && measured.hasSuffix(" MiB/s\n"))
        s.format = .qemu
        let qemu = run(s, "info dirty_rate")
        #expect(qemu.hasPrefix("Status: measured\nStart Time: "))
        #expect(qemu.contains("\nSample Pages: 512 (per GB)\nPeriod: 1 (sec)\nMode: page-sampling\nDirty rate: "))
        #expect(s.execute("calc_dirty_rate 0").error == "Incorrect period length specified!\n")
        #expect(s.execute("calc_dirty_rate 100").error == "Error: Calculation time is out of range [50ms, 60000ms].\n")
    }

    @Test func dirtyLimitNeedsTheDirtyRing() {
        let (plain, _) = console(format: .qemu)
        #expect(
            plain.execute("set_vcpu_dirty_limit 100").error?.hasPrefix(
                "Error: dirty page limit feature requires KVM with accelerator property 'dirty-ring-size' set") == true)
        #expect(run(plain, "info vcpu_dirty_limit") == "Dirty page limit not enabled!\n")

        let (s, _) = console(MachineConfiguration(host: HostDescription(kvmDirtyRingSize: 4096)))
        #expect(run(s, "set_vcpu_dirty_limit 100 1") == "Dirty page limit of vCPU 1 set to 100 MiB/s\n")
        _ = run(s, "sleep 2")
        #expect(run(s, "info vcpu_dirty_limit").hasPrefix("vCPU      Limit  Current rate\n----  ---------  ------------\n   1  100 MiB/s"))
        s.format = .qemu
        #expect(run(s, "info vcpu_dirty_limit").hasPrefix("vcpu[1], limit rate 100 (MB/s), current rate "))
        #expect(s.execute("set_vcpu_dirty_limit 100 9").error?.hasPrefix("Error: incorrect cpu index specified") == true)
        #expect(run(s, "cancel_vcpu_dirty_limit") == "[Please use 'info vcpu_dirty_limit' to query dirty limit for virtual CPU]\n")
        #expect(run(s, "info vcpu_dirty_limit") == "Dirty page limit not enabled!\n")
    }
}
