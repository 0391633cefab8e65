import CEditLine

/// A one-line status display redrawn in place with `\r` (a foreground migration's progress).
/// The last state stays on screen when the command ends, so the outcome remains readable.
public final class ProgressLine {
    let sink: OutputSink
    let usesEscapes: Bool
    private var shown = false
    private var lastWidth = 0
    /// What the line shows now, to draw it again after printing above it or a resize.
    private var shownText: String?
    /// Keys typed while the line is up are held back (not echoed onto it) and, at the end,
    /// named and dropped; nil leaves the terminal alone.
    var typeAhead: TypeAhead?

    /// `sink` must write to a terminal.
    public init(sink: OutputSink, usesEscapes: Bool) {
        self.sink = sink
        self.usesEscapes = usesEscapes
    }

    /// Replaces the status line with `text`, cut to the terminal width so it never wraps
    /// (a wrapped line cannot be redrawn with `\r`). An empty text takes the line away.
    public func draw(_ text: String) {
        if text.isEmpty {
            clear()
            return
        }
        shownText = text
        typeAhead?.hold()
        let columns = Int(cel_terminal_columns(sink.fileDescriptor))
        var line = text.split(separator: "\n").last.map(String.init) ?? ""
        let limit = (columns > 0 ? columns : 80) - 1
        if line.unicodeScalars.count > limit { line = String(String.UnicodeScalarView(line.unicodeScalars.prefix(limit))) }
        let width = line.unicodeScalars.count
        if usesEscapes {
            // A narrower window rewraps the last line over more rows: go up to its first row
            // and clear from there, or a fragment stays behind.
            let usable = max(1, limit + 1)
            let rowsTaken = lastWidth > 0 ? (lastWidth - 1) / usable : 0
            let up = rowsTaken > 0 ? "\u{1B}[\(rowsTaken)A" : ""
            sink.write("\r" + up + (rowsTaken > 0 ? "\u{1B}[J" : "") + line + "\u{1B}[K")
        } else {
            sink.write("\r" + line + String(repeating: " ", count: max(0, lastWidth - width)))
        }
        sink.flush()
        lastWidth = width
        shown = true
    }

    /// Prints `text` (whole lines) above the status line, which is drawn again under it.
    public func above(_ text: String) {
        guard !text.isEmpty else { return }
        let last = shownText
        clear()
        sink.write(text)
        sink.flush()
        if let last { draw(last) }
    }

    /// Erases the status line; the cursor stays at its start.
    public func clear() {
        guard shown else { return }
        if usesEscapes {
            let columns = Int(cel_terminal_columns(sink.fileDescriptor))
            let rowsTaken = lastWidth > 0 ? (lastWidth - 1) / max(1, columns > 0 ? columns : 80) : 0
            sink.write("\r" + (rowsTaken > 0 ? "\u{1B}[\(rowsTaken)A" : "") + "\u{1B}[J")
        } else {
            sink.write("\r" + String(repeating: " ", count: lastWidth) + "\r")
        }
        sink.flush()
        shown = false
        lastWidth = 0
        shownText = nil
    }

    /// Ends the status line (moves below it) if one is still shown.
    public func finish() {
        shownText = nil
        let typed = typeAhead?.release() ?? ""
        if shown { sink.write("\n") }
        if !typed.isEmpty {
            let shown = typed.split(separator: "\n").joined(separator: "; ")
            sink.write("(typed while waiting, not run: \(shown))\n")
        }
        sink.flush()
        guard shown else { return }
        shown = false
        lastWidth = 0
    }
}
