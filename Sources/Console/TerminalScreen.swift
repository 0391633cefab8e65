import CEditLine
import HMP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The terminal as `watch` uses it: the alternate screen, keys read one at a time without
/// echo (Ctrl-C still raises SIGINT), rows rewritten only when they changed, everything
/// redrawn after a resize.
public final class TerminalScreen: LiveScreen {
    let sink: OutputSink
    let input: Int32
    private var saved = termios()
    private var savedValid = false
    private var shown: [String] = []
    private var shownColumns = 0
    private var shownRows = 0

    public init(sink: OutputSink, input: Int32 = STDIN_FILENO) {
        self.sink = sink
        self.input = input
    }

    public var columns: Int {
        let c = Int(cel_terminal_columns(sink.fileDescriptor))
        return c > 0 ? c : 80
    }

    public var rows: Int {
        var size = winsize()
        guard ioctl(sink.fileDescriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return 24 }
        return Int(size.ws_row)
    }

    public func begin() {
        if tcgetattr(input, &saved) == 0 {
            savedValid = true
            var raw = saved
            raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
            withUnsafeMutableBytes(of: &raw.c_cc) { cc in
                cc[Int(VMIN)] = 0
                cc[Int(VTIME)] = 0
            }
            tcsetattr(input, TCSANOW, &raw)
        }
        // Alternate screen, cursor hidden, a clean page.
        sink.write("\u{1B}[?1049h\u{1B}[?25l\u{1B}[H\u{1B}[2J")
        sink.flush()
        shown = []
    }

    public func show(_ lines: [String]) {
        let (c, r) = (columns, rows)
        var out = ""
        if c != shownColumns || r != shownRows || cel_take_sigwinch() != 0 {
            // A resize rewraps whatever was there: start from a clean page.
            out += "\u{1B}[H\u{1B}[2J"
            shown = []
            shownColumns = c
            shownRows = r
        }
        for (i, line) in lines.enumerated() where i >= shown.count || shown[i] != line {
            out += "\u{1B}[\(i + 1);1H" + line + "\u{1B}[K"
        }
        if shown.count > lines.count {
            for i in lines.count..<shown.count { out += "\u{1B}[\(i + 1);1H\u{1B}[K" }
        }
        shown = lines
        if !out.isEmpty {
            sink.write(out)
            sink.flush()
        }
    }

    public func end() {
        sink.write("\u{1B}[?25h\u{1B}[?1049l")
        sink.flush()
        if savedValid { tcsetattr(input, TCSANOW, &saved) }
        savedValid = false
        shown = []
    }

    public func readKeys(waitingAtMost nanoseconds: UInt64) -> [UInt8] {
        var poller = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
        let ms = Int32(min(nanoseconds / 1_000_000, 1000))
        guard poll(&poller, 1, ms) > 0, poller.revents & Int16(POLLIN) != 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = read(input, &buffer, buffer.count)
        return n > 0 ? Array(buffer.prefix(n)) : []
    }
}
