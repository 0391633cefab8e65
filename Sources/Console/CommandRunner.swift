import HMP

/// Runs command lines through a session and writes what they print: results and events on
/// the output, errors on the error stream. Shared by batch mode and the REPL.
public final class CommandRunner {
    public let session: HMPSession
    public let output: OutputSink
    public let errors: OutputSink
    /// Colour for the error stream.
    public var errorStyle: TextStyle
    public var events: EventFormatter
    /// Whether events are printed; when not, they are still taken so none pile up.
    public var showsEvents = true
    /// Called when a command has run, before anything it printed is written (the REPL ends
    /// a progress line there).
    public var afterCommand: (() -> Void)?
    /// Number of commands that failed so far.
    public private(set) var failures = 0
    /// Number of `wait` commands that gave up at their timeout (counted in `failures` too).
    public private(set) var timeouts = 0

    public init(session: HMPSession, output: OutputSink, errors: OutputSink, errorStyle: TextStyle = .plain, events: EventFormatter) {
        self.session = session
        self.output = output
        self.errors = errors
        self.errorStyle = errorStyle
        self.events = events
        // Commands that print as they go (watch's records) write straight through.
        session.write = { [unowned output] text in
            output.write(text)
            output.flush()
        }
    }

    /// Runs one command (no `;` splitting). `label` goes before each error line (`line 3: `);
    /// it is asked for only when the command fails. Returns whether it succeeded.
    @discardableResult
    public func runCommand(_ command: String, label: () -> String = { "" }) -> Bool {
        let result = session.execute(command)
        afterCommand?()
        output.write(result.output)
        printEvents()
        guard let error = result.error else { return true }
        failures += 1
        if result.timedOut { timeouts += 1 }
        report(error, label: label())
        return false
    }

    /// Prints the events the backend has collected.
    public func printEvents() {
        let pending = session.takeEvents()
        if showsEvents && !pending.isEmpty { output.write(events.text(for: pending)) }
    }

    /// An error line cut to a readable length: a 1 MB bad line is not echoed back whole.
    static func shortened(_ line: Substring, limit: Int = 400) -> String {
        let scalars = line.unicodeScalars
        guard scalars.count > limit else { return String(line) }
        return String(String.UnicodeScalarView(scalars.prefix(limit))) + "… (\(line.utf8.count) bytes)"
    }

    /// Writes an error, each of its lines behind `label`.
    public func report(_ error: String, label: String) {
        // Results already written must come first when both streams reach the same place.
        output.flush()
        var text = ""
        var lines = error.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        if lines.isEmpty {
            // json format: the error object went to the output; say which line failed.
            guard !label.isEmpty else { return }
            lines = ["failed"]
        }
        for line in lines { text += label + errorStyle.error(Self.shortened(line)) + "\n" }
        errors.write(text)
        errors.flush()
    }
}
