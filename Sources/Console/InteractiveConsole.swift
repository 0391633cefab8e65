import CEditLine
import EventLoop
import HMP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The interactive console: prompt, line editing, history kept between runs, TAB
/// completion, events printed above the prompt as they happen.
public final class InteractiveConsole {
    public let runner: CommandRunner
    let editor: LineEditor
    /// Where the history is kept; nil with --no-history.
    public let historyPath: String?
    /// The terminal the editor draws on (stdout, or stderr when stdout is redirected).
    let terminal: OutputSink
    let progress: ProgressLine
    private var historyWarningShown = false
    /// The file behind `historyPath`, with its safety rules.
    private lazy var historyFile: HistoryFile? = historyPath.map(HistoryFile.init(path:))

    public var session: HMPSession { runner.session }

    /// True ends the console at the prompt, as Ctrl-D does.
    public var endsWhen: (() -> Bool)? {
        get { editor.endsWhen }
        set { editor.endsWhen = newValue }
    }

    /// The line printed on start.
    public let greeting: String
    private let promptStyle: TextStyle

    /// nil when the editor cannot start (standard input is not a terminal after all).
    public init?(runner: CommandRunner, historyPath: String?, greeting: String, eventLoop: EventLoop? = nil) {
        let editorOutput = LineEditor.defaultOutput()
        let terminalFD = fileno(editorOutput)
        let style = TextStyle.forTerminal(terminalFD)
        guard let editor = LineEditor(prompt: style.prompt(Self.promptText(runner.session)), output: editorOutput) else { return nil }
        editor.eventLoop = eventLoop
        self.runner = runner
        self.editor = editor
        self.historyPath = historyPath
        self.greeting = greeting
        promptStyle = style
        terminal = OutputSink(fileDescriptor: terminalFD, flushesEachWrite: true)
        progress = ProgressLine(sink: terminal, usesEscapes: style.enabled)
        progress.typeAhead = TypeAhead(input: STDIN_FILENO)
        configureEditor()
        configureSession()
    }

    /// Runs until `quit` or Ctrl-D; the status is always success (failures were shown).
    public func run() -> ExitStatus {
        loadHistory()
        terminal.write(greeting + "\n")
        while true {
            switch editor.readLine() {
            case .eof:
                // Ctrl-D while a migration or block job runs asks first, as quit does.
                if session.confirmQuit() { return .success }
                terminal.write("Not quitting\n")
            case .interrupted:
                continue
            case .line(let line):
                var entry = Substring(line)
                while let last = entry.last, last == " " || last == "\t" { entry = entry.dropLast() }
                if editor.history.add(String(entry)) {
                    historyFile?.record(String(entry))
                    saveHistory()
                }
                runLine(line)
                if session.quitRequested { return .success }
                editor.prompt = promptStyle.prompt(Self.promptText(session))
            }
        }
    }

    func runLine(_ line: String) {
        for command in BatchRunner.commands(in: line) where !BatchRunner.isBlank(command) {
            _ = cel_take_sigint()
            runner.runCommand(command)
            runner.output.flush()
            if session.quitRequested { return }
        }
    }

    // MARK: Wiring

    private func configureEditor() {
        // Lines go into the history here, without the blank TAB leaves at the end, so that
        // "info status" and "info status " are one entry.
        editor.recordsHistory = false
        editor.completion = { [unowned self] before in complete(before) }
        editor.idle = { [unowned self] in idleEvents() }
    }

    private func configureSession() {
        let session = runner.session
        session.interactive = true
        session.history = { [unowned self] in editor.historyEntries }
        session.interrupted = { cel_sigint_pending() != 0 }
        session.progress = { [unowned self] text in progress.draw(text) }
        session.confirm = { [unowned self] question in confirm(question) }
        session.screen = TerminalScreen(sink: terminal)
        // Events show as they happen, above a progress line if one is up.
        session.showEvents = { [unowned self] events in
            let text = runner.events.text(for: events)
            progress.above(text)
            if terminal.fileDescriptor != runner.output.fileDescriptor {
                runner.output.write(text)
                runner.output.flush()
            }
        }
        runner.afterCommand = { [unowned self] in progress.finish() }
    }

    /// TAB: the completer the shells use too.
    func complete(_ before: String) -> LineCompletion {
        let result = HMPCompleter(session: session).completeRouted(before)
        return LineCompletion(wordStartUTF8Offset: result.wordStart, in: before, candidates: result.candidates, hint: result.hint)
    }

    /// While the prompt waits: bring the model up to now and show what happened.
    func idleEvents() -> String? {
        session.backend.synchronize()
        let events = session.takeEvents()
        guard !events.isEmpty else { return nil }
        let text = runner.events.text(for: events)
        // With stdout redirected the editor draws on stderr; the log still gets the events.
        if terminal.fileDescriptor != runner.output.fileDescriptor {
            runner.output.write(text)
            runner.output.flush()
        }
        return text
    }

    func confirm(_ question: String) -> Bool {
        progress.finish()
        let prompt = editor.prompt
        editor.prompt = question + " (y/N) "
        defer { editor.prompt = prompt }
        guard case .line(let answer) = editor.readLine() else { return false }
        let word = answer.split(separator: " ").first.map { $0.lowercased() } ?? ""
        return word == "y" || word == "yes"
    }

    // MARK: History file

    private func loadHistory() {
        guard let historyFile else { return }
        do {
            try historyFile.load(into: editor.history)
        } catch {
            historyWarningShown = true
            warn("\(error); history is kept in memory only")
        }
    }

    private func saveHistory() {
        guard let historyFile else { return }
        do {
            try historyFile.save(capacity: editor.history.capacity)
        } catch {
            guard !historyWarningShown else { return }
            historyWarningShown = true
            warn("\(error); history will not be kept")
        }
    }

    private func warn(_ message: String) {
        runner.errors.write("hmp: \(message)\n")
        runner.errors.flush()
    }
}
