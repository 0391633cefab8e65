/// Aligned plain-text tables for the `table` output format.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public var headers: [String]
    public var alignments: [Alignment]
    /// The cells row after row, `columns` to a row (short rows padded with ""): one array for
    /// the whole table rather than one per row, which showed in batch profiles.
    private var cells: [String] = []
    private var columns: Int

    public init(headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.map { _ in .left }
        columns = headers.count
    }

    public var rowCount: Int { columns == 0 ? 0 : cells.count / columns }

    /// Room for this many rows, when the caller knows (saves regrowing the cells).
    public mutating func reserveRows(_ rows: Int) { cells.reserveCapacity(rows * max(columns, 1)) }

    public mutating func add(_ row: [String]) {
        if row.count > columns { widen(to: row.count) }
        cells.append(contentsOf: row)
        for _ in row.count..<columns { cells.append("") }
    }

    /// A three-cell row without building an array for it.
    public mutating func add(_ first: String, _ second: String, _ third: String) {
        if columns < 3 { widen(to: 3) }
        cells.append(first)
        cells.append(second)
        cells.append(third)
        for _ in 3..<columns { cells.append("") }
    }

    /// A row longer than the header: every earlier row gets empty cells to match.
    private mutating func widen(to count: Int) {
        let old = columns
        var widened: [String] = []
        widened.reserveCapacity(count * (cells.count / max(old, 1) + 1))
        var i = 0
        while i < cells.count {
            widened.append(contentsOf: cells[i..<(i + old)])
            for _ in old..<count { widened.append("") }
            i += old
        }
        cells = widened
        columns = count
    }

    /// Columns two spaces apart; a rule under the header when there is one.
    ///
    /// Batch runs print tens of thousands of tables, so this measures each cell once and writes
    /// the bytes straight into the string's storage, sized beforehand: appends to an array,
    /// closures and generic helpers all showed in profiles.
    public func render() -> String {
        let columns = max(self.columns, 1)
        let rows = cells.count / columns
        var widths = [Int](repeating: 0, count: columns)
        var maxBytes = [Int](repeating: 0, count: columns)
        // Display widths, the header's first, kept flat.
        var cellWidths = [Int](repeating: 0, count: columns * (rows + 1))
        var c = 0
        while c < columns {
            if c < headers.count {
                let w = DisplayWidth.of(headers[c])
                cellWidths[c] = w
                widths[c] = w
                maxBytes[c] = headers[c].utf8.count
            }
            c += 1
        }
        var i = 0
        while i < cells.count {
            let w = DisplayWidth.of(cells[i])
            cellWidths[columns + i] = w
            c = i % columns
            if w > widths[c] { widths[c] = w }
            let bytes = cells[i].utf8.count
            if bytes > maxBytes[c] { maxBytes[c] = bytes }
            i += 1
        }
        var rightAligned = [Bool](repeating: false, count: columns)
        c = 0
        while c < min(columns, alignments.count) {
            rightAligned[c] = alignments[c] == .right
            c += 1
        }
        // No line is longer than this many bytes (a cell's bytes plus its padding, two blanks
        // between columns, the newline).
        var lineBound = 2 * columns + 1
        c = 0
        while c < columns {
            lineBound += widths[c] + maxBytes[c]
            c += 1
        }
        let capacity = lineBound * (rows + 2)

        return String(unsafeUninitializedCapacity: capacity) { buffer in
            var out = ByteWriter(base: buffer.baseAddress!)
            if !headers.isEmpty {
                var pending = 0
                c = 0
                while c < columns {
                    if c > 0 { pending += 2 }
                    let pad = widths[c] - cellWidths[c]
                    if rightAligned[c] { pending += pad }
                    if c < headers.count, !headers[c].isEmpty {
                        out.blanks(pending)
                        pending = 0
                        out.write(headers[c])
                    }
                    if !rightAligned[c] { pending += pad }
                    c += 1
                }
                out.endLine()
                c = 0
                while c < columns {
                    if c > 0 { out.blanks(2) }
                    out.repeating(UInt8(ascii: "-"), widths[c])
                    c += 1
                }
                out.newline()
            }
            var row = 0
            while row < rows {
                let base = row * columns
                var pending = 0
                c = 0
                while c < columns {
                    if c > 0 { pending += 2 }
                    let pad = widths[c] - cellWidths[columns + base + c]
                    if rightAligned[c] { pending += pad }
                    let text = cells[base + c]
                    if !text.isEmpty {
                        out.blanks(pending)
                        pending = 0
                        out.write(text)
                    }
                    if !rightAligned[c] { pending += pad }
                    c += 1
                }
                out.endLine()
                row += 1
            }
            return out.at
        }
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

/// Writes bytes into storage sized beforehand (`TextTable.render`).
private struct ByteWriter {
    let base: UnsafeMutablePointer<UInt8>
    var at = 0
    /// Where the current line started, for trimming its trailing blanks.
    var lineStart = 0

    init(base: UnsafeMutablePointer<UInt8>) { self.base = base }

    @inline(__always) mutating func blanks(_ count: Int) { repeating(0x20, count) }

    @inline(__always) mutating func repeating(_ byte: UInt8, _ count: Int) {
        guard count > 0 else { return }
        (base + at).initialize(repeating: byte, count: count)
        at += count
    }

    @inline(__always) mutating func write(_ text: String) {
        let copied: Int? = text.utf8.withContiguousStorageIfAvailable { bytes in
            (base + at).initialize(from: bytes.baseAddress!, count: bytes.count)
            return bytes.count
        }
        if let copied {
            at += copied
        } else {
            for byte in text.utf8 {
                base[at] = byte
                at += 1
            }
        }
    }

    @inline(__always) mutating func newline() {
        base[at] = 0x0A
        at += 1
        lineStart = at
    }

    /// Ends a line of cells: blanks at its end, a cell's own included, are dropped.
    @inline(__always) mutating func endLine() {
        while at > lineStart, base[at - 1] == 0x20 { at -= 1 }
        newline()
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
