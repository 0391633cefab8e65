import Backend
import QAPI

/// The result of one command line.
public struct HMPLineResult: Sendable, Equatable {
    /// What goes to standard output (already ends in a newline when not empty).
    public var output: String
    /// What goes to standard error, or nil when the line succeeded.
    public var error: String?

    public var succeeded: Bool { error == nil }
    /// A `wait` gave up at its timeout (batch exit status 2).
    public var timedOut = false
}

/// One console session: a backend, an output format, and the state commands share
/// (history, quitting). The REPL and batch mode both run lines through `execute`.
public final class HMPSession {
    public let backend: any MonitorBackend
    /// `backend` when it is a remote one, cast once: rendering asks on every command.
    let remoteBackend: (any RemoteMonitorBackend)?
    /// `backend` when it serves several VMs, cast once: every line is checked for `@vm`.
    let vmGroup: (any VMSelecting)?
    public let table: CommandTable
    public var format: OutputFormat
    /// True in the REPL: questions may be asked (e.g. before shrinking a disk).
    public var interactive: Bool
    /// Asks the operator a yes/no question; nil in batch mode.
    public var confirm: ((String) -> Bool)?
    /// Lines typed so far, oldest first, for `info history`.
    public var history: () -> [String] = { [] }
    /// Shows a transient status line (a foreground migration's progress); nil when not on a terminal.
    /// An empty string takes the line away.
    public var progress: ((String) -> Void)?
    /// Tells whether the operator asked to stop waiting (Ctrl-C during a foreground migration).
    public var interrupted: () -> Bool = { false }
    /// False for lines that come through QMP's `human-monitor-command`: nothing may wait
    /// there, so `migrate` goes on detached, as QEMU's monitor_suspend() refusal makes it.
    public var mayWait = true
    public private(set) var quitRequested = false
    /// Whether the note about lines answered by QEMU's own HMP was shown.
    var passThroughNoted = false
    /// The default CPU and display format, kept between lines as QEMU's monitor keeps them.
    public var monitorDefaults = MonitorDefaults()
    /// The width of the terminal output goes to, read when help is printed (it may change);
    /// nil when output goes to a pipe or a file.
    public var terminalColumns: (() -> Int)?
    /// Every event seen, newest last, for `info events` (HMPSession+Events.swift).
    public let eventHistory = EventHistory()
    /// Events taken from the backend that the console has not printed yet.
    var undeliveredEvents: [JSONValue] = []
    /// The line running now: events that arrive meanwhile are tagged with it.
    public internal(set) var runningLine: String?
    /// The line that just ended, until the console has taken what it caused.
    var finishedLine: String?
    /// Follows the outgoing migration pass by pass, for the verdicts and `info migrate -v`.
    public let migrationObserver = MigrationObserver()
    /// Set by a `wait` that gave up at its timeout.
    var timedOut = false
    /// Writes output while a command still runs (`watch` records in a batch); when nil,
    /// such output is returned with the result instead.
    public var write: ((String) -> Void)?
    /// The terminal `watch` redraws in place; nil when not on a terminal.
    public var screen: (any LiveScreen)?
    /// Prints events while a command runs (the REPL sets it); nil: they wait for the command's end.
    public var showEvents: (([JSONValue]) -> Void)?
    /// `--dry-run`: every line is explained (its QMP requests printed) instead of run.
    public var dryRun = false
    /// Marks a line that reports a failure (red on a terminal); nil leaves lines plain.
    public var failureStyle: ((String) -> String)?

    public init(backend: any MonitorBackend, table: CommandTable = .standard, format: OutputFormat = .table, interactive: Bool = false) {
        self.backend = backend
        remoteBackend = backend as? any RemoteMonitorBackend
        vmGroup = backend as? any VMSelecting
        self.table = table
        self.format = format
        self.interactive = interactive
    }

    public func requestQuit() { quitRequested = true }

    /// Runs one line. Never throws and never traps, whatever the line holds.
    public func execute(_ line: String) -> HMPLineResult {
        if let routed = VMRouting.route(line, session: self) { return routed }
        let parsed: HMPLineParser.Parsed
        do {
            guard let p = try HMPLineParser(table: table, tableWording: format == .table, readsHMPUnits: format == .table).parse(line)
            else {
                return HMPLineResult(output: "", error: nil)
            }
            parsed = p
        } catch {
            if case .unknownCommand = error, let passed = passThrough(line) { return passed }
            // `print $rax`: a connected QEMU has the registers the model lacks.
            if case .usage(ExpressionError.unknownRegister.description, _) = error, let passed = passThrough(line) { return passed }
            return failure(error)
        }
        // `use` changes only which VM later lines go to, so a dry run follows it too.
        if dryRun, parsed.command.name != "use" { return explainInstead(line) }
        backend.synchronize()
        runningLine = line
        timedOut = false
        finishedLine = nil
        defer {
            // Events the console takes right after the line are tagged with it too.
            finishedLine = line
            runningLine = nil
        }
        do {
            let output = try parsed.command.handler(HMPInvocation(command: parsed.command, arguments: parsed.arguments, session: self))
            return HMPLineResult(output: output.text, error: nil)
        } catch {
            var result = failure(error)
            result.timedOut = timedOut
            return result
        }
    }

    func failure(_ error: HMPError) -> HMPLineResult {
        switch format {
        case .json:
            // Machines read stdout: the error object goes there, one line; stderr says it failed.
            let line = JSONValue.object(["error": error.qmpValue]).description + "\n"
            return HMPLineResult(output: line, error: "")
        case .qemu, .table:
            return HMPLineResult(output: "", error: errorText(error) + "\n")
        }
    }

    /// `unknown command: 'migrte'; did you mean 'migrate'?` (table format): the nearest
    /// command or info subcommand, when it is close enough to be the one meant.
    func withSuggestion(_ error: HMPError) -> HMPError {
        guard case .unknownCommand(let message) = error, message.hasPrefix("unknown command: '"), message.hasSuffix("'") else {
            return error
        }
        let typed = String(message.dropFirst("unknown command: '".count).dropLast())
        let words = typed.split(separator: " ").map(String.init)
        let candidates: [String]
        let word: String
        // Names are short; a long word is no misspelling (and the distance would cost).
        if words.count == 2, words[0] == "info", words[1].count <= 64 {
            candidates = table.infoCommands.map(\.name)
            word = words[1]
        } else if words.count == 1, words[0].count <= 64 {
            candidates = table.allNames
            word = words[0]
        } else {
            return error
        }
        guard let best = Suggestion.nearest(word, among: candidates) else { return error }
        let suggestion = words.count == 2 ? "info " + best : best
        return .unknownCommand(message + "; did you mean '\(suggestion)'?")
    }

    /// Levenshtein distance over characters.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// QEMU's monitor_parse_command() names the command as its table does: `stop|s:` with the
    /// aliases, an info subcommand without `info ` (`migrate:`).
    func qemuNamed(_ error: HMPError) -> HMPError {
        guard case .usage(let whole, let command) = error else { return error }
        // get_str()'s own complaint comes on a line before the parser's.
        let lead = whole.firstIndex(of: "\n").map { whole[...$0] } ?? ""
        let message = whole.dropFirst(lead.count)
        guard message.hasPrefix(command + ":") else { return error }
        let name: String
        if command.hasPrefix("info ") {
            name = String(command.dropFirst(5))
        } else if let entry = table.command(named: command) {
            name = entry.displayName
        } else {
            return error
        }
        return .usage(lead + name + message.dropFirst(command.count), command: command)
    }
}
