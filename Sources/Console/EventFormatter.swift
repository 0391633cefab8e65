import HMP
import QAPI

/// Turns QMP events into what the console prints: one readable line each
/// (`[12.345] MIGRATION status=completed`), or the QMP JSON object in json format.
public struct EventFormatter: Sendable {
    public var format: OutputFormat
    /// Wall-clock microseconds since the epoch that `[0.000]` stands for (the console's start).
    public var originMicroseconds: UInt64

    public init(format: OutputFormat, originMicroseconds: UInt64) {
        self.format = format
        self.originMicroseconds = originMicroseconds
    }

    /// One line per event, each ending in a newline.
    public func text(for events: [JSONValue]) -> String {
        var text = ""
        for event in events { text += line(for: event) + "\n" }
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

    /// `[seconds.milliseconds]` since the origin; events from before it count from zero.
    func stamp(_ timestamp: JSONValue?) -> String {
        guard let seconds = timestamp?["seconds"]?.int64Value, let micros = timestamp?["microseconds"]?.int64Value,
            seconds >= 0, micros >= 0
        else { return "[-]" }
        let at = UInt64(seconds) &* 1_000_000 &+ UInt64(micros)
        let since = at > originMicroseconds ? at - originMicroseconds : 0
        let millis = since / 1000
        let fraction = String(millis % 1000)
        return "[\(millis / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)]"
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
