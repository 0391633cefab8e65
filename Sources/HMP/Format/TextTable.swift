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
        let columns = max(headers.count, rows.map(\.count).max() ?? 0)
        var widths = [Int](repeating: 0, count: columns)
        let headerWidths = headers.map(displayWidth)
        let rowWidths = rows.map { $0.map(displayWidth) }
        for (i, w) in headerWidths.enumerated() { widths[i] = max(widths[i], w) }
        for row in rowWidths {
            for (i, w) in row.enumerated() { widths[i] = max(widths[i], w) }
        }
        let lineWidth = widths.reduce(0, +) + 2 * max(columns - 1, 0) + 1
        var out: [UInt8] = []
        out.reserveCapacity(lineWidth * (rows.count + 2) + 16)
        let rightAligned = (0..<columns).map { $0 < alignments.count && alignments[$0] == .right }

        func appendLine(_ row: [String], _ cellWidths: [Int]) {
            var pendingSpaces = 0
            for i in 0..<columns {
                if i > 0 { pendingSpaces += 2 }
                let cell = i < row.count ? row[i] : ""
                let pad = widths[i] - (i < row.count ? cellWidths[i] : 0)
                if rightAligned[i] { pendingSpaces += pad }
                if !cell.isEmpty {
                    out.append(contentsOf: repeatElement(0x20, count: pendingSpaces))
                    pendingSpaces = 0
                    out.append(contentsOf: cell.utf8)
                }
                if !rightAligned[i] { pendingSpaces += pad }
            }
            // Blanks at the end of the line, a cell's own included, are dropped.
            while out.last == 0x20 { out.removeLast() }
            out.append(0x0A)
        }

        if !headers.isEmpty {
            appendLine(headers, headerWidths)
            for (i, width) in widths.enumerated() {
                if i > 0 { out.append(contentsOf: repeatElement(0x20, count: 2)) }
                out.append(contentsOf: repeatElement(UInt8(ascii: "-"), count: width))
            }
            out.append(0x0A)
        }
        for (row, cellWidths) in zip(rows, rowWidths) { appendLine(row, cellWidths) }
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

/// Terminal columns a string takes; counts characters, which is right for the text we print.
/// ASCII text, nearly all of it, is measured by its length alone.
func displayWidth(_ s: String) -> Int {
    var ascii = true
    for byte in s.utf8 where byte >= 0x80 {
        ascii = false
        break
    }
    return ascii ? s.utf8.count : s.count
}

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
