/// Errors from reading a string token (QEMU's `get_str`).
public enum HMPScanError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The line ended where a token was expected. The argument parser turns
    /// this into `<cmd>: string expected` (or `filename expected`, ...).
    case missingToken
    /// A backslash inside a quoted string was followed by something other
    /// than `n r \ ' "`.
    case unsupportedEscape(Unicode.Scalar)
    /// A quoted string had no closing `"`.
    case unterminatedString

    public var description: String {
        switch self {
        case .missingToken: "string expected"
        case .unsupportedEscape(let c): "unsupported escape code: '\\\(c)'"
        case .unterminatedString: "unterminated string"
        }
    }
}

/// A cursor over one command line, for the HMP argument parser.
///
/// The line is kept as UTF-8 bytes because QEMU's rules are byte rules (see
/// CharacterClasses.swift); positions are byte offsets. The scanner is a value
/// type, so a parser that needs to look ahead and back off (flags do) simply
/// keeps a copy.
///
/// Unlike QEMU, tokens are not cut at 1023 bytes: a long file name or URI is
/// taken whole rather than silently truncated.
public struct HMPScanner: Sendable {
    public let bytes: [UInt8]
    /// Byte offset of the next unread byte.
    public internal(set) var position: Int

    public init(_ line: some StringProtocol) {
        self.bytes = Array(line.utf8)
        self.position = 0
    }

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        self.position = 0
    }

    /// True when every byte has been consumed.
    public var isAtEnd: Bool { position >= bytes.count }

    /// True when only whitespace (or nothing) is left. This is QEMU's test for
    /// "the line has ended", which is when an optional argument may be omitted.
    public var isBlankToEnd: Bool {
        var i = position
        while i < bytes.count {
            if !isCSpace(bytes[i]) { return false }
            i += 1
        }
        return true
    }

    /// The unread part of the line, as is.
    public var remainder: String {
        String(decoding: bytes[min(position, bytes.count)...], as: UTF8.self)
    }

    /// The byte at `position`, or nil at the end.
    public var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    public mutating func skipWhitespace() {
        while position < bytes.count, isCSpace(bytes[position]) { position += 1 }
    }

    /// Reads one string token, as QEMU's `get_str` does for `s`, `F`, `B`,
    /// `O` and `-xs` values.
    ///
    /// Leading whitespace is skipped. An unquoted token runs to the next
    /// whitespace, with no escapes (`'` is an ordinary character). A token
    /// starting with `"` runs to the closing `"` and understands `\n`, `\r`,
    /// `\\`, `\'` and `\"`. Nothing is consumed when an error is thrown.
    public mutating func readString() throws(HMPScanError) -> String {
        var i = position
        while i < bytes.count, isCSpace(bytes[i]) { i += 1 }
        guard i < bytes.count else { throw .missingToken }

        if bytes[i] == UInt8(ascii: "\"") {
            let quoted = HMPWords.readQuoted(bytes, from: i)
            if let error = quoted.error { throw error }
            position = quoted.end
            return String(decoding: quoted.text, as: UTF8.self)
        }
        let end = HMPWords.unquotedEnd(bytes, from: i)
        position = end
        return String(decoding: bytes[i..<end], as: UTF8.self)
    }

    /// Reads the rest of the line raw, for the `S` type: leading whitespace is
    /// skipped, then everything is taken as typed (quotes kept, no escapes,
    /// trailing whitespace kept). Returns nil, consuming nothing, when nothing
    /// but whitespace is left.
    public mutating func readRest() -> String? {
        var i = position
        while i < bytes.count, isCSpace(bytes[i]) { i += 1 }
        guard i < bytes.count else { return nil }
        position = bytes.count
        return String(decoding: bytes[i...], as: UTF8.self)
    }

    /// Reads a command name: leading whitespace skipped, then up to whitespace
    /// or `/` (so `x/10x addr` splits after `x`). Nil at the end of the line.
    public mutating func readCommandName() -> String? {
        var i = position
        while i < bytes.count, isCSpace(bytes[i]) { i += 1 }
        guard i < bytes.count else { return nil }
        let start = i
        while i < bytes.count, !isCSpace(bytes[i]), bytes[i] != UInt8(ascii: "/") { i += 1 }
        position = i
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    /// If the next non-blank text is `-` followed by a character, returns that
    /// character without consuming anything. QEMU only ever looks at the one
    /// character after the dash, so `-dr` peeks as `d`.
    public func peekFlag() -> Unicode.Scalar? {
        var i = position
        while i < bytes.count, isCSpace(bytes[i]) { i += 1 }
        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "-") else { return nil }
        return decodeScalar(bytes, at: i + 1).scalar
    }

    /// Steps past the flag that `peekFlag()` reported: the whitespace, the dash
    /// and exactly one character (the rest of `-dr` stays for the next item).
    /// Does nothing when there is no flag.
    public mutating func consumeFlag() {
        var i = position
        while i < bytes.count, isCSpace(bytes[i]) { i += 1 }
        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "-") else { return }
        position = i + 1 + decodeScalar(bytes, at: i + 1).length
    }

    /// Moves the cursor; for the value parsers in this module.
    mutating func advance(to newPosition: Int) {
        position = min(max(newPosition, position), bytes.count)
    }
}
