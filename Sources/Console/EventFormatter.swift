import HMP
import QAPI

/// Turns QMP events into what the console prints: one readable line each
/// (`[14:03:27.512] MIGRATION status=completed`, `[model +12.345 s] ...` on the virtual
/// clock), or the QMP JSON object in json format. The job events of the console's internal
/// snapshot jobs are left out (`info events -a` keeps them); failures are styled.
public struct EventFormatter: Sendable {
    public var format: OutputFormat
    /// Wall-clock microseconds since the epoch at the console's start; model time counts from it.
    public var originMicroseconds: UInt64
    /// Timestamps are model time (the virtual clock), not wall-clock time.
    public var modelTime: Bool
    /// Red for failures on a terminal.
    public var style: TextStyle

    public init(format: OutputFormat, originMicroseconds: UInt64, modelTime: Bool = false, style: TextStyle = .plain) {
        self.format = format
        self.originMicroseconds = originMicroseconds
        self.modelTime = modelTime
        self.style = style
    }

    /// One line per event shown, each ending in a newline.
    public func text(for events: [JSONValue]) -> String {
        var text = ""
        for event in events where !EventPresentation.isInternal(event) {
            let line = line(for: event)
            text += (format != .json && EventPresentation.isFailure(event) ? style.failureLine(line) : line) + "\n"
        }
        return text
    }

    public func line(for event: JSONValue) -> String {
        if format == .json { return event.description }
        let name = event["event"]?.stringValue ?? "EVENT"
        var fields: [String] = []
        if let data = event["data"] { Self.flatten(data, prefix: "", into: &fields) }
        // Events of a console driving several QEMUs say which VM sent them.
        if let vm = event["vm"]?.stringValue { return ([stamp(event["timestamp"]), "@" + vm, name] + fields).joined(separator: " ") }
        return ([stamp(event["timestamp"]), name] + fields).joined(separator: " ")
    }

    /// `[14:03:27.512]` in local time; on the virtual clock `[model +12.345 s]` since the
    /// origin (events from before it count from zero).
    func stamp(_ timestamp: JSONValue?) -> String {
        guard modelTime else { return "[" + EventPresentation.time(timestamp) + "]" }
        let time = EventPresentation.time(timestamp, modelTimeFrom: originMicroseconds)
        return time == "-" ? "[-]" : "[model " + time + "]"
    }

    /// `key=value` pairs; nested objects as `outer.inner=value`, arrays as JSON.
    static func flatten(_ value: JSONValue, prefix: String, into fields: inout [String]) {
        switch value {
        case .object(let object):
            for member in object {
                flatten(member.value, prefix: prefix.isEmpty ? member.key : prefix + "." + member.key, into: &fields)
            }
        case .string(let s):
            fields.append("\(prefix)=\(needsQuotes(s) ? JSONValue.string(s).description : s)")
        default:
            fields.append(prefix.isEmpty ? value.description : "\(prefix)=\(value.description)")
        }
    }

    static func needsQuotes(_ s: String) -> Bool {
        s.isEmpty || s.unicodeScalars.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.value < 0x20 || $0.value == 0x7F }
    }
}
