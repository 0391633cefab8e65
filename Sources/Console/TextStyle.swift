#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Colour, kept subtle: a bold prompt and a red `Error:`. Only on a terminal that can show
/// it, never in pipes or files, and never when NO_COLOR is set (https://no-color.org).
public struct TextStyle: Sendable, Equatable {
    public var enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    public static let plain = TextStyle(enabled: false)

    /// Colour for text written to `fileDescriptor`, following the environment.
    public static func forTerminal(_ fileDescriptor: Int32) -> TextStyle {
        guard isatty(fileDescriptor) == 1 else { return .plain }
        if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return .plain }
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        return TextStyle(enabled: !term.isEmpty && term != "dumb")
    }

    /// The prompt; escapes are bracketed by `\u{1}` so the line editor does not count them.
    public func prompt(_ text: String) -> String {
        guard enabled else { return text }
        let visible = text.hasSuffix(" ") ? String(text.dropLast()) : text
        let tail = text.hasSuffix(" ") ? " " : ""
        return "\u{1}\u{1B}[1m\u{1}" + visible + "\u{1}\u{1B}[0m\u{1}" + tail
    }

    /// An error text with its `Error:` in red: the one it starts with, or the first one
    /// behind a label that ends in `: ` (`vm1: Error: ...`). Every failure hmp reports has
    /// this one mark; other lines (hints, "Not quitting") stay as they are.
    public func error(_ text: String) -> String {
        guard enabled, let range = text.firstRange(of: "Error:") else { return text }
        guard range.lowerBound == text.startIndex || text[..<range.lowerBound].hasSuffix(": ") else { return text }
        return text[..<range.lowerBound] + "\u{1B}[31mError:\u{1B}[0m" + text[range.upperBound...]
    }

    /// A failure of hmp itself (not of a command line): `hmp: Error: <message>`.
    public func failure(_ message: String) -> String {
        "hmp: " + error("Error: " + message)
    }
}
