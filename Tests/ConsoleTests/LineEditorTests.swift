import Testing
import CEditLine
@testable import Console

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pipe feeding an editor whose output goes to a temporary file.
final class PipeHarness {
    let readEnd: Int32
    var writeEnd: Int32
    let output: UnsafeMutablePointer<FILE>
    let editor: LineEditor

    init(handleSignals: Bool = false) {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0)
        readEnd = fds[0]
        writeEnd = fds[1]
        output = tmpfile()!
        editor = LineEditor(
            prompt: "(hmp) ", input: readEnd, output: output, errorStream: output,
            handleSignals: handleSignals, readEditrc: false)!
    }

    func send(_ text: String) { writeAll(writeEnd, text) }

    func closeInput() {
        if writeEnd >= 0 { close(writeEnd) }
        writeEnd = -1
    }

    func outputText() -> String {
        fflush(output)
        rewind(output)
        var bytes: [UInt8] = []
        while true {
            let c = fgetc(output)
            if c == EOF { break }
            bytes.append(UInt8(c))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    deinit {
        closeInput()
        close(readEnd)
        fclose(output)
    }
}

/// Editor tests run one at a time: the Ctrl-C flag is process-wide, as it
/// must be for a real terminal, so parallel editors would steal it.
@Suite("LineEditor", .serialized)
struct LineEditorTests {}

extension LineEditorTests {
    @Suite("through a pipe")
    struct Pipe {
        @Test func readsLinesThenEOF() {
            let h = PipeHarness()
            #expect(!h.editor.isInteractive)
            h.send("hello\nwörld 日本\n\nhello\nlast line without newline")
            h.closeInput()
            #expect(h.editor.readLine() == .line("hello"))
            #expect(h.editor.readLine() == .line("wörld 日本"))
            #expect(h.editor.readLine() == .line(""))
            #expect(h.editor.readLine() == .line("hello"))
            #expect(h.editor.readLine() == .line("last line without newline"))
            #expect(h.editor.readLine() == .eof)
            #expect(h.editor.readLine() == .eof)
            #expect(h.editor.historyEntries == ["hello", "wörld 日本", "hello", "last line without newline"])
        }

        @Test func historyCanBeTurnedOff() {
            let h = PipeHarness()
            h.editor.recordsHistory = false
            h.send("secret\n")
            #expect(h.editor.readLine() == .line("secret"))
            #expect(h.editor.historyEntries.isEmpty)
        }

        @Test func invalidUTF8IsDropped() {
            let h = PipeHarness()
            _ = [UInt8(ascii: "a"), 0xFF, 0xC3, UInt8(ascii: "b"), 0xE6, 0x97, 0xA5, 0x80, UInt8(ascii: "\n")]
                .withUnsafeBytes { write(h.writeEnd, $0.baseAddress, $0.count) }
            h.closeInput()
            #expect(h.editor.readLine() == .line("ab日"))
        }

        @Test func idleOutputArrivesWhileWaiting() {
            let h = PipeHarness()
            h.editor.idleInterval = 10
            var calls = 0
            h.editor.idle = {
                calls += 1
                switch calls {
                case 1: return "event: STOP"
                case 2: h.editor.printAbove("event: RESUME\n"); return nil
                case 3: h.send("def\n"); return nil
                default: return nil
                }
            }
            h.send("abc")
            #expect(h.editor.readLine() == .line("abcdef"))
            #expect(calls >= 3)
            let text = h.outputText()
            #expect(text.contains("event: STOP\n"))
            #expect(text.contains("event: RESUME\n"))
        }

        @Test func printAboveBetweenReads() {
            let h = PipeHarness()
            h.editor.printAbove("no newline")
            h.editor.printAbove("two\nlines\n")
            #expect(h.outputText() == "no newline\ntwo\nlines\n")
        }

        @Test func historyFileThroughEditor() throws {
            let dir = TemporaryDirectory()
            defer { dir.remove() }
            let path = dir.path + "/state/history"
            let h = PipeHarness()
            h.send("info status\ninfo status\nstop\n")
            h.closeInput()
            while case .line = h.editor.readLine() { try h.editor.saveHistory(to: path) }
            let again = PipeHarness()
            #expect(try again.editor.loadHistory(from: path) == 2)
            #expect(again.editor.historyEntries == ["info status", "stop"])
        }

        /// Ctrl-C arrives as SIGINT; the handler sets a flag and the read fails
        /// with EINTR. In pipe mode libedit installs no handlers of its own, so
        /// the signal can be sent safely inside the test process. It is sent to
        /// the process, not the thread: test threads block signals, and the
        /// editor notices the flag at its next poll whichever thread ran the
        /// handler.
        @Test func interruptReturnsInterrupted() {
            let h = PipeHarness(handleSignals: true)
            h.editor.idleInterval = 10
            var calls = 0
            h.editor.idle = {
                calls += 1
                if calls == 1 { kill(getpid(), SIGINT) }
                if calls == 300 { h.send("\n") }  // never hang: fail instead
                return nil
            }
            h.send("half typed")
            #expect(h.editor.readLine() == .interrupted)
            h.editor.idle = nil
            h.send(" then\nnext\n")
            #expect(h.editor.readLine() == .line(" then"))
            #expect(h.editor.readLine() == .line("next"))
            #expect(cel_take_sigint() == 0)
        }
    }

}

/// A pseudo-terminal: the editor edits on the slave side, the test types
/// on the master side and reads what the editor drew.
///
/// Keys are typed from the editor's idle hook, i.e. only while el_gets is
/// waiting with the terminal in raw mode. Typed earlier, while libedit has
/// the terminal in cooked mode between lines, control keys such as Ctrl-D
/// would be eaten by the kernel's line discipline.
final class TerminalHarness {
    let master: Int32
    let slave: Int32
    let output: UnsafeMutablePointer<FILE>
    let editor: LineEditor
    /// One step per idle tick; a step may type keys and may return event text.
    var steps: [() -> String?] = []

    init?() {
        var m: Int32 = -1, s: Int32 = -1
        guard cel_open_pty(&m, &s) == 0 else { return nil }
        master = m
        slave = s
        _ = fcntl(m, F_SETFL, fcntl(m, F_GETFL) | O_NONBLOCK)
        output = fdopen(dup(s), "w")!
        let devNull = fopen("/dev/null", "w")!
        guard
            let editor = LineEditor(
                prompt: "(hmp) ", input: s, output: output, errorStream: devNull,
                handleSignals: false, readEditrc: false)
        else { return nil }
        self.editor = editor
        editor.idleInterval = 5
        var ticks = 0
        editor.idle = { [unowned self] in
            ticks += 1
            if ticks > 2000 { self.type("\n") }  // never hang: fail instead
            guard !self.steps.isEmpty else { return nil }
            return self.steps.removeFirst()()
        }
    }

    func type(_ text: String) { writeAll(master, text) }

    /// Reads one line while typing `keys`.
    func read(typing keys: String) -> LineEditorResult {
        steps.append { [unowned self] in
            self.type(keys); return nil
        }
        return editor.readLine()
    }

    deinit {
        fclose(output)
        close(slave)
        close(master)
    }
}

extension LineEditorTests {
    @Suite("on a pseudo-terminal")
    struct Terminal {
        @Test func editsAndReportsEOF() throws {
            let t = try #require(TerminalHarness())
            #expect(t.editor.isInteractive)
            #expect(t.read(typing: "hello wörld\n") == .line("hello wörld"))
            #expect(t.read(typing: "abc\u{1}X\u{5}Y\n") == .line("XabcY"))  // Ctrl-A, X, Ctrl-E, Y
            #expect(t.read(typing: "\u{10}\n") == .line("XabcY"))  // Ctrl-P recalls
            #expect(t.read(typing: "gone\u{15}kept\n") == .line("kept"))  // Ctrl-U
            #expect(t.read(typing: "\u{4}") == .eof)  // Ctrl-D, empty line
            let screen = drain(t.master)
            #expect(screen.contains("(hmp) "))
        }

        @Test func asyncOutputKeepsTheTypedLine() throws {
            let t = try #require(TerminalHarness())
            var screenAtEvent = ""
            t.steps = [
                {
                    t.type("abc"); return nil
                },
                { "EVENT one" },
                {
                    screenAtEvent = drain(t.master); t.type("def\n"); return nil
                },
            ]
            #expect(t.editor.readLine() == .line("abcdef"))
            // The line is erased (CR, clear to end of screen), the event printed
            // (the terminal turns \n into \r\n), then prompt and typed text return.
            #expect(screenAtEvent.hasSuffix("EVENT one\r\n(hmp) abc"))
            if t.editor.usesEscapes {
                #expect(screenAtEvent.hasSuffix("(hmp) abc\r\u{1B}[JEVENT one\r\n(hmp) abc"))
            }
        }

        @Test func tabCompletion() throws {
            let t = try #require(TerminalHarness())
            var seen: [String] = []
            t.editor.completion = { before in
                seen.append(before)
                let word = before.split(separator: " ", omittingEmptySubsequences: false).last ?? ""
                let all = ["hello", "help", "quit", "tcp:"]
                let matches = all.filter { $0.hasPrefix(word) }
                return LineCompletion(word: word, candidates: matches, hint: word == "7" ? "a number of seconds" : nil)
            }
            #expect(t.read(typing: "he\t\tp\n") == .line("help"))  // he → hel, list, p
            #expect(seen == ["he", "hel"])
            let screen = drain(t.master)
            #expect(screen.contains("hello     help"))
            #expect(t.read(typing: "qu\tnow\n") == .line("quit now"))  // one candidate + space
            #expect(t.read(typing: "migrate tc\t1.2.3.4:5\n") == .line("migrate tcp:1.2.3.4:5"))
            #expect(t.read(typing: "zz\t\n") == .line("zz"))  // nothing: beep only
            _ = drain(t.master)
            #expect(t.read(typing: "sleep 7\t\n") == .line("sleep 7"))  // nothing, but a hint
            let hinted = drain(t.master)
            #expect(hinted.contains("a number of seconds\r\n(hmp) sleep 7"))
        }
    }
}
