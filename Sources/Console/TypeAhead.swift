#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keys typed while a command waits on a terminal (a foreground migrate): the terminal would
/// echo them onto the progress line and hand them to the prompt afterwards, to run unseen.
/// While held, echo is off; on release what was typed is dropped and named, so nothing runs
/// that the operator did not see.
final class TypeAhead {
    let input: Int32
    private var saved = termios()
    private var holding = false

    init(input: Int32) { self.input = input }

    /// Echo and line editing off (Ctrl-C still interrupts).
    func hold() {
        guard !holding, isatty(input) == 1, tcgetattr(input, &saved) == 0 else { return }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ICANON | ECHO)
        // Ctrl-C would otherwise flush what was typed before it is named.
        quiet.c_lflag |= tcflag_t(NOFLSH)
        withUnsafeMutableBytes(of: &quiet.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        if tcsetattr(input, TCSANOW, &quiet) == 0 { holding = true }
    }

    /// Gives the terminal back; answers what was typed meanwhile (dropped, not run).
    func release() -> String {
        guard holding else { return "" }
        holding = false
        var typed: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while typed.count < 4096 {
            let n = read(input, &buffer, buffer.count)
            guard n > 0 else { break }
            typed += buffer.prefix(n)
        }
        tcsetattr(input, TCSANOW, &saved)
        let text = String(decoding: typed, as: UTF8.self)
        return String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F || $0 == "\n" }.map(Character.init))
    }
}
