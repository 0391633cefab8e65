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

extension HMPLineParser {
    /// `<cmd>: extraneous characters at the end of line`. When the words left over follow an
    /// exec: or file: URI (`migrate exec:cat > x`), the table format says to quote the URI: HMP
    /// ends a word at a blank, so a command with blanks must be one quoted word.
    func extraneous(_ command: HMPCommand, typedName: String, arguments: HMPArguments, rest: HMPScanner) -> HMPError {
        let message = "\(typedName): extraneous characters at the end of line"
        guard tableWording,
            let index = command.arguments.lastIndex(where: { $0.completion == .migrationURI }),
            index < arguments.positional.count, case .string(let uri)? = arguments.positional[index],
            uri.hasPrefix("exec:") || uri.hasPrefix("file:")
        else { return named(message, typedName) }
        var left = rest
        left.skipWhitespace()
        let tail = String(decoding: left.bytes[left.position...], as: UTF8.self)
        let flags = zip(command.flags, arguments.flagsGiven).filter { $0.1 && $0.0.valueKind == nil }.map { "-\($0.0.letter) " }
        let example = "\(typedName) \(flags.joined())\(HMPWords.quoted(uri + " " + tail))"
        return .usage(
            "\(typedName): extraneous characters at the end of line: a URI with blanks goes in double quotes, as in \(example)",
            command: typedName)
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
