/// Help text fitted to the terminal: lines broken at blanks, never inside a word, with the
/// continuation lines indented. Used for the table format on a terminal only; a pipe or file
/// gets one line per entry (so `grep` finds a whole line) and `--format qemu` keeps QEMU's bytes.
public enum HelpWrapping {
    /// Below this the terminal is too narrow to wrap usefully: text is left whole.
    static let narrowest = 20

    /// `text` (one paragraph, no newlines) in lines of at most `width` display columns; every line
    /// after the first starts with `indent` blanks. A word wider than the room stays whole on a
    /// line of its own.
    public static func wrap(_ text: String, width: Int, indent: Int = 0) -> String {
        guard width >= narrowest, DisplayWidth.of(text) > width else { return text }
        let indent = min(indent, width / 2)
        let pad = String(repeating: " ", count: indent)
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let wordWidth = DisplayWidth.of(String(word))
            let room = width - (lines.isEmpty ? 0 : indent)
            if lineWidth > 0, lineWidth + 1 + wordWidth > room {
                lines.append(line)
                line = ""
                lineWidth = 0
            }
            if lineWidth > 0 {
                line += " "
                lineWidth += 1
            }
            line += word
            lineWidth += wordWidth
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines.enumerated().map { $0.offset == 0 ? $0.element : pad + $0.element }.joined(separator: "\n")
    }

    /// Name and text in two columns, the text wrapped within its column; when the column would
    /// be too narrow, the text goes on the next lines, indented.
    public static func keyValue(_ rows: [(String, String)], width: Int?) -> String {
        guard let width, width >= narrowest else { return TextTable.keyValue(rows) }
        let keyWidth = rows.map { DisplayWidth.of($0.0) }.max() ?? 0
        let column = keyWidth + 2
        var out = ""
        for (key, value) in rows {
            if width - column >= narrowest {
                let wrapped = wrap(value, width: width - column, indent: 0)
                let pad = String(repeating: " ", count: column)
                let lines = wrapped.split(separator: "\n", omittingEmptySubsequences: false)
                out += key + String(repeating: " ", count: column - DisplayWidth.of(key)) + lines[0] + "\n"
                for rest in lines.dropFirst() { out += pad + rest + "\n" }
            } else {
                out += key + "\n"
                for line in wrap(value, width: width - 4).split(separator: "\n") { out += "    " + line + "\n" }
            }
        }
        return out
    }
}
