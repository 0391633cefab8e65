import Backend
import EventLoop
import Foundation
import Machine
import Monitor
import QAPI
import Testing

@testable import QMPServer

/// The server in-process, on one loop with its clients: each test turns the loop until the
/// client has what it waits for.
@Suite struct QMPServerTests {
    final class Harness {
        let loop = EventLoop()
        let backend: InProcessBackend
        let server: QMPServer
        let directory: String
        let path: String
        final class Log { var lines: [String] = [] }
        let log = Log()

        init() throws {
            backend = InProcessBackend(machine: try VirtualMachine(validating: MachineConfiguration()), clock: .virtual())
            directory = NSTemporaryDirectory() + "hmp-qmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            path = directory + "/vm.qmp"
            let log = self.log
            server = QMPServer(fanOut: EventFanOut(source: backend), loop: loop) { log.lines.append($0) }
            try server.listen(on: QMPAddress(endpoint: .unix(path: path)))
        }

        deinit {
            server.shutdown()
            try? FileManager.default.removeItem(atPath: directory)
        }

        func connect() -> Client { Client(path: path, harness: self) }
    }

    final class Client {
        let fd: Int32
        unowned let harness: Harness
        var received: [UInt8] = []

        init(path: String, harness: Harness) {
            self.harness = harness
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
                raw[path.utf8.count] = 0
            }
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }

        deinit { close(fd) }

        func send(_ text: String) {
            var text = text
            _ = text.withUTF8 { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }

        /// The next message, turning the server's loop until it arrives.
        func next() -> JSONValue? {
            let deadline = EventLoop.monotonicNanoseconds() + 5_000_000_000
            while EventLoop.monotonicNanoseconds() < deadline {
                if let newline = received.firstIndex(of: 0x0A) {
                    let line = Array(received[..<newline])
                    received.removeFirst(newline + 1)
                    #expect(line.last == 0x0D, "lines end in \\r\\n")
                    return try? JSONParser.parse(bytes: Array(line.dropLast()))
                }
                harness.loop.runOnce(timeoutMilliseconds: 5)
                var chunk = [UInt8](repeating: 0, count: 65536)
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n > 0 { received += chunk[0..<n] }
            }
            return nil
        }

        func command(_ text: String) -> JSONValue? {
            send(text)
            return next()
        }
    }

    @Test func greetingNegotiationAndCommands() throws {
        let harness = try Harness()
        let client = harness.connect()
        let greeting = client.next()
        #expect(greeting?["QMP"]?["capabilities"] == .array(["oob"]))
        #expect(greeting?["QMP"]?["version"]?["package"]?.stringValue == "swift-hmp")
        #expect(client.command(#"{"execute": "query-status"}"#)?["error"]?["class"] == "CommandNotFound")
        #expect(client.command(#"{"execute": "qmp_capabilities", "id": 1}"#) == ["return": [:], "id": 1])
        #expect(client.command(#"{"execute": "qmp_capabilities"}"#)?["error"]?["class"] == "CommandNotFound")
        #expect(client.command(#"{"execute": "query-status", "id": "s"}"#)?["return"]?["status"] == "running")
    }

    @Test func eventsPrecedeTheReplyAndReachOnlyNegotiatedClients() throws {
        let harness = try Harness()
        let a = harness.connect()
        let b = harness.connect()
        let waiting = harness.connect()
        for client in [a, b, waiting] { _ = client.next() }
        _ = a.command(#"{"execute": "qmp_capabilities"}"#)
        _ = b.command(#"{"execute": "qmp_capabilities"}"#)
        let first = a.command(#"{"execute": "stop", "id": 9}"#)
        #expect(first?["event"] == "STOP")
        #expect(
            first.flatMap { value -> String? in
                if case .object(let o) = value { return o.keys.first }
                return nil
            } == "timestamp", "QEMU writes the timestamp first")
        #expect(a.next() == ["return": [:], "id": 9])
        #expect(b.next()?["event"] == "STOP")
        #expect(
            waiting.command(#"{"execute": "query-name"}"#)?["error"]?["class"] == "CommandNotFound",
            "the negotiating client got no event before its reply")
    }

    @Test func inputOverTheLimitClosesOnlyThatClient() throws {
        let harness = try Harness()
        harness.server.limits.input = 64 * 1024
        let hog = harness.connect()
        let other = harness.connect()
        _ = hog.next()
        _ = other.next()
        hog.send(#"{"execute": "query-status", "id": ""# + String(repeating: "x", count: 100_000))
        for _ in 0..<50 { harness.loop.runOnce(timeoutMilliseconds: 5) }
        #expect(harness.server.connectedClients == 1)
        #expect(harness.log.lines.count == 1 && harness.log.lines[0].contains("without completing a message; disconnected"))
        #expect(other.command(#"{"execute": "qmp_capabilities"}"#) == ["return": [:]])
    }
}
