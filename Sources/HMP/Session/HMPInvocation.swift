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

/// The arguments of one command, by name, plus the flags that were given.
public struct HMPArguments: Sendable {
    public var values: [String: HMPValue] = [:]
    public var flags: Set<String> = []
    public var flagValues: [String: HMPValue] = [:]

    public init() {}

    public func flag(_ name: String) -> Bool { flags.contains(name) }

    public func string(_ name: String) -> String? {
        if case .string(let s)? = values[name] ?? flagValues[name] { return s }
        return nil
    }

    public func integer(_ name: String) -> Int64? {
        if case .integer(let i)? = values[name] { return i }
        return nil
    }

    public func size(_ name: String) -> ParsedSize? {
        if case .size(let s)? = values[name] { return s }
        return nil
    }

    public func bool(_ name: String) -> Bool? {
        if case .bool(let b)? = values[name] { return b }
        return nil
    }

    public func number(_ name: String) -> Double? {
        if case .number(let d)? = values[name] { return d }
        return nil
    }

    public func duration(_ name: String) -> UInt64? {
        if case .duration(let ns)? = values[name] { return ns }
        return nil
    }

    public func json(_ name: String) -> JSONValue? {
        if case .json(let v)? = values[name] { return v }
        return nil
    }
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
        switch format {
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
