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
    ///
    /// Built as bytes and turned into a string once, each cell measured once: batch runs print
    /// tens of thousands of tables, and String appends were where their time went.
    public func render() -> String {
        // Plain loops throughout: key paths, zip and generic helpers showed up in profiles.
        var columns = headers.count
        for row in rows where row.count > columns { columns = row.count }
        var widths = [Int](repeating: 0, count: columns)
        // Cell widths, row after row (the header first), kept flat to measure each cell once.
        var cellWidths: [Int] = []
        cellWidths.reserveCapacity(columns * (rows.count + 1))
        func measure(_ row: [String]) {
            var i = 0
            while i < columns {
                let w = i < row.count ? displayWidth(row[i]) : 0
                cellWidths.append(w)
                if w > widths[i] { widths[i] = w }
                i += 1
            }
        }
        measure(headers)
        for row in rows { measure(row) }
        var rightAligned = [Bool](repeating: false, count: columns)
        for i in 0..<min(columns, alignments.count) where alignments[i] == .right { rightAligned[i] = true }

        var lineWidth = 2 * max(columns - 1, 0) + 1
        for w in widths { lineWidth += w }
        var out: [UInt8] = []
        out.reserveCapacity(lineWidth * (rows.count + 2) + 16)

        func spaces(_ n: Int) {
            var left = n
            while left > 0 {
                out.append(0x20)
                left -= 1
            }
        }
        func appendLine(_ row: [String], _ first: Int) {
            var pendingSpaces = 0
            var i = 0
            while i < columns {
                if i > 0 { pendingSpaces += 2 }
                let pad = widths[i] - cellWidths[first + i]
                if rightAligned[i] { pendingSpaces += pad }
                if i < row.count, !row[i].isEmpty {
                    spaces(pendingSpaces)
                    pendingSpaces = 0
                    out.append(contentsOf: row[i].utf8)
                }
                if !rightAligned[i] { pendingSpaces += pad }
                i += 1
            }
            // Blanks at the end of the line, a cell's own included, are dropped.
            while out.last == 0x20 { out.removeLast() }
            out.append(0x0A)
        }

        if !headers.isEmpty {
            appendLine(headers, 0)
            for i in 0..<columns {
                if i > 0 { spaces(2) }
                var n = widths[i]
                while n > 0 {
                    out.append(UInt8(ascii: "-"))
                    n -= 1
                }
            }
            out.append(0x0A)
        }
        var index = 0
        while index < rows.count {
            appendLine(rows[index], columns * (index + 1))
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Name/value pairs, names left-aligned in one column.
    public static func keyValue(_ pairs: [(String, String)]) -> String {
        let width = pairs.map { displayWidth($0.0) }.max() ?? 0
        var out = ""
        for pair in pairs {
            out += pair.0
            appendSpaces(width - displayWidth(pair.0) + 2, to: &out)
            out += pair.1
            out += "\n"
        }
        return out
    }
}

/// Runs of blanks made once; slicing a longer string each time cost more than the rest.
private let blankRuns: [String] = (0...64).map { String(repeating: " ", count: $0) }

private func appendSpaces(_ count: Int, to out: inout String) {
    var left = count
    while left > 0 {
        let n = min(left, 64)
        out += blankRuns[n]
        left -= n
    }
}

/// Terminal columns a string takes (`DisplayWidth`).
@inline(__always)
func displayWidth(_ s: String) -> Int { DisplayWidth.of(s) }

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
