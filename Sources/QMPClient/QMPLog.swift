#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--log FILE`: every QMP message sent and received, one line each, with the UTC time and the
/// VM's name: `2026-12-04T14:30:01.123456Z src -> {"execute": ...}` (`<-` for received,
/// `--` for notes such as connects and disconnects). Written unbuffered, so a crash loses nothing.
public final class QMPLog {
    private let fd: Int32

    public init(path: String) throws(QMPClientError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .usage("cannot open --log file '\(path)': \(String(cString: strerror(errno)))") }
        self.fd = fd
    }

    deinit { close(fd) }

    public func message(_ vm: String, sent: Bool, _ text: String) {
        write(vm, sent ? "->" : "<-", text)
    }

    public func note(_ vm: String, _ text: String) {
        write(vm, "--", text)
    }

    private func write(_ vm: String, _ direction: String, _ text: String) {
        let line = Array("\(Self.timestamp()) \(vm) \(direction) \(text)\n".utf8)
        var offset = 0
        while offset < line.count {
            let n = line.withUnsafeBufferPointer { writeBytes(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                return
            }
            offset += n
        }
    }

    static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var seconds = ts.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let micros = String(ts.tv_nsec / 1000)
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):"
            + "\(two(parts.tm_sec)).\(String(repeating: "0", count: 6 - micros.count))\(micros)Z"
    }
}
