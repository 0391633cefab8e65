import CEditLine
import EventLoop

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one `readLine()` produced.
public enum LineEditorResult: Equatable, Sendable {
    /// A line, without its newline.
    case line(String)
    /// Ctrl-D on an empty line, or the input ended.
    case eof
    /// Ctrl-C: the typed text was discarded; the caller shows a new prompt.
    case interrupted
}

/// An interactive line editor on libedit's native API.
///
/// Emacs keys, history (↑/↓, Ctrl-R incremental search), TAB completion
/// through `completion`, and asynchronous output: while the prompt waits,
/// `idle` is polled and whatever it returns is printed above the prompt
/// without disturbing the line being typed.
///
/// Use it only when standard input is a terminal; batch input should be read
/// with Swift's `readLine()` (libedit would add nothing and piped lines must
/// not reach the history file). Single-threaded: create and use it on one
/// thread, and never from a Swift concurrency task (it blocks).
public final class LineEditor {
    /// The prompt. Non-printing sequences such as colours must be enclosed in
    /// `\u{1}` … `\u{1}` so the cursor arithmetic ignores them.
    public var prompt: String {
        didSet { setPrompt(prompt) }
    }

    /// TAB handler: gets the text before the cursor, returns the word to
    /// replace and the candidates. The policy is `CompletionPlanner`.
    public var completion: ((_ lineBeforeCursor: String) -> LineCompletion)?

    /// Called about every `idleInterval` milliseconds while waiting for a
    /// key; text it returns is shown above the prompt (a newline is added if
    /// missing). It may also call `printAbove` itself.
    public var idle: (() -> String?)?
    public var idleInterval: Int32 = 100

    /// The process's event loop; while a key is awaited it is turned, so its other sources
    /// (QMP clients, timers) are served. Without one the editor polls its input alone.
    public var eventLoop: EventLoop?
    /// Asked while waiting for a key: true ends the wait as end of input does (a QMP
    /// client's `quit` ends the console).
    public var endsWhen: (() -> Bool)?

    /// Entered lines are added to `history` unless this is false.
    public var recordsHistory = true
    public let history: LineHistory

    /// Input and output are both terminals (otherwise libedit does no
    /// editing and no escape sequences are written).
    public let isInteractive: Bool

    let editLine: OpaquePointer
    let inputFile: UnsafeMutablePointer<FILE>
    let inputFD: Int32
    let output: UnsafeMutablePointer<FILE>
    var promptCString: UnsafeMutablePointer<CChar>
    var isReading = false
    let usesEscapes: Bool

    /// - Parameters:
    ///   - input: the file descriptor to read keys from (it is duplicated,
    ///     not taken over).
    ///   - output: where editing happens; by default stdout when it is a
    ///     terminal, else stderr, so `hmp > log` still edits on the screen.
    ///   - errorStream: libedit's diagnostics; stderr by default.
    ///   - handleSignals: install the SIGINT, SIGWINCH, SIGTSTP and SIGCONT
    ///     handlers (process-wide, once) that make Ctrl-C return
    ///     `.interrupted`, follow resizes and survive Ctrl-Z/`fg`, and let
    ///     libedit restore the terminal on signals. The SIGINT flag can also
    ///     be polled between lines (`cel_take_sigint()`) to cancel a running
    ///     command. Tests that drive a pseudo-terminal pass false.
    ///   - readEditrc: apply the user's ~/.editrc (or $EDITRC) bindings.
    /// Returns nil if the input descriptor cannot be used or libedit fails.
    public init?(
        prompt: String,
        input: Int32 = STDIN_FILENO,
        output: UnsafeMutablePointer<FILE>? = nil,
        errorStream: UnsafeMutablePointer<FILE>? = nil,
        programName: String = "hmp",
        history: LineHistory = LineHistory(),
        handleSignals: Bool = true,
        readEditrc: Bool = true
    ) {
        _ = Self.localeIsReady
        guard EditLineLibrary.load() == nil else { return nil }

        let duplicate = dup(input)
        guard duplicate >= 0 else { return nil }
        guard let inputFile = fdopen(duplicate, "r") else {
            close(duplicate)
            return nil
        }
        let out = output ?? Self.defaultOutput()
        guard let el = cel_el_init(programName, inputFile, out, errorStream ?? cel_stderr()) else {
            fclose(inputFile)
            return nil
        }

        self.editLine = el
        self.inputFile = inputFile
        self.inputFD = duplicate
        self.output = out
        self.history = history
        self.prompt = prompt
        self.promptCString = strdup(prompt)!
        self.isInteractive = isatty(input) == 1 && isatty(fileno(out)) == 1
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        self.usesEscapes = isInteractive && !term.isEmpty && term != "dumb"

        if handleSignals {
            if isInteractive { cel_remember_terminal(input) }
            cel_install_signal_handlers()
        }
        configure(signals: handleSignals, readEditrc: readEditrc)
    }

    deinit {
        cel_el_end(editLine)  // also restores the terminal
        fclose(inputFile)
        free(promptCString)
    }

    /// stdout if it is a terminal, else stderr: with stdout redirected,
    /// libedit would turn editing off if it wrote there.
    public static func defaultOutput() -> UnsafeMutablePointer<FILE> {
        isatty(STDOUT_FILENO) == 1 ? cel_stdout() : cel_stderr()
    }

