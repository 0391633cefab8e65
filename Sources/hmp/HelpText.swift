#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HMP

/// `hmp --help`, built from the option specs in the layout swift-argument-parser gave it
/// (which hmp used before it read its options itself): labels in a 26-column gutter, text
/// wrapped at the terminal's width.
enum HelpText {
    static let abstract = "An operator console for QEMU-style live migration and block devices."
    static let discussion = """
        Commands act on an in-process model of one VM, or with --connect on running QEMUs. Exit status: 0 when every command \
        succeeded, 1 when one failed, 2 for a bad option. Type 'help' in the console for \
        the commands.
        """
    static let usage = [
        "hmp [OPTIONS]                      start the interactive console",
        "hmp [OPTIONS] COMMAND [ARG...]     run one command line and exit",
        "hmp [OPTIONS] -c 'LINE; LINE'      run command lines and exit",
        "hmp [OPTIONS] < SCRIPT             run a script, one command line per line",
    ]
    static let lineArgument = (label: "<COMMAND>", help: "A command line to run instead of starting the console.")

    private static let gutter = 26

    static func render(includeHidden: Bool = false, width: Int = terminalWidth(), options: [OptionSpec] = CommandLineOptions.all) -> String
    {
        var out = wrap("OVERVIEW: \(abstract)\n\n\(discussion)", width: width) + "\n\n"
        out += "USAGE: " + usage.joined(separator: "\n" + String(repeating: " ", count: 7)) + "\n\n"
        out += "ARGUMENTS:\n" + entry(lineArgument.label, lineArgument.help, width: width) + "\n"
        out += "OPTIONS:\n"
        // --help goes last, after the hidden ones too.
        let isHelp = { (spec: OptionSpec) in spec.long == CommandLineOptions.help.long }
        for spec in options.filter({ !isHelp($0) }) + options.filter(isHelp) where includeHidden || !spec.hidden {
            var label = spec.short.map { "-\($0), " } ?? ""
            label += "--" + spec.long
            if let value = spec.valueName { label += " <\(value)>" }
            var help = spec.help
            if let value = spec.defaultValue { help += " (default: \(value))" }
            out += entry(label, help, width: width)
        }
        return out
    }

    /// Label and text: on one line when the label fits the gutter, else the text on the next.
    private static func entry(_ label: String, _ help: String, width: Int) -> String {
        let padded = "  " + label
        let text = wrap(help, width: width, indent: gutter)
        if padded.count < gutter { return padded + text.dropFirst(padded.count) + "\n" }
        return padded + "\n" + text + "\n"
    }

    /// Greedy wrapping at blanks, every line indented; a word longer than a line stands alone.
    static func wrap(_ text: String, width: Int, indent: Int = 0) -> String {
        let columns = max(width - indent, 1)
        var lines: [Substring] = []
        var rest = Substring(text)
        while true {
            let chunk = rest.prefix(columns)
            if let newline = chunk.lastIndex(of: "\n") {
                lines += rest[..<newline].split(separator: "\n", omittingEmptySubsequences: false)
                rest = rest[rest.index(after: newline)...]
            } else if chunk.endIndex == rest.endIndex {
                lines.append(rest)
                break
            } else if let blank = chunk.lastIndex(of: " ") {
                lines.append(rest[..<blank])
                rest = rest[rest.index(after: blank)...]
            } else if let blank = rest.firstIndex(of: " ") {
                lines.append(rest[..<blank])
                rest = rest[rest.index(after: blank)...]
            } else {
                lines.append(rest)
                break
            }
        }
        let margin = String(repeating: " ", count: indent)
        return lines.map { $0.isEmpty ? "" : margin + $0 }.joined(separator: "\n")
    }

    /// $COLUMNS, else the width of the terminal on standard output, else 80.
    static func terminalWidth() -> Int {
        if let columns = getenv("COLUMNS").flatMap({ Int(String(cString: $0)) }) { return columns }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}
