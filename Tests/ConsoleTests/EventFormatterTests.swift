import Testing
import HMP
import QAPI
@testable import Console

@Suite("Event lines")
struct EventFormatterTests {
    let origin: UInt64 = 1_700_000_000_000_000

    func event(_ name: String, _ data: JSONValue?, after micros: UInt64) -> JSONValue {
        var object = JSONObject()
        object.append("event", .string(name))
        if let data { object.append("data", data) }
        let at = origin + micros
        object.append("timestamp", ["seconds": .int(Int64(at / 1_000_000)), "microseconds": .int(Int64(at % 1_000_000))])
        return .object(object)
    }

    @Test func readableLineWithSecondsSinceStart() {
        let f = EventFormatter(format: .table, originMicroseconds: origin, modelTime: true)
        #expect(
            f.line(for: event("MIGRATION", ["status": "completed"], after: 12_345_678)) == "[model +12.345 s] MIGRATION status=completed")
        #expect(f.line(for: event("RESUME", nil, after: 5_000)) == "[model +0.005 s] RESUME")
    }

    @Test func nestedMembersAndQuoting() {
        let f = EventFormatter(format: .qemu, originMicroseconds: origin, modelTime: true)
        let data: JSONValue = [
            "node-name": "virtio0-fmt", "amount-exceeded": 65536, "write-threshold": 1_073_741_824,
            "error": "No space left on device", "info": ["a": true, "b": .null], "list": [1, 2],
        ]
        #expect(
            f.line(for: event("BLOCK_WRITE_THRESHOLD", data, after: 1_000_000))
                == "[model +1.000 s] BLOCK_WRITE_THRESHOLD node-name=virtio0-fmt amount-exceeded=65536 write-threshold=1073741824 "
                + "error=\"No space left on device\" info.a=true info.b=null list=[1, 2]")
    }

    @Test func eventsBeforeTheOriginCountFromZero() {
        let f = EventFormatter(format: .table, originMicroseconds: origin, modelTime: true)
        let early: JSONValue = ["event": "STOP", "timestamp": ["seconds": 1, "microseconds": 0]]
        #expect(f.line(for: early) == "[model +0.000 s] STOP")
        #expect(f.line(for: ["event": "STOP"]) == "[-] STOP")
    }

    @Test func jsonFormatPrintsTheQMPObject() {
        let f = EventFormatter(format: .json, originMicroseconds: origin)
        let e = event("MIGRATION", ["status": "active"], after: 0)
        #expect(f.text(for: [e, e]) == e.description + "\n" + e.description + "\n")
    }
}
