import HMP
import QAPI
import Testing

@testable import Console

/// The event lines the console prints: wall-clock or model time, failures in red on a
/// terminal, the internal snapshot jobs' events left out.
@Suite struct EventLineStyleTests {
    static func event(_ name: String, _ data: JSONValue, seconds: Int64 = 1_700_000_000, micros: Int64 = 250_000) -> JSONValue {
        ["event": .string(name), "data": data, "timestamp": ["seconds": .int(seconds), "microseconds": .int(micros)]]
    }

    @Test func wallClockLinesShowTheLocalTimeOfDay() {
        let f = EventFormatter(format: .table, originMicroseconds: 0)
        let expected = "[" + LocalTime.format(1_700_000_000, "%Y-%m-%d %H:%M:%S") + ".250] MIGRATION status=active"
        // Not today: the date is in front.
        #expect(f.line(for: Self.event("MIGRATION", ["status": "active"])) == expected)
        let now = LocalTime.now()
        let today = f.line(for: Self.event("STOP", [:], seconds: now, micros: 1_000))
        #expect(today == "[" + LocalTime.format(now, "%H:%M:%S") + ".001] STOP")
    }

    @Test func failuresAreRedOnATerminalOnly() {
        let failed = Self.event("MIGRATION", ["status": "failed"])
        let fine = Self.event("MIGRATION", ["status": "completed"])
        let red = EventFormatter(format: .table, originMicroseconds: 0, style: TextStyle(enabled: true))
        let text = red.text(for: [fine, failed])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(!lines[0].contains("\u{1B}"))
        #expect(lines[1] == "\u{1B}[31m" + red.line(for: failed) + "\u{1B}[0m")
        let plain = EventFormatter(format: .table, originMicroseconds: 0)
        #expect(!plain.text(for: [fine, failed]).contains("\u{1B}"))
        let json = EventFormatter(format: .json, originMicroseconds: 0, style: TextStyle(enabled: true))
        #expect(json.text(for: [failed]) == failed.description + "\n")
        #expect(TextStyle(enabled: true).failureLine("") == "")
    }

    @Test func internalSnapshotJobEventsAreLeftOut() {
        let internalJob = Self.event("JOB_STATUS_CHANGE", ["id": "hmp-savevm", "status": "created"])
        let stop = Self.event("STOP", [:])
        let userJob = Self.event("JOB_STATUS_CHANGE", ["id": "backup0", "status": "created"])
        for format in [OutputFormat.table, .qemu, .json] {
            let f = EventFormatter(format: format, originMicroseconds: 0)
            let text = f.text(for: [internalJob, stop, userJob])
            #expect(!text.contains("hmp-savevm"))
            #expect(text.split(separator: "\n").count == 2)
        }
    }

    @Test func modelTimeIsSaidToBeModelTime() {
        let origin: UInt64 = 1_735_689_600_000_000
        let f = EventFormatter(format: .table, originMicroseconds: origin, modelTime: true)
        #expect(f.line(for: Self.event("RESUME", [:], seconds: 1_735_689_612, micros: 345_678)) == "[model +12.345 s] RESUME")
    }
}
