/// How a failure reads in each output format.
///
/// `--format qemu` keeps QEMU's texts as its monitor prints them: command failures behind
/// `Error: `, parse errors and a few refusals bare. The table format gives every failure one
/// shape, `Error: <what went wrong>`, with any hint on the lines after it, so that the red
/// `Error:` on a terminal marks each of them the same way.
extension HMPError {
    /// The lines of the table format.
    public var tableText: String {
        switch self {
        case .usage(let message, let command):
            "Error: \(message)\nTry \"help \(command)\" for more information"
        case .unknownCommand(let message):
            "Error: \(message)"
        case .command:
            text
        case .plain(let message):
            message.hasPrefix("Error: ") ? message : "Error: \(message)"
        }
    }
}

extension HMPSession {
    /// The text of `error` for the session's format (json puts the error object on stdout).
    public func errorText(_ error: HMPError) -> String {
        switch format {
        case .qemu, .json: qemuNamed(error).text
        case .table: tableWorded(error).tableText
        }
    }

    /// The table format's wording: the nearest name suggested for a misspelt command, and
    /// QEMU's underscore parameter names and C type names put in the table's words.
    func tableWorded(_ error: HMPError) -> HMPError {
        switch withSuggestion(error) {
        case .command(var qmpError):
            qmpError.desc = TableWording.reword(qmpError.desc)
            return .command(qmpError)
        case let other:
            return other
        }
    }
}
