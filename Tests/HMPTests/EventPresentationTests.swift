import Machine
import Monitor
import QAPI
import Testing
import TestSupport

@testable import HMP

/// How events are shown: their time, which are internal, which are failures.
@Suite struct EventPresentationTests {
    static func stamp(_ seconds: Int64, _ micros: Int64) -> JSONValue { ["seconds": .int(seconds), "microseconds": .int(micros)] }

    @Test func wallClockTimesAreLocalTimesOfDay() {
        // 2023-11-14 22:13:20.005 UTC.
        let at = Self.stamp(1_700_000_000, 5_123)
        #expect(EventPresentation.time(at, today: 1_700_000_000, utc: true) == "22:13:20.005")
        #expect(EventPresentation.time(at, today: 1_700_000_000 + 86_400, utc: true) == "2023-11-14 22:13:20.005")
        // Local time by default, as QEMU shows snapshot dates.
        let local = LocalTime.format(1_700_000_000, "%H:%M:%S") + ".005"
        #expect(EventPresentation.time(at, today: 1_700_000_000) == local)
        #expect(EventPresentation.time(nil) == "-")
        #expect(EventPresentation.time(Self.stamp(-1, 0)) == "-")
        #expect(EventPresentation.time(Self.stamp(1, 1_000_000)) == "-")
        #expect(EventPresentation.time(Self.stamp(.max, 999_999)) != "")
    }

    @Test func modelTimeCountsFromTheOrigin() {
        let origin: UInt64 = 1_735_689_600_000_000
        #expect(EventPresentation.time(Self.stamp(1_735_689_602, 3_000), modelTimeFrom: origin) == "+2.003 s")
        #expect(EventPresentation.time(Self.stamp(1_735_689_600, 0), modelTimeFrom: origin) == "+0.000 s")
        #expect(EventPresentation.time(Self.stamp(5, 0), modelTimeFrom: origin) == "+0.000 s")
        #expect(EventPresentation.time(Self.stamp(1_735_693_200, 500_000), modelTimeFrom: origin) == "+3600.500 s")
        #expect(EventPresentation.time(Self.stamp(.max, 0), modelTimeFrom: origin).hasPrefix("+"))
    }

    @Test func internalAndFailureEvents() {
        func event(_ name: String, _ data: JSONValue) -> JSONValue { ["event": .string(name), "data": data] }
        #expect(EventPresentation.isInternal(event("JOB_STATUS_CHANGE", ["id": "hmp-savevm", "status": "created"])))
        #expect(EventPresentation.isInternal(event("JOB_STATUS_CHANGE", ["id": "hmp-loadvm", "status": "null"])))
        #expect(EventPresentation.isInternal(event("JOB_STATUS_CHANGE", ["id": "hmp-delvm", "status": "null"])))
        #expect(!EventPresentation.isInternal(event("JOB_STATUS_CHANGE", ["id": "job0", "status": "created"])))
        #expect(!EventPresentation.isInternal(event("STOP", [:])))

        #expect(EventPresentation.isFailure(event("MIGRATION", ["status": "failed"])))
        #expect(!EventPresentation.isFailure(event("MIGRATION", ["status": "completed"])))
        #expect(!EventPresentation.isFailure(event("MIGRATION", ["status": "cancelled"])))
        #expect(EventPresentation.isFailure(event("BLOCK_JOB_ERROR", ["device": "job0", "operation": "write", "action": "stop"])))
        #expect(EventPresentation.isFailure(event("BLOCK_IO_ERROR", ["device": "virtio0"])))
        #expect(EventPresentation.isFailure(event("BLOCK_JOB_COMPLETED", ["device": "job0", "error": "Input/output error"])))
        #expect(!EventPresentation.isFailure(event("BLOCK_JOB_COMPLETED", ["device": "job0", "len": 1, "offset": 1])))
        #expect(EventPresentation.isFailure(event("JOB_STATUS_CHANGE", ["id": "job0", "status": "aborting"])))
        #expect(EventPresentation.isFailure(event("QMP_DISCONNECTED", ["vm": "a"])))
    }

    @Test func infoEventsHidesInternalJobsUnlessAskedAndSaysModelTime() {
        let model = ModelSession()
        for line in [
            "migrate_set_capability events on", "savevm s1", "inject_fault refuse-connection", "migrate -d tcp:192.0.2.1:4444", "sleep 1s",
        ] {
            #expect(model.run(line).succeeded, "\(line)")
        }
        model.session.pumpEvents()
        let table = model.run("info events -n 100").output
        #expect(table.hasPrefix("Model time  Event      Data           Caused by\n"), "\(table)")
        #expect(!table.contains("JOB_STATUS_CHANGE"))
        #expect(table.contains("  +0.000 s  STOP "))
        #expect(table.contains("MIGRATION  status=failed"))
        let all = model.run("info events -a -n 100").output
        #expect(all.contains("JOB_STATUS_CHANGE  id=hmp-savevm status=created"))
        #expect(model.run("info events --all JOB_STATUS_CHANGE").output.split(separator: "\n").count == 2 + 6)
        #expect(model.run("info events JOB_STATUS_CHANGE").output == "No JOB_STATUS_CHANGE event seen yet\n")
        // json keeps QMP's events as they came, internal ones only with -a.
        model.session.format = .json
        #expect(!model.run("info events -n 100").output.contains("hmp-savevm"))
        #expect(model.run("info events -a -n 100").output.contains(#"{"event": "JOB_STATUS_CHANGE", "data": {"id": "hmp-savevm""#))
    }

    @Test func failureRowsAreStyledWhenTheConsoleAsks() {
        let model = ModelSession()
        for line in ["migrate_set_capability events on", "inject_fault refuse-connection", "migrate -d tcp:192.0.2.1:4444", "sleep 1s"] {
            #expect(model.run(line).succeeded, "\(line)")
        }
        let plain = model.run("info events").output
        model.session.failureStyle = { "<" + $0 + ">" }
        let styled = model.run("info events").output
        let lines = styled.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[2].hasPrefix("  +0.000 s  MIGRATION  status=setup"))
        #expect(lines[3].hasPrefix("<") && lines[3].hasSuffix(">") && lines[3].contains("status=failed"))
        #expect(styled.replacingOccurrences(of: "<", with: "").replacingOccurrences(of: ">", with: "") == plain)
    }
}
