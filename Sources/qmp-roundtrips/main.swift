// A QMP load client for `make bench` (scripts/qmp/bench_qmp.py): connects to a unix socket,
// negotiates, warms up, says "ready", waits for a line on stdin, then sends COUNT query-status
// requests one at a time, each after the previous reply, and prints the seconds it took.
// Written in Swift so that the figure measures the server rather than the client.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One negotiated QMP connection, used at the byte level.
final class LoadClient {
    private let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 65536)

    init(path: String) {
        #if canImport(Glibc)
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        guard path.utf8.count < MemoryLayout.size(ofValue: address.sun_path) else { Self.fail("socket path too long") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
            raw[path.utf8.count] = 0
        }
        var connected: Int32 = -1
        for _ in 0..<500 {
            connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            if connected == 0 { break }
            usleep(10_000)
        }
        guard connected == 0 else { Self.fail("cannot connect to \(path)") }
        awaitLines(1)  // greeting
        send(#"{"execute": "qmp_capabilities"}"#)
        awaitLines(1)
    }

    /// Reads until `lines` more newlines have arrived.
    func awaitLines(_ lines: Int) {
        var left = lines
        while left > 0 {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { Self.fail("connection closed") }
            for i in 0..<n where buffer[i] == 0x0A { left -= 1 }
        }
    }

    func send(_ text: String) {
        var text = text
        let written = text.withUTF8 { write(fd, $0.baseAddress, $0.count) }
        guard written == text.utf8.count else { Self.fail("short write") }
    }

    func roundTrips(_ n: Int) {
        for _ in 0..<n {
            send(#"{"execute": "query-status"}"#)
            awaitLines(1)
        }
    }

    static func say(_ line: String) {
        let text = line + "\n"
        _ = text.withCString { write(STDOUT_FILENO, $0, strlen($0)) }
    }

    static func fail(_ message: String) -> Never {
        let text = "qmp-roundtrips: \(message)\n"
        _ = text.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        exit(1)
    }

    static func seconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let count = Int(arguments[2]) else { LoadClient.fail("usage: qmp-roundtrips SOCKET COUNT") }
let client = LoadClient(path: arguments[1])
client.roundTrips(200)
LoadClient.say("ready")
_ = readLine()
let start = LoadClient.seconds()
client.roundTrips(count)
LoadClient.say("\(LoadClient.seconds() - start)")
_ = readLine()  // stays connected until told, so that RSS can be read with every client on
