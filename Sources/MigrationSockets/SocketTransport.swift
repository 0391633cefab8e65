#if canImport(Glibc)
import Glibc
#endif
import EventLoop
import Machine
import QAPI

/// Real tcp: and unix: connections for the model's migrations, non-blocking and served by the
/// process's one event loop, so the model stays single-threaded.
public final class SocketTransport: MigrationTransport {
    let loop: EventLoop
    private var listener: Listener?

    public init(loop: EventLoop) { self.loop = loop }

    public func connect(_ address: MigrationAddress) -> any MigrationConnection {
        OutgoingConnection(loop: loop, address: address)
    }

    public func listen(
        _ address: MigrationAddress, receive: @escaping (ArraySlice<UInt8>) -> Void, ended: @escaping (String?) -> Void
    ) throws(QMPError) -> SocketAddress? {
        if case .exec(let command) = address {
            // QEMU's exec: incoming runs the command and reads its standard output.
            stopListening()
            let (pid, fd) = try Command.spawn(command.args, childEnd: STDOUT_FILENO)
            listener = Listener(loop: loop, reading: fd, pid: pid, receive: receive, ended: ended)
            return nil
        }
        guard case .socket(let socket) = address else { return nil }
        stopListening()
        let l = try Listener(loop: loop, socket: socket, receive: receive, ended: ended)
        listener = l
        return l.bound
    }

    public func stopListening() {
        listener?.close()
        listener = nil
    }
}

/// The errno text, as QEMU prints it.
func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

/// A socket address for connect(2)/bind(2).
enum SocketEndpoint {
    case inet(sockaddr_in)
    case unix(sockaddr_un)

    /// `host:port` (numeric or resolved with getaddrinfo) or a unix path.
    static func make(_ socket: SocketAddress) throws(QMPError) -> SocketEndpoint {
        switch socket {
        case .inet(let inet):
            guard let port = UInt16(inet.port) else {
                throw QMPError.generic("address resolution failed for \(inet.host):\(inet.port): Servname not supported for ai_socktype")
            }
            var hints = addrinfo()
            hints.ai_family = AF_INET
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var result: UnsafeMutablePointer<addrinfo>?
            let host = inet.host.isEmpty || inet.host == "0" ? "0.0.0.0" : inet.host
            let rc = getaddrinfo(host, nil, &hints, &result)
            guard rc == 0, let first = result else {
                throw QMPError.generic("address resolution failed for \(inet.host):\(inet.port): \(String(cString: gai_strerror(rc)))")
            }
            defer { freeaddrinfo(result) }
            var sin = first.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
            sin.sin_port = port.bigEndian
            return .inet(sin)
        case .unix(let unix):
            var sun = sockaddr_un()
            sun.sun_family = sa_family_t(AF_UNIX)
            let path = Array(unix.path.utf8)
            guard path.count < MemoryLayout.size(ofValue: sun.sun_path) else {
                throw QMPError.generic("UNIX socket path '\(unix.path)' is too long")
            }
            withUnsafeMutableBytes(of: &sun.sun_path) { raw in
                for (i, b) in path.enumerated() { raw[i] = b }
            }
            return .unix(sun)
        default:
            throw QMPError.generic("unsupported socket address")
        }
    }

    var family: Int32 {
        switch self {
        case .inet: AF_INET
        case .unix: AF_UNIX
        }
    }

    func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        switch self {
        case .inet(var sin):
            return withUnsafePointer(to: &sin) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .unix(var sun):
            return withUnsafePointer(to: &sun) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
        }
    }
}

func setNonBlocking(_ fd: Int32) {
    let flags = fcntl(fd, F_GETFL)
    _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
}

/// The source's side: connects without blocking, then writes what the engine produces while
/// the socket takes it.
final class OutgoingConnection: MigrationConnection {
    let loop: EventLoop
    let address: MigrationAddress
    private var fd: Int32 = -1
    private var token: EventLoop.Token?
    private var connected = false
    private var pending: [UInt8] = []
    private var sent = 0
    private var produce: (() -> [UInt8]?)?
    private var ended: ((String?) -> Void)?
    private var complete = false
    private var closed = false
    /// The exec: command's process, reaped once its input is closed.
    private var child: pid_t = 0

    init(loop: EventLoop, address: MigrationAddress) {
        self.loop = loop
        self.address = address
    }

