import Backend
import EventLoop
import Monitor
import QMPServer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--qmp`: the in-process VM served on QMP sockets next to the console, on the same loop.
/// Events are shared: the server and the console each get every one.
final class QMPServing {
    let backend: InProcessBackend
    let loop: EventLoop
    let server: QMPServer
    /// What the console runs commands through: the same VM, with its own share of the events.
    let consoleBackend: SharedEventsBackend
    private let addresses: [QMPAddress]
    private var finished = false

    /// `serveOnly` (`--no-console`): SIGINT and SIGTERM are taken before any socket exists,
    /// so a signal can never leave a socket file behind.
    init(addresses: [QMPAddress], backend: InProcessBackend, loop: EventLoop, serveOnly: Bool) throws(QMPServerError) {
        if serveOnly { StopSignals.install(on: loop) }
        self.backend = backend
        self.loop = loop
        self.addresses = addresses
        let fanOut = EventFanOut(source: backend)
        consoleBackend = SharedEventsBackend(fanOut: fanOut)
        server = QMPServer(fanOut: fanOut, loop: loop, log: { Self.log($0) })
        do {
            for address in addresses {
                let bound = try server.listen(on: address)
                if case .tcp(_, 0) = address.endpoint { Self.log("QMP listening on \(bound)") }
            }
        } catch {
            server.shutdown()
            throw QMPServerError("cannot serve QMP: \(error.description)")
        }
    }

    /// `wait=on`: QEMU does not start until a client has connected; neither does hmp.
    func waitForClientIfAsked() {
        guard addresses.contains(where: \.waitsForClient) else { return }
        Self.log("waiting for a QMP client on \(addresses.filter(\.waitsForClient).map(\.description).joined(separator: ", "))")
        while server.acceptedClients == 0 && !StopSignals.received { loop.runOnce(timeoutMilliseconds: 100) }
    }

    /// With the console: SIGTERM and SIGHUP end hmp as before, socket files removed.
    func removeSocketFilesOnTermination() {
        SocketFilesOnTermination.install(server.socketFiles)
    }

    /// `--no-console`: serves until a client sends `quit`, or SIGINT or SIGTERM arrives.
    func serveUntilQuit() -> Int32 {
        while !backend.quitRequested && !StopSignals.received {
            loop.runOnce(timeoutMilliseconds: -1)
        }
        finish()
        return 0
    }

    /// Gives the last replies (to `quit`) a moment to leave, then closes everything.
    func finish() {
        guard !finished else { return }
        finished = true
        server.flushAll()
        loop.run(forAtMost: 200_000_000, pollEveryMilliseconds: 10) { !server.hasPendingOutput }
        server.shutdown()
    }

    static func log(_ line: String) {
        let text = "hmp: \(line)\n"
        _ = text.withCString { write(STDERR_FILENO, $0, strlen($0)) }
    }
}

/// In the REPL, SIGTERM and SIGHUP still end hmp at once, as without --qmp; the handler
/// first removes the socket files (lstat and unlink are async-signal-safe), so no stale
/// socket is left behind. A batch replaces it with its own orderly stop (`Termination`).
enum SocketFilesOnTermination {
    private struct File {
        var path: UnsafeMutablePointer<CChar>
        var device: UInt64
        var inode: UInt64
    }

    nonisolated(unsafe) private static var files: UnsafeMutableBufferPointer<File>?

    static func install(_ list: [(path: String, device: UInt64, inode: UInt64)]) {
        guard !list.isEmpty else { return }
        let buffer = UnsafeMutableBufferPointer<File>.allocate(capacity: list.count)
        for (i, file) in list.enumerated() {
            buffer.baseAddress!.advanced(by: i).initialize(to: File(path: strdup(file.path)!, device: file.device, inode: file.inode))
        }
        files = buffer
        let handler: @convention(c) (Int32) -> Void = { signalNumber in
            if let files = SocketFilesOnTermination.files {
                for file in files {
                    var info = stat()
                    if lstat(file.path, &info) == 0, UInt64(info.st_dev) == file.device, UInt64(info.st_ino) == file.inode {
                        unlink(file.path)
                    }
                }
            }
            signal(signalNumber, SIG_DFL)
            raise(signalNumber)
        }
        signal(SIGTERM, handler)
        signal(SIGHUP, handler)
    }
}

/// SIGINT and SIGTERM for `--no-console`: the handler only writes a byte to a pipe the loop
/// watches, so the loop wakes at once and the process ends through its normal clean-up.
enum StopSignals {
    nonisolated(unsafe) private static var writeEnd: Int32 = -1
    nonisolated(unsafe) private(set) static var received = false

    static func install(on loop: EventLoop) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return }
        for fd in ends { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        writeEnd = ends[1]
        let readEnd = ends[0]
        loop.watch(readEnd) {
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) > 0 { received = true }
        }
        let handler: @convention(c) (Int32) -> Void = { _ in
            var byte: UInt8 = 1
            _ = write(StopSignals.writeEnd, &byte, 1)
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
    }
}
