import Backend
import QAPI

/// How results are printed.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// Aligned tables with units and human sizes (the default).
    case table
    /// QEMU 10.2's HMP text, byte for byte.
    case qemu
    /// The QMP reply object, one per line.
    case json
}

/// A parsed argument value.
public enum HMPValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case size(ParsedSize)
    case number(Double)
    case bool(Bool)
    case duration(nanoseconds: UInt64)
    case json(JSONValue)
}

/// What the parser read for one command: each argument's value and whether each flag was
/// given, by position in the command's row. Commands receive them as their typed
/// `HMPArgumentValues`; `values` and `flags` name them for inspection.
public struct HMPArguments: Sendable {
    /// Index-aligned with the row's arguments; nil for an optional one left out.
    public var positional: [HMPValue?] = []
    /// Index-aligned with the row's flags.
    public var flagsGiven: [Bool] = []
    /// The values of flags that take one (`-x VALUE`), index-aligned with the row's flags.
    public var flagValues: [HMPValue?] = []
    /// The row's declarations (shared with the row, not copied), to name the values.
    private var argumentList: [HMPArgument] = []
    private var flagList: [HMPFlag] = []

    public init() {}

    init(for command: HMPCommand) {
        positional = Array(repeating: nil, count: command.arguments.count)
        flagsGiven = Array(repeating: false, count: command.flags.count)
        flagValues = command.flags.isEmpty ? [] : Array(repeating: nil, count: command.flags.count)
        argumentList = command.arguments
        flagList = command.flags
    }

    /// The values given, by argument name (for inspection; handlers use their typed values).
    public var values: [String: HMPValue] {
        var out: [String: HMPValue] = [:]
        for (argument, value) in zip(argumentList, positional) { out[argument.name] = value }
        return out
    }

    /// The names of the flags given.
    public var flags: Set<String> { Set(zip(flagList, flagsGiven).filter(\.1).map(\.0.name)) }
}

/// Why a command line failed.
public enum HMPError: Error, Sendable, Equatable {
    /// The line could not be parsed; followed by `Try "help <cmd>" for more information`.
    case usage(String, command: String)
    /// The unknown-command text (`unknown command: 'foo'`), printed alone.
    case unknownCommand(String)
    /// The command ran and failed: printed as `Error: <desc>` (plus the hint).
    case command(QMPError)
    /// A failure whose text is printed as is (QEMU prints some without `Error:`).
    case plain(String)

    /// The lines a person sees.
    public var text: String {
        switch self {
        case .usage(let message, let command): "\(message)\nTry \"help \(command)\" for more information"
        case .unknownCommand(let message): message
        case .command(let error): "Error: \(error.desc)" + (error.hint.map { "\n" + $0 } ?? "")
        case .plain(let message): message
        }
    }

    /// The QMP error object for `--format json`.
    public var qmpValue: JSONValue {
        switch self {
        case .command(let error): error.qmpValue
        case .usage(let message, _), .unknownCommand(let message), .plain(let message):
            QMPError.generic(message).qmpValue
        }
    }
}

/// What a command printed.
public struct HMPOutput: Sendable, Equatable {
    public var text: String

    public init(_ text: String) { self.text = text }

    public static let empty = HMPOutput("")
}

/// Everything a handler gets: the arguments, the backend, and how to print.
public struct HMPInvocation {
    public let command: HMPCommand
    public let arguments: HMPArguments
    public let session: HMPSession

    public var backend: any MonitorBackend { session.backend }
    public var format: OutputFormat { session.format }

    /// Runs a typed command, turning its failure into an HMP error.
    public func run<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(HMPError) -> C.Returns {
        do {
            return try session.backend.execute(command, arguments)
        } catch {
            throw .command(error)
        }
    }

    /// Picks the rendering for the session's format. `reply` is the QMP `return` value.
    /// The reply is only encoded when JSON is asked for.
    public func render(reply: @autoclosure () -> JSONValue, table: () -> String, qemu: () -> String) -> HMPOutput {
        if let remote = session.remoteBackend {
            return RemoteRendering.render(self, remote: remote, reply: reply, table: table, qemu: qemu)
        }
        return switch format {
        case .table: HMPOutput(table())
        case .qemu: HMPOutput(qemu())
        case .json: HMPOutput(JSONValue.object(["return": reply()]).description + "\n")
        }
    }

    /// For commands that return nothing: a confirmation in table format, silence as in QEMU.
    public func done(_ confirmation: String = "") -> HMPOutput {
        render(reply: .object(JSONObject()), table: { confirmation.isEmpty ? "" : confirmation + "\n" }, qemu: { "" })
    }
}
