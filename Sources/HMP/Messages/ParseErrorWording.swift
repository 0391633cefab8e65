/// The parse errors' two wordings: QEMU's (`--format qemu`, json) and the table format's,
/// which names the command in every message and says what was wrong with the value.
extension HMPLineParser {
    /// A usage error for `message`; in the table format a message that does not name the
    /// command yet gets its name in front (`migrate_set_speed: invalid size`).
    func named(_ message: String, _ typedName: String) -> HMPError {
        guard tableWording, !message.hasPrefix(typedName + ":"), !message.hasPrefix("'\(typedName)'") else {
            return .usage(message, command: typedName)
        }
        return .usage("\(typedName): \(message)", command: typedName)
    }

    /// A quoted value that get_str() cannot read: QEMU prints get_str()'s complaint on a line
    /// of its own and then the parser's `<cmd>: string expected`; the table format says what
    /// was wrong and what a quoted value takes, on one line.
    func quotingError(_ error: HMPScanError, kind: HMPArgumentKind, typedName: String) -> HMPError {
        guard tableWording else {
            return .usage("\(error.description)\n\(typedName): \(kind.expectation)", command: typedName)
        }
        let why =
            switch error {
            case .unterminatedString: "unterminated string: the closing \" is missing"
            case .unsupportedEscape: "\(error.description): inside double quotes \\ takes only \\n \\r \\\\ \\' \\\""
            case .missingToken: kind.expectation
            }
        return .usage("\(typedName): \(why)", command: typedName)
    }
}

extension HMPScanner {
    /// The word at the cursor, for a message about it (cut short when long).
    var upcomingWord: String {
        var copy = self
        copy.skipWhitespace()
        var end = copy.position
        while end < bytes.count, !isHMPBlank(bytes[end]) { end += 1 }
        let word = String(decoding: bytes[copy.position..<end], as: UTF8.self)
        return word.count > 40 ? String(word.prefix(40)) + "…" : word
    }
}
