import Backend
import Machine
import Monitor
import QAPI
import Testing

@Suite struct EventFanOutTests {
    @Test func everyListenerGetsEveryEventOnce() throws {
        let backend = InProcessBackend(machine: try VirtualMachine(validating: MachineConfiguration()), clock: .virtual())
        let fanOut = EventFanOut(source: backend)
        let console = SharedEventsBackend(fanOut: fanOut)
        var server: [String] = []
        fanOut.addListener { events in server += events.compactMap { $0["event"]?.stringValue } }

        _ = try console.execute(StopCommand.self, QAPIEmpty())
        // The server's pump drains the backend; the console still gets its copy later.
        fanOut.pump()
        #expect(server == ["STOP"])
        _ = backend.dispatch(.object(["execute": "cont"]))
        #expect(console.takeEvents().compactMap { $0["event"]?.stringValue } == ["STOP", "RESUME"])
        #expect(server == ["STOP", "RESUME"])
        #expect(console.takeEvents().isEmpty)
        #expect(backend.takeEvents().isEmpty, "only the fan-out drains the backend")
    }
}
