import EventLoop
import QAPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One QMP socket to a QEMU: connected without blocking, read by the process's one event
/// loop, cut into messages by `JSONStreamer`. Requests carry an `id`; a caller waits for
/// its reply by turning the loop, so events, the terminal and the other VMs keep being served.
public final class QEMUConnection {
    public let name: String
    public let address: QEMUAddress
    private let loop: EventLoop
    private let log: QMPLog?
    private var fd: Int32
    private var readToken: EventLoop.Token?
    private var streamer = JSONStreamer()
    private var greeting: JSONValue?
    private var replies: [String: JSONValue] = [:]
    /// Requests whose caller stopped waiting (timeout): their late replies are logged and dropped.
    private var abandoned: Set<String> = []
    private var nextID = 1
    /// Why the connection ended, once it has.
    public private(set) var closedReason: String?
    /// Called for each event, in arrival order.
    public var onEvent: ((JSONValue) -> Void)?
    /// Called once when the remote goes away.
    public var onClose: ((String) -> Void)?

    private init(name: String, address: QEMUAddress, loop: EventLoop, log: QMPLog?, fd: Int32) {
        self.name = name
        self.address = address
        self.loop = loop
        self.log = log
        self.fd = fd
    }

    deinit { close(reason: nil) }

    public var isOpen: Bool { closedReason == nil }

    /// Connects and waits for the greeting; answers the connection and the greeting.
    public static func open(
        name: String, address: QEMUAddress, loop: EventLoop, log: QMPLog?, timeoutNanoseconds: UInt64
    )
        throws(QMPClientError) -> (QEMUConnection, JSONValue)
    {
        let deadline = EventLoop.monotonicNanoseconds() &+ timeoutNanoseconds
        let fd = try connectSocket(name: name, address: address, loop: loop, deadline: deadline, timeoutNanoseconds: timeoutNanoseconds)
        let connection = QEMUConnection(name: name, address: address, loop: loop, log: log, fd: fd)
        connection.readToken = loop.watch(fd, for: .readable) { [weak connection] in connection?.readAvailable() }
        log?.note(name, "connected to \(address)")
        while connection.greeting == nil {
            if let reason = connection.closedReason {
                throw .connect("VM '\(name)' at \(address) closed the connection before greeting (\(reason))")
            }
            let now = EventLoop.monotonicNanoseconds()
            guard now < deadline else {
                connection.close(reason: "no greeting")
                throw .connect(
                    "VM '\(name)' at \(address) did not send the QMP greeting within \(seconds(timeoutNanoseconds)); is it a QEMU monitor?")
            }
            loop.runOnce(timeoutMilliseconds: Int32(clamping: (deadline - now + 999_999) / 1_000_000))
        }
        guard let greeting = connection.greeting, greeting["QMP"]?["version"] != nil else {
            connection.close(reason: "not a QMP greeting")
            throw .connect("VM '\(name)' at \(address) did not greet as a QMP monitor does")
        }
        return (connection, greeting)
    }

    /// How a request ended.
    public enum Outcome {
        /// The reply object (`return` or `error`).
        case reply(JSONValue)
        /// No reply within the time allowed; the request was sent whole.
        case timedOut
        /// The connection went away; `sent` tells whether any of the request left.
        case closed(reason: String, sent: Bool)
    }

    /// Sends `{"execute": command, "arguments": ...}` and waits for its reply.
    public func request(_ command: String, arguments: JSONValue?, timeoutNanoseconds: UInt64) -> Outcome {
        guard closedReason == nil else { return .closed(reason: closedReason ?? "closed", sent: false) }
        let id = "hmp-\(nextID)"
        nextID += 1
        var message = JSONObject()
        message.append("execute", .string(command))
        if let arguments { message.append("arguments", arguments) }
        message.append("id", .string(id))
        let text = JSONValue.object(message).description
        log?.message(name, sent: true, text)
        let sent = send(Array(text.utf8) + [0x0A])
        if let reason = closedReason { return .closed(reason: reason, sent: sent) }
        let deadline = EventLoop.monotonicNanoseconds() &+ timeoutNanoseconds
        while true {
            if let reply = replies.removeValue(forKey: id) { return .reply(reply) }
            if let reason = closedReason { return .closed(reason: reason, sent: true) }
            let now = EventLoop.monotonicNanoseconds()
            if now >= deadline {
                abandoned.insert(id)
                return .timedOut
            }
            loop.runOnce(timeoutMilliseconds: Int32(clamping: min(100, (deadline - now + 999_999) / 1_000_000)))
        }
    }

    /// Reads what has arrived without waiting (events between commands).
    public func poll() {
        guard closedReason == nil else { return }
        loop.runOnce(timeoutMilliseconds: 0)
    }

    public func close(reason: String?) {
        guard fd >= 0 else { return }
        if let readToken { loop.cancel(readToken) }
        readToken = nil
        closeDescriptor(fd)
        fd = -1
        if closedReason == nil { closedReason = reason ?? "closed by hmp" }
        if let reason { log?.note(name, "connection closed: \(reason)") }
    }