    private var peer: String {
        switch address {
        case .socket(.inet(let inet)): "\(inet.host):\(inet.port)"
        case .socket(.unix(let unix)): unix.path
        default: address.uriDescription
        }
    }

    func start(produce: @escaping () -> [UInt8]?, ended: @escaping (String?) -> Void) {
        self.produce = produce
        self.ended = ended
        if case .exec(let command) = address {
            // QEMU's exec: outgoing runs the command and writes the stream to its standard input.
            do {
                let (pid, fd) = try Command.spawn(command.args, childEnd: STDIN_FILENO)
                self.fd = fd
                child = pid
                connected = true
                token = loop.watch(fd, for: .writable) { [weak self] in self?.writable() }
            } catch {
                let text = error.desc
                _ = loop.schedule(after: 0) { [weak self] in self?.finish(text) }
            }
            return
        }
        guard case .socket(let socket) = address else { return finish("unsupported address") }
        let endpoint: SocketEndpoint
        do {
            endpoint = try SocketEndpoint.make(socket)
        } catch {
            // Reported on the next turn of the loop, as QEMU's connect is asynchronous.
            let text = error.desc
            _ = loop.schedule(after: 0) { [weak self] in self?.finish(text) }
            return
        }
        fd = socket_(endpoint.family)
        guard fd >= 0 else { return finish("Failed to create socket: \(errorText(errno))") }
        setNonBlocking(fd)
        let rc = endpoint.withSockaddr { Glibc.connect(fd, $0, $1) }
        if rc != 0 && errno != EINPROGRESS {
            let text = "Failed to connect to '\(peer)': \(errorText(errno))"
            _ = loop.schedule(after: 0) { [weak self] in self?.finish(text) }
            return
        }
        token = loop.watch(fd, for: .writable) { [weak self] in self?.writable() }
    }

    private func socket_(_ family: Int32) -> Int32 { socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }

    private func writable() {
        if !connected {
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if error != 0 { return finish("Failed to connect to '\(peer)': \(errorText(error))") }
            connected = true
        }
        while true {
            if sent == pending.count {
                pending.removeAll(keepingCapacity: true)
                sent = 0
                guard let next = produce?() else {
                    complete = true
                    return finish(nil)
                }
                if next.isEmpty {
                    // Nothing to send until the engine gets further: stop watching until woken.
                    if let token { loop.cancel(token) }
                    token = nil
                    return
                }
                pending = next
            }
            let n = pending.withUnsafeBytes { bytes in
                child != 0
                    ? Command.writeWithoutSIGPIPE(fd, bytes.baseAddress! + sent, pending.count - sent)
                    : send(fd, bytes.baseAddress! + sent, pending.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EAGAIN || errno == EINTR { return }
                let what = child != 0 ? "command" : "socket"
                return finish("Unable to write to \(what): \(errorText(errno))")
            }
            sent += n
        }
    }

    func wake() {
        guard !closed, connected, token == nil, fd >= 0 else { return }
        token = loop.watch(fd, for: .writable) { [weak self] in self?.writable() }
    }

    private func finish(_ error: String?) {
        guard !closed else { return }
        let callback = ended
        close()
        callback?(error)
    }

    func close() {
        guard !closed else { return }
        closed = true
        if let token { loop.cancel(token) }
        token = nil
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
        produce = nil
        ended = nil
        if child != 0 {
            // The command has its end of input; it finishes what it is writing and exits.
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
            child = 0
        }
    }
}

/// Runs `/bin/sh -c COMMAND` (the args QEMU's exec: uses) with one of its standard streams on
/// a pipe whose other end, non-blocking, is answered.
enum Command {
    /// write(2) to a pipe whose reader may be gone: EPIPE instead of the signal that would end
    /// hmp (SIGPIPE is held back for the call and a pending one discarded).
    static func writeWithoutSIGPIPE(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        var block = sigset_t()
        var old = sigset_t()
        sigemptyset(&block)
        sigaddset(&block, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &block, &old)
        let n = Glibc.write(fd, bytes, count)
        let saved = errno
        if n < 0 && saved == EPIPE {
            var zero = timespec()
            _ = sigtimedwait(&block, nil, &zero)
        }
        pthread_sigmask(SIG_SETMASK, &old, nil)
        errno = saved
        return n
    }

