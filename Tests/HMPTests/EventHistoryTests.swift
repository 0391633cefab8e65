import Backend
import Machine
import Monitor
import QAPI
import Testing

@testable import HMP

@Suite struct EventHistoryTests {
    static func event(_ name: String, _ data: JSONValue? = nil, second: Int64 = 1) -> JSONValue {
        var object = JSONObject()
        object.append("event", .string(name))
        if let data { object.append("data", data) }
        object.append("timestamp", ["seconds": .int(second), "microseconds": 5000])
        return .object(object)
    }

    @Test func keepsTheLastNAndFiltersByName() {
        let history = EventHistory(capacity: 3)
        history.record((1...5).map { Self.event($0 % 2 == 0 ? "STOP" : "RESUME", second: Int64($0)) }, running: nil)
        #expect(history.entries.count == 3)
        #expect(history.entries.map { $0.event["timestamp"]?["seconds"]?.int64Value } == [3, 4, 5])
        #expect(history.last(10, named: "stop").count == 1)
        #expect(history.last(1).first?.name == "RESUME")
        // A large history drops in chunks but never holds more than a quarter extra.
        let big = EventHistory()
        for i in 0..<5_000 { big.record([Self.event("STOP", second: Int64(i))], running: nil) }
        #expect(big.entries.count <= 1_250 && big.last(1_000).count == 1_000)
        #expect(big.entries.last?.event["timestamp"]?["seconds"]?.int64Value == 4_999)
    }

    @Test func tagsEventsWithTheCommandBehindThem() {
        let history = EventHistory()
        history.record([Self.event("MIGRATION", ["status": "setup"])], running: "migrate -d tcp:h:1")
        // Arriving while a wait runs, or at the prompt: still the migrate's.
        history.record([Self.event("MIGRATION_PASS", ["pass": 2])], running: "wait migration completed")
        history.record([Self.event("MIGRATION", ["status": "completed"])], running: nil)
        history.record([Self.event("STOP")], running: "stop")
        history.record([Self.event("BLOCK_WRITE_THRESHOLD", ["node-name": "n"])], running: nil)
        #expect(history.entries.map(\.cause) == ["migrate -d tcp:h:1", "migrate -d tcp:h:1", "migrate -d tcp:h:1", "stop", nil])
        #expect(
            history.entries[3].qmpValue.description
                == #"{"event": "STOP", "timestamp": {"seconds": 1, "microseconds": 5000}, "caused-by": "stop"}"#)
        #expect(history.entries[4].qmpValue == history.entries[4].event)
    }

    @Test func infoEventsOnTheModel() {
        let backend = InProcessBackend(machine: VirtualMachine(), clock: .virtual())
        let session = HMPSession(backend: backend)
        #expect(session.execute("info events").output == "No event seen yet\n")
        // The console takes events after every line; that is when they are tagged.
        _ = session.execute("stop")
        #expect(session.takeEvents().count == 1)
        _ = session.execute("cont")
        #expect(session.takeEvents().count == 1)
        let table = session.execute("info events").output
        #expect(table.hasPrefix("Model time  Event   Data  Caused by\n"))
        let rows = table.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ").map(String.init) }
        #expect(rows.map { Array($0.dropFirst(2)) } == [["STOP", "stop"], ["RESUME", "cont"]])
        #expect(session.execute("info events -n 1").output.split(separator: "\n").count == 3)
        #expect(session.execute("info events RESUME").output.contains("RESUME"))
        #expect(!session.execute("info events RESUME").output.contains("STOP"))
        session.format = .json
        let lines = session.execute("info events").output.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix(#"{"event": "STOP", "timestamp": {"seconds": "#) == true)
        #expect(session.execute("info events -n -1").error != nil)
        #expect(session.takeEvents().isEmpty)
    }
}
