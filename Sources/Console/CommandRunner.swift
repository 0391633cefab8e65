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
    public internal(set) var failures = 0
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

    /// An error line cut to a readable length (a 1 MB bad line is not echoed back whole), with
    /// control characters from the input shown escaped: an ESC sequence typed or piped in must
    /// not reach the terminal as a command to it.
    static func shortened(_ line: Substring, limit: Int = 400) -> String {
        let scalars = line.unicodeScalars
        let kept = scalars.count > limit ? String.UnicodeScalarView(scalars.prefix(limit)) : String.UnicodeScalarView(scalars)
        let suffix = scalars.count > limit ? "… (\(line.utf8.count) bytes)" : ""
        guard kept.contains(where: isControl) else { return String(kept) + suffix }
        var text = ""
        for scalar in kept {
            if isControl(scalar) {
                text += scalar.value < 0x100 ? "\\x" + hex(scalar.value, digits: 2) : "\\u{" + hex(scalar.value, digits: 4) + "}"
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return text + suffix
    }

    /// C0 (tab aside), DEL and C1 controls, and the bidirectional overrides that reorder a line.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (v < 0x20 && v != 0x09) || (v >= 0x7F && v < 0xA0) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
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