    static func spawn(_ args: [String], childEnd: Int32) throws(QMPError) -> (pid_t, Int32) {
        guard !args.isEmpty else { throw QMPError.generic("exec: needs a command") }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw QMPError.generic("Unable to create a pipe: \(errorText(errno))") }
        // The child's end: read end for its stdin, write end for its stdout.
        let (childFD, ourFD) = childEnd == STDIN_FILENO ? (fds[0], fds[1]) : (fds[1], fds[0])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, childFD, childEnd)
        posix_spawn_file_actions_addclose(&actions, ourFD)
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let rc = posix_spawn(&pid, args[0], &actions, nil, argv, environ)
        Glibc.close(childFD)
        guard rc == 0 else {
            Glibc.close(ourFD)
            throw QMPError.generic("Unable to run the exec: command: \(errorText(rc))")
        }
        _ = fcntl(ourFD, F_SETFD, FD_CLOEXEC)
        setNonBlocking(ourFD)
        return (pid, ourFD)
    }
}

/// The destination's side: listens, accepts one connection, and hands over what arrives.
final class Listener {
    let loop: EventLoop
    private var fd: Int32 = -1
    private var client: Int32 = -1
    private var token: EventLoop.Token?
    private let receive: (ArraySlice<UInt8>) -> Void
    private let ended: (String?) -> Void
    private var unixPath: String?
    let bound: SocketAddress?
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)
    /// The exec: command whose output is read.
    private var child: pid_t = 0

    /// Reads an exec: command's output.
    init(loop: EventLoop, reading fd: Int32, pid: pid_t, receive: @escaping (ArraySlice<UInt8>) -> Void, ended: @escaping (String?) -> Void)
    {
        self.loop = loop
        self.receive = receive
        self.ended = ended
        bound = nil
        client = fd
        child = pid
        token = loop.watch(fd, for: .readable) { [weak self] in self?.readable() }
    }

    init(
        loop: EventLoop, socket: SocketAddress, receive: @escaping (ArraySlice<UInt8>) -> Void, ended: @escaping (String?) -> Void
    ) throws(QMPError) {
        self.loop = loop
        self.receive = receive
        self.ended = ended
        let endpoint = try SocketEndpoint.make(socket)
        let fd = Glibc.socket(endpoint.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw QMPError.generic("Failed to create socket: \(errorText(errno))") }
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if case .unix(let unix) = socket { unlink(unix.path) }
        let rc = endpoint.withSockaddr { bind(fd, $0, $1) }
        guard rc == 0, Glibc.listen(fd, 1) == 0 else {
            let text = errorText(errno)
            Glibc.close(fd)
            throw QMPError.generic("Failed to bind socket: \(text)")
        }
        setNonBlocking(fd)
        if case .inet(var inet) = socket {
            var sin = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &sin) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
            inet.port = String(UInt16(bigEndian: sin.sin_port))
            bound = .inet(inet)
        } else {
            bound = socket
        }
        if case .unix(let unix) = socket { unixPath = unix.path }
        token = loop.watch(fd, for: .readable) { [weak self] in self?.accept() }
    }

    private func accept() {
        let c = Glibc.accept(fd, nil, nil)
        guard c >= 0 else { return }
        _ = fcntl(c, F_SETFD, FD_CLOEXEC)
        setNonBlocking(c)
        if let token { loop.cancel(token) }
        client = c
        token = loop.watch(client, for: .readable) { [weak self] in self?.readable() }
    }

    private func readable() {
        // A bounded number of reads per turn keeps the console responsive.
        for _ in 0..<64 {
            guard client >= 0 else { return }
            let n = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress!, $0.count) }
            if n > 0 {
                receive(buffer[0..<n])
                continue
            }
            if n == 0 {
                let callback = ended
                close()
                callback(nil)
                return
            }
            if errno == EAGAIN || errno == EINTR { return }
            let text = "Unable to read from socket: \(errorText(errno))"
            let callback = ended
            close()
            callback(text)
            return
        }
    }

    func close() {
        if let token { loop.cancel(token) }
        token = nil
        if client >= 0 { Glibc.close(client) }
        client = -1
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
        if let unixPath { unlink(unixPath) }
        unixPath = nil
        if child != 0 {
            var status: Int32 = 0
            if waitpid(child, &status, WNOHANG) == 0 {
                kill(child, SIGTERM)
                while waitpid(child, &status, 0) < 0 && errno == EINTR {}
            }
            child = 0
        }
    }
}
