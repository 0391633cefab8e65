/// Aligned plain-text tables for the `table` output format.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public var headers: [String]
    public var alignments: [Alignment]
    public var rows: [[String]] = []

    public init(headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.map { _ in .left }
    }

    public mutating func add(_ row: [String]) { rows.append(row) }

    /// Columns two spaces apart; a rule under the header when there is one.
    public func render() -> String {
        let columns = max(headers.count, rows.map(\.count).max() ?? 0)
        var widths = [Int](repeating: 0, count: columns)
        for row in [headers] + rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], displayWidth(cell)) }
        }
        func line(_ row: [String]) -> String {
            var parts: [String] = []
            for i in 0..<columns {
                let cell = i < row.count ? row[i] : ""
                let pad = String(repeating: " ", count: widths[i] - displayWidth(cell))
                let alignment = i < alignments.count ? alignments[i] : .left
                parts.append(alignment == .right ? pad + cell : (i == columns - 1 ? cell : cell + pad))
            }
            var text = parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        var out = ""
        if !headers.isEmpty {
            out += line(headers) + "\n"
            out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        }
        for row in rows { out += line(row) + "\n" }
        return out
    }

    /// Name/value pairs, names left-aligned in one column.
    public static func keyValue(_ pairs: [(String, String)]) -> String {
        let width = pairs.map { displayWidth($0.0) }.max() ?? 0
        return pairs.map { pair in
            pair.0 + String(repeating: " ", count: width - displayWidth(pair.0)) + "  " + pair.1
        }.joined(separator: "\n") + (pairs.isEmpty ? "" : "\n")
    }
}

/// Terminal columns a string takes; counts characters, which is right for the text we print.
func displayWidth(_ s: String) -> Int { s.count }

/// Human sizes for tables: IEC units, three significant digits, exact bytes when small.
public enum HumanUnits {
    public static func bytes(_ value: UInt64) -> String { SizeFormatter.string(fromBytes: value) }
    public static func bytes(_ value: Int64) -> String { value < 0 ? "-" + bytes(UInt64(-value)) : bytes(UInt64(value)) }

    /// Bytes per second as a size per second, plus the bit rate people quote for links.
    public static func rate(bytesPerSecond value: UInt64) -> String { bytes(value) + "/s" }

    /// Milliseconds as `1.234 s` above a second, `250 ms` below.
    public static func milliseconds(_ ms: Int64) -> String {
        if ms >= 1000 || ms <= -1000 {
            return CFloatFormat.fixed(Double(ms) / 1000, precision: 3) + " s"
        }
        return "\(ms) ms"
    }
}
