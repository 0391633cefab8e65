import QAPI

/// How the console shows an event to a person: when it happened, whether it is one of the
/// console's own internal events, and whether it reports a failure.
public enum EventPresentation {
    /// The jobs `savevm`, `loadvm` and `delvm` run through QMP's snapshot-* commands. QEMU's
    /// HMP commands run no job, so their JOB_STATUS_CHANGE events are the console's own detail.
    static let internalJobIDs: Set<String> = [
        SnapshotHandlers.jobID("savevm"), SnapshotHandlers.jobID("loadvm"), SnapshotHandlers.jobID("delvm"),
    ]

    /// An event of the console's internal snapshot jobs, hidden unless asked for.
    public static func isInternal(_ event: JSONValue) -> Bool {
        guard let name = event["event"]?.stringValue, name == "JOB_STATUS_CHANGE" || name.hasPrefix("BLOCK_JOB"),
            let id = event["data"]?["id"]?.stringValue ?? event["data"]?["device"]?.stringValue
        else { return false }
        return internalJobIDs.contains(id)
    }

    /// An event that reports something going wrong: a failed migration, a job or I/O error, a
    /// job that ended with an error or is aborting, a lost connection to a VM.
    public static func isFailure(_ event: JSONValue) -> Bool {
        let data = event["data"]
        switch event["event"]?.stringValue {
        case "MIGRATION": return data?["status"]?.stringValue == "failed"
        case "BLOCK_JOB_ERROR", "BLOCK_IO_ERROR", "QMP_DISCONNECTED": return true
        case "BLOCK_JOB_COMPLETED": return data?["error"] != nil
        case "JOB_STATUS_CHANGE": return data?["status"]?.stringValue == "aborting"
        default: return false
        }
    }

    /// When an event happened. On the real clock and for QEMUs, the wall-clock time of day in
    /// local time, `14:03:27.512`, with the date in front when it is not today. On the virtual
    /// clock, where the model stamps events with model time from `modelTimeFrom` (wall-clock
    /// microseconds since the epoch), the model time since its start: `+2.000 s`.
    public static func time(
        _ timestamp: JSONValue?, modelTimeFrom origin: UInt64? = nil, today: Int64 = LocalTime.now(), utc: Bool = false
    ) -> String {
        guard let seconds = timestamp?["seconds"]?.int64Value, let micros = timestamp?["microseconds"]?.int64Value,
            seconds >= 0, micros >= 0, micros < 1_000_000
        else { return "-" }
        if let origin {
            let at = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000)
            let stamp = at.overflow ? UInt64.max : at.partialValue.addingReportingOverflow(UInt64(micros)).partialValue
            let since = stamp > origin ? stamp - origin : 0
            return "+\(since / 1_000_000).\(milliseconds(since % 1_000_000)) s"
        }
        let day = LocalTime.format(seconds, "%Y-%m-%d", utc: utc)
        let clock = LocalTime.format(seconds, "%H:%M:%S", utc: utc) + "." + milliseconds(UInt64(micros))
        return day == LocalTime.format(today, "%Y-%m-%d", utc: utc) ? clock : day + " " + clock
    }

    /// The milliseconds of `micros` (below a second) as three digits.
    static func milliseconds(_ micros: UInt64) -> String {
        let millis = String(micros / 1000)
        return String(repeating: "0", count: max(0, 3 - millis.count)) + millis
    }
}
