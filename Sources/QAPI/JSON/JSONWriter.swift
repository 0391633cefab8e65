/// Serialises JSON the way QEMU's QMP server does: `{"key": value, "k2": [1, 2]}` on one line,
/// or indented for people.
public struct JSONWriter: Sendable {
    public enum Style: Sendable { case compact, pretty }

    public var style: Style
    /// Escape everything outside ASCII as `\uXXXX` (the QMP wire does; a terminal need not).
    public var asciiOnly: Bool

    public init(style: Style = .compact, asciiOnly: Bool = false) {
        self.style = style
        self.asciiOnly = asciiOnly
    }

    public func string(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out, indent: 0)
        return String(decoding: out, as: UTF8.self)
    }

    public func write(_ value: JSONValue, into out: inout [UInt8], indent: Int = 0) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i):
            if i < 0 { out.append(UInt8(ascii: "-")) }
            Self.writeDigits(i.magnitude, into: &out)
        case .uint(let u): Self.writeDigits(u, into: &out)
        case .double(let d): Self.writeDouble(d, into: &out)
        case .string(let s): writeString(s, into: &out)
        case .array(let elements):
            if elements.isEmpty {
                out.append(contentsOf: "[]".utf8)
                return
            }
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(into: &out, indent: indent + 1)
                write(element, into: &out, indent: indent + 1)
            }
            newline(into: &out, indent: indent, closing: true)
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            if object.isEmpty {
                out.append(contentsOf: "{}".utf8)
                return
            }
            out.append(UInt8(ascii: "{"))
            for (i, member) in object.members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(into: &out, indent: indent + 1)
                writeString(member.key, into: &out)
                out.append(contentsOf: ": ".utf8)
                write(member.value, into: &out, indent: indent + 1)
            }
            newline(into: &out, indent: indent, closing: true)
            out.append(UInt8(ascii: "}"))
        }
    }

    private func newline(into out: inout [UInt8], indent: Int, closing: Bool = false) {
        switch style {
        case .compact:
            if !closing, out.last == UInt8(ascii: ",") { out.append(0x20) }
        case .pretty:
            out.append(0x0A)
            for _ in 0..<(indent * 4) { out.append(0x20) }
        }
    }

    /// Decimal digits without a String in between (numbers are most of a stats reply).
    private static func writeDigits(_ value: UInt64, into out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var count = 0
        var v = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while v > 0 {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                count += 1
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
    }

    private static func writeDouble(_ d: Double, into out: inout [UInt8]) {
        guard d.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        var text = d.description
        // Keep a marker that it is a number with a fraction, so it reads back as a double.
        if !text.contains(".") && !text.contains("e") { text += ".0" }
        out.append(contentsOf: text.utf8)
    }

    private static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)

    private func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if !asciiOnly {
            var s = s
            s.withUTF8 { bytes in
                // Copy runs that need no escaping in one go; most keys and values are such runs.
                var runStart = 0
                for i in 0..<bytes.count {
                    let b = bytes[i]
                    guard b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F else { continue }
                    if i > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                    runStart = i + 1
                    switch b {
                    case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
                    case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
                    case 0x0A: out.append(contentsOf: "\\n".utf8)
                    case 0x0D: out.append(contentsOf: "\\r".utf8)
                    case 0x09: out.append(contentsOf: "\\t".utf8)
                    case 0x08: out.append(contentsOf: "\\b".utf8)
                    case 0x0C: out.append(contentsOf: "\\f".utf8)
                    default: Self.escapeUnit(UInt16(b), into: &out)
                    }
                }
                if bytes.count > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count])) }
            }
        } else {
            for unit in s.utf16 {
                switch unit {
                case 0x22: out.append(contentsOf: "\\\"".utf8)
                case 0x5C: out.append(contentsOf: "\\\\".utf8)
                case 0x0A: out.append(contentsOf: "\\n".utf8)
                case 0x0D: out.append(contentsOf: "\\r".utf8)
                case 0x09: out.append(contentsOf: "\\t".utf8)
                case 0x08: out.append(contentsOf: "\\b".utf8)
                case 0x0C: out.append(contentsOf: "\\f".utf8)
                case 0x20..<0x7F: out.append(UInt8(unit))
                default: Self.escapeUnit(unit, into: &out)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func escapeUnit(_ unit: UInt16, into out: inout [UInt8]) {
        out.append(contentsOf: "\\u".utf8)
        out.append(hex[Int(unit >> 12) & 0xF])
        out.append(hex[Int(unit >> 8) & 0xF])
        out.append(hex[Int(unit >> 4) & 0xF])
        out.append(hex[Int(unit) & 0xF])
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact QMP-style JSON text.
    public var description: String { JSONWriter().string(self) }
}
