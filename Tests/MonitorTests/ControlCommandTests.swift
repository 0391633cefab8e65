import Machine
import Backend
import Monitor
import QAPI
import Testing

@Suite struct ControlCommandTests {
    @Test func versionIsTheProducts() {
        let backend = makeBackend()
        let version = backend.result("query-version")
        #expect(version?["package"]?.stringValue == "swift-hmp")
        #expect(version?["qemu"]?["major"]?.int64Value == ProductVersion.major)
        #expect(version?["qemu"]?["minor"]?.int64Value == ProductVersion.minor)
    }

    @Test func nameComesFromTheConfiguration() {
        #expect(makeBackend().result("query-name") == .object([:]))
        let named = makeBackend(MachineConfiguration(name: "guest-7"))
        #expect(named.result("query-name")?["name"]?.stringValue == "guest-7")
    }

    @Test func statusFollowsStopAndCont() {
        let backend = makeBackend()
        #expect(backend.result("query-status") == ["running": true, "status": "running"])
        _ = backend.result("stop")
        #expect(backend.result("query-status") == ["running": false, "status": "paused"])
        _ = backend.result("cont")
        #expect(backend.result("query-status")?["status"]?.stringValue == "running")
        let events = backend.takeEvents().compactMap { $0["event"]?.stringValue }
        #expect(events == ["STOP", "RESUME"])
    }

    @Test func quitOnlyRaisesAFlag() {
        let backend = makeBackend()
        #expect(!backend.quitRequested)
        _ = backend.result("quit")
        #expect(backend.quitRequested)
    }

    @Test func negotiationIsAlreadyOver() {
        let reply = makeBackend().call("qmp_capabilities")
        #expect(reply["error"]?["class"]?.stringValue == "CommandNotFound")
        #expect(reply["error"]?["desc"]?.stringValue == "Capabilities negotiation is already complete, command ignored")
    }

    @Test func humanMonitorCommandUsesTheHook() {
        let backend = makeBackend()
        #expect(backend.call("human-monitor-command", ["command-line": "info status"])["error"] != nil)
        backend.humanMonitorHook = { arguments throws(QMPError) in "ran: \(arguments.commandLine)\r\n" }
        #expect(backend.result("human-monitor-command", ["command-line": "info status"])?.stringValue == "ran: info status\r\n")
    }

    @Test func eventsCarryModelTimeStamps() {
        let backend = makeBackend()
        backend.machine.wallClockEpochMicroseconds = 1_700_000_000_000_000
        backend.waitSeconds(2.5)
        _ = backend.result("stop")
        let event = backend.takeEvents().first
        #expect(event?["timestamp"]?["seconds"]?.int64Value == 1_700_000_002)
        #expect(event?["timestamp"]?["microseconds"]?.int64Value == 500_000)
        #expect(backend.takeEvents().isEmpty)
    }
}

@Suite struct RealClockTests {
    @Test func theModelFollowsTheRealClock() {
        let backend = InProcessBackend(machine: VirtualMachine(), clock: .real())
        // Model time zero is "now" on the wall clock.
        let epoch = backend.machine.wallClockEpochMicroseconds
        #expect(abs(Double(epoch) - Double(ModelClock.wallClockMicroseconds())) < 60e6)
        _ = backend.result("migrate", ["uri": "tcp:10.0.0.2:4446"])
        #expect(backend.result("query-migrate")?["status"]?.stringValue == "setup")
        backend.wait(nanoseconds: 20_000_000)  // setup of a 4 GiB guest takes ~3.5 ms of model time
        #expect(backend.result("query-migrate")?["status"]?.stringValue == "active")
        #expect(backend.machine.now >= .milliseconds(20))
    }
}
