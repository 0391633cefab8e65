// The one set of word rules of an HMP line, after QEMU's `get_str()` in monitor/hmp.c: a word
// runs to the next blank, or, when it starts with `"`, to the closing quote, reading the escapes
// \n \r \\ \' \". The argument parser (strictly), the completer and the command splitter
// (leniently: the line may be half typed) all read words with these, and the one-shot
// arguments and shell completion write words back with `quoted(_:)`.

/// A blank between words: the six ASCII spaces of C's `isspace()`, as QEMU's monitor uses.
@inline(__always)
public func isHMPBlank(_ byte: UInt8) -> Bool { isCSpace(byte) }

public enum HMPWords {
    /// A double-quoted word read from its opening quote.
    struct Quoted {
        /// The text between the quotes, escapes resolved (an unsupported escape keeps its
        /// character, for lenient readers).
        var text: [UInt8]
        /// Just past the closing quote, or the end of the line when there is none.
        var end: Int
        /// The first mistake, which a strict reader reports.
        var error: HMPScanError?
    }

    /// Reads the quoted word whose `"` is at `start`.
    static func readQuoted(_ bytes: [UInt8], from start: Int) -> Quoted {
        var text: [UInt8] = []
        var error: HMPScanError?
        var i = start + 1
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { return Quoted(text: text, end: i + 1, error: error) }
            guard b == UInt8(ascii: "\\") else {
                text.append(b)
                i += 1
                continue
            }
            // A backslash as the last byte cannot start an escape: the word is not closed.
            guard i + 1 < bytes.count else { break }
            switch bytes[i + 1] {
            case UInt8(ascii: "n"): text.append(0x0A)
            case UInt8(ascii: "r"): text.append(0x0D)
            case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): text.append(bytes[i + 1])
            default:
                if error == nil { error = .unsupportedEscape(decodeScalar(bytes, at: i + 1).scalar) }
                text.append(bytes[i + 1])
            }
            i += 2
        }
        return Quoted(text: text, end: bytes.count, error: error ?? .unterminatedString)
    }

    /// Just past an unquoted word starting at `start`: the next blank, or a byte `stop` accepts.
    static func unquotedEnd(_ bytes: [UInt8], from start: Int, stop: (UInt8) -> Bool = { _ in false }) -> Int {
        var i = start
        while i < bytes.count, !isCSpace(bytes[i]), !stop(bytes[i]) { i += 1 }
        return i
    }

    /// Whether a text holds nothing but blanks.
    public static func isBlank(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for byte in bytes where !isCSpace(byte) { return false }
            return true
        }
    }

    /// A word as it must be written in an HMP line to be read back as itself. Left as it is:
    /// a word with nothing special in it, a JSON value (`{...}`, `[...]`: its argument reads
    /// the rest of the line raw) and a word already in double quotes. Anything else with a
    /// blank, a quote, a backslash or a `;` in it, or starting with `#`, is put in quotes.
    public static func quoted(_ word: String) -> String {
        let bytes = Array(word.utf8)
        guard let first = bytes.first else { return "\"\"" }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return word }
        if bytes.count >= 2, first == UInt8(ascii: "\""), bytes.last == UInt8(ascii: "\"") { return word }
        let special =
            first == UInt8(ascii: "#")
            || bytes.contains {
                isCSpace($0) || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: ";")
            }
        guard special else { return word }
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for b in bytes {
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), b]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }
}

/// Splitting a text into command lines: `;` and newlines separate commands, `#` at the start
/// of a word starts a comment; both are plain text inside a double-quoted word.
public enum CommandSplitter {
    public static func split(_ text: String, separators: Set<Character> = [";", "\n"]) -> [String] {
        let bytes = Array(text.utf8)
        let separatorBytes = separators.compactMap(\.asciiValue)
        let isSeparator = { (b: UInt8) in separatorBytes.contains(b) }
        var lines: [String] = []
        var current: [UInt8] = []
        var i = 0
        func endLine() {
            lines.append(String(decoding: current, as: UTF8.self))
            current.removeAll(keepingCapacity: true)
        }
        while i < bytes.count {
            let b = bytes[i]
            if isSeparator(b) {
                endLine()
                i += 1
            } else if isCSpace(b) {
                current.append(b)
                i += 1
            } else if b == UInt8(ascii: "#"), current.last.map(isCSpace) ?? true {
                // A comment runs to the end of the line; a newline still ends the command.
                while i < bytes.count, bytes[i] != 0x0A { i += 1 }
                if i < bytes.count {
                    endLine()
                    i += 1
                }
            } else {
                let end =
                    b == UInt8(ascii: "\"")
                    ? HMPWords.readQuoted(bytes, from: i).end : HMPWords.unquotedEnd(bytes, from: i, stop: isSeparator)
                current += bytes[i..<end]
                i = end
            }
        }
        endLine()
        return lines
    }

    /// The line without a trailing `# comment`.
    public static func stripComment(_ line: String) -> String {
        split(line, separators: []).first ?? ""
    }

    /// Where the last command of a line starts: just past its last `;` outside quotes.
    public static func lastCommandStart(_ bytes: [UInt8]) -> Int {
        var start = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: ";") {
                start = i + 1
                i += 1
            } else if isCSpace(b) {
                i += 1
            } else if b == UInt8(ascii: "\"") {
                i = HMPWords.readQuoted(bytes, from: i).end
            } else {
                i = HMPWords.unquotedEnd(bytes, from: i) { $0 == UInt8(ascii: ";") }
            }
        }
        return start
    }
}