    /// libedit drops every non-ASCII character unless LC_CTYPE is a UTF-8
    /// locale, and Swift programs never call setlocale. Use the user's
    /// locale, falling back to C.UTF-8 when it is not UTF-8.
    static let localeIsReady: Bool = {
        setlocale(LC_CTYPE, "")
        if let codeset = nl_langinfo(nl_item(CODESET)), String(cString: codeset) != "UTF-8" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        return true
    }()

    func configure(signals: Bool, readEditrc: Bool) {
        let el = editLine
        _ = cel_set_clientdata(el, Unmanaged.passUnretained(self).toOpaque())
        _ = cel_set_prompt_esc(
            el,
            { el in
                guard let editor = LineEditor.from(el) else { return nil }
                return editor.promptCString
            }, 1)
        _ = cel_set_editor(el, "emacs")
        _ = cel_set_signal(el, signals ? 1 : 0)
        _ = cel_set_hist(el, history.handle)
        _ = cel_set_getcfn(
            el,
            { el, character in
                guard let editor = LineEditor.from(el), let character else { return -1 }
                return editor.readCharacter(into: character)
            })
        if readEditrc { _ = cel_el_source(el, nil) }
        _ = cel_add_fn(
            el, "hmp-complete", "Complete the current word",
            { el, _ in
                guard let editor = LineEditor.from(el) else { return UInt8(CC_ERROR) }
                return editor.complete()
            })
        _ = cel_bind(el, "^I", "hmp-complete")
        // libedit's emacs map already has this; bound explicitly so an
        // ~/.editrc cannot leave Ctrl-R without reverse search.
        _ = cel_bind(el, "^R", "em-inc-search-prev")
    }

    static func from(_ el: OpaquePointer?) -> LineEditor? {
        guard let el, let raw = cel_get_clientdata(el) else { return nil }
        return Unmanaged<LineEditor>.fromOpaque(raw).takeUnretainedValue()
    }

    func setPrompt(_ text: String) {
        free(promptCString)
        promptCString = strdup(text)!
    }

    /// Reads one line with editing.
    public func readLine() -> LineEditorResult {
        // Signals from before the prompt are not for this line (el_gets
        // draws the prompt and reads the window size itself).
        _ = cel_take_sigint()
        _ = cel_take_sigcont()
        _ = cel_take_sigwinch()
        isReading = true
        var count: Int32 = 0
        let text = cel_el_gets(editLine, &count)
        isReading = false

        if let text, count > 0 {
            var line = String(cString: text)
            while line.hasSuffix("\n") || line.hasSuffix("\r") || line.hasSuffix("\r\n") {
                line.removeLast()
            }
            if recordsHistory { history.add(line) }
            return .line(line)
        }
        if cel_take_sigint() != 0 {
            // libedit already dropped the partial line; show where it ended.
            if isInteractive { write("^C\n") }
            return .interrupted
        }
        // Ctrl-D: libedit echoes "^D" but no newline.
        if isInteractive { write("\n") }
        return .eof
    }

    /// Prints text for the user. While a line is being edited (from `idle`
    /// or a completer) it goes above the prompt and the prompt, the typed
    /// text and the cursor are redrawn below it; otherwise it is just
    /// written. A missing final newline is added.
    public func printAbove(_ text: String) {
        let block = text.hasSuffix("\n") ? text : text + "\n"
        guard isReading && isInteractive else {
            write(block)
            return
        }
        if usesEscapes {
            // Back to the first row of prompt + input, erase to the end of
            // the screen, print, then let libedit draw everything again.
            let row = inputRows().cursor
            write("\r" + (row > 0 ? "\u{1B}[\(row)A" : "") + "\u{1B}[J" + block)
        } else {
            write("\n" + block)
        }
        _ = cel_refresh(editLine)
    }

    // MARK: History shortcuts

    /// Loads a history file (a missing file loads nothing).
    @discardableResult
    public func loadHistory(from path: String) throws(HistoryFileError) -> Int {
        try history.load(from: path)
    }

    /// Saves the history atomically; call it after each entered line.
    public func saveHistory(to path: String) throws(HistoryFileError) {
        try history.save(to: path)
    }

    /// History entries, oldest first.
    public var historyEntries: [String] { history.entries }

    // MARK: Internals

    func write(_ text: String) {
        fputs(text, output)
        fflush(output)
    }

    func terminalColumns() -> Int {
        let columns = Int(cel_terminal_columns(fileno(output)))
        return columns > 0 ? columns : 80
    }

    /// Rows (0-based, from the prompt's row) of the cursor and of the end of
    /// the input, given the terminal width.
    func inputRows() -> (cursor: Int, last: Int) {
        let columns = terminalColumns()
        let promptWidth = Self.visibleWidth(ofPrompt: prompt)
        guard let info = cel_el_wline(editLine)?.pointee,
            var p = info.buffer, let cursor = info.cursor, let end = info.lastchar
        else { return (0, 0) }
        var before = 0, total = 0
        while p < end {
            let w = Int(cel_wcwidth(p.pointee))
            let width = w >= 0 ? w : 2  // control characters show as ^X
            if p < cursor { before += width }
            total += width
            p += 1
        }
        return ((promptWidth + before) / columns, (promptWidth + total) / columns)
    }

    /// Width of the prompt without its `\u{1}`-bracketed invisible parts.
    static func visibleWidth(ofPrompt prompt: String) -> Int {
        var visible = ""
        var hidden = false
        for scalar in prompt.unicodeScalars {
            if scalar == "\u{1}" { hidden.toggle(); continue }
            if !hidden { visible.unicodeScalars.append(scalar) }
        }
        return CompletionPlanner.displayWidth(visible)
    }
}