    // MARK: - I/O

    /// Writes all of `bytes`, turning the loop while the socket is full. Answers whether any left.
    private func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBufferPointer { buffer in
                sendBytes(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if n > 0 {
                offset += n
            } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                loop.runOnce(timeoutMilliseconds: 100, alsoWaitingFor: fd, interest: .writable)
                if closedReason != nil { return offset > 0 }
            } else {
                lost(String(cString: strerror(errno)))
                return offset > 0
            }
        }
        return true
    }

    private func readAvailable() {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 {
            lost("the connection was closed by QEMU")
            return
        }
        if n < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
            lost(String(cString: strerror(errno)))
            return
        }
        streamer.append(chunk[0..<n])
        while let item = streamer.next() {
            switch item {
            case .value(let message): receive(message)
            case .error(let error): log?.note(name, "unreadable message from QEMU: \(error)")
            }
        }
    }

    private func receive(_ message: JSONValue) {
        log?.message(name, sent: false, message.description)
        if message["QMP"] != nil {
            greeting = message
        } else if message["event"] != nil {
            onEvent?(message)
        } else if let id = message["id"]?.stringValue {
            if abandoned.remove(id) == nil { replies[id] = message }
        }
    }

    private func lost(_ reason: String) {
        guard closedReason == nil else { return }
        closedReason = reason
        close(reason: reason)
        onClose?(reason)
    }

    // MARK: - Connecting

    private static func connectSocket(
        name: String, address: QEMUAddress, loop: EventLoop, deadline: UInt64, timeoutNanoseconds: UInt64
    )
        throws(QMPClientError) -> Int32
    {
        switch address.kind {
        case .unix(let path):
            let fd = streamSocket(AF_UNIX)
            guard fd >= 0 else { throw .connect("cannot create a socket: \(String(cString: strerror(errno)))") }
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &addr.sun_path) { raw in
                for (i, byte) in path.utf8.enumerated() where i < raw.count - 1 { raw[i] = byte }
            }
            do {
                try finishConnect(
                    fd: fd, name: name, address: address, loop: loop, deadline: deadline, timeoutNanoseconds: timeoutNanoseconds
                ) {
                    withUnsafePointer(to: &addr) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            connectDescriptor(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                        }
                    }
                }
            } catch {
                closeDescriptor(fd)
                throw error
            }
            return fd
        case .tcp(let host, let port):
            var hints = addrinfo()
            hints.ai_socktype = streamType
            hints.ai_family = AF_UNSPEC
            var list: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(host, String(port), &hints, &list)
            guard status == 0, let first = list else {
                throw .connect("VM '\(name)': cannot resolve '\(host)': \(String(cString: gai_strerror(status)))")
            }
            defer { freeaddrinfo(list) }
            var lastError = QMPClientError.connect("VM '\(name)': no address for '\(host)'")
            var entry: UnsafeMutablePointer<addrinfo>? = first
            while let info = entry {
                entry = info.pointee.ai_next
                let fd = streamSocket(info.pointee.ai_family)
                guard fd >= 0 else { continue }
                do {
                    try finishConnect(
                        fd: fd, name: name, address: address, loop: loop, deadline: deadline, timeoutNanoseconds: timeoutNanoseconds
                    ) {
                        connectDescriptor(fd, info.pointee.ai_addr, info.pointee.ai_addrlen)
                    }
                    var one: Int32 = 1
                    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                    return fd
                } catch {
                    closeDescriptor(fd)
                    lastError = error
                }
            }
            throw lastError
        }
    }

    private static func finishConnect(
        fd: Int32, name: String, address: QEMUAddress, loop: EventLoop, deadline: UInt64, timeoutNanoseconds: UInt64,
        _ attempt: () -> Int32
    ) throws(QMPClientError) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        if attempt() == 0 { return }
        guard errno == EINPROGRESS || errno == EAGAIN else {
            throw .connect("cannot connect to VM '\(name)' at \(address): \(String(cString: strerror(errno)))")
        }
        while true {
            let now = EventLoop.monotonicNanoseconds()
            guard now < deadline else {
                throw .connect("VM '\(name)' at \(address) did not accept the connection within \(seconds(timeoutNanoseconds))")
            }
            if loop.runOnce(
                timeoutMilliseconds: Int32(clamping: (deadline - now + 999_999) / 1_000_000), alsoWaitingFor: fd, interest: .writable)
            {
                break
            }
        }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        guard error == 0 else {
            throw .connect("cannot connect to VM '\(name)' at \(address): \(String(cString: strerror(error)))")
        }
    }
}

/// `5 s`, `0.5 s`.
func seconds(_ nanoseconds: UInt64) -> String {
    if nanoseconds % 1_000_000_000 == 0 { return "\(nanoseconds / 1_000_000_000) s" }
    return "\(Double(nanoseconds) / 1e9) s"
}
