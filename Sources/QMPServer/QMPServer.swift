import Backend
import EventLoop
import QAPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves a backend to QMP clients on the process's one event loop: any number of clients
/// on any number of sockets, each with its own negotiation, as QEMU's QMP monitor speaks
/// (greeting, `qmp_capabilities`, JSON stream input, `exec-oob`, events with timestamps).
///
/// Nothing here blocks: input is read as it comes and cut into messages however it was
/// split; output waits in a per-client buffer until the client takes it. A client that
/// stops reading stops being read from (as QEMU suspends a monitor), so it holds at most
/// about `Limits.outputPause` of replies; one that never completes a message is cut off at
/// `Limits.input`.
public final class QMPServer {
    public struct Limits: Sendable {
        /// Unparsed input one client may hold (bytes of a message not complete yet).
        public var input = 16 << 20
        /// Output above which a client's input is no longer read until it catches up.
        public var outputPause = 1 << 20
        /// Output (events keep coming) above which a client that does not read is dropped.
        public var outputDrop = 64 << 20
        public init() {}
    }

    public let fanOut: EventFanOut
    public var backend: any MonitorBackend { fanOut.source }
    let loop: EventLoop
    /// Where log lines go (a client cut off, a socket error).
    let log: (String) -> Void
    public var limits = Limits()
    /// How often the backend is brought up to date so events reach clients while no command runs.
    public var eventPollNanoseconds: UInt64 = 50_000_000

    private var listeners: [(socket: ListeningSocket, token: EventLoop.Token)] = []
    private var clients: [Int: QMPConnection] = [:]
    private var nextClientNumber = 0
    private var greeting: [UInt8] = []
    private var throttle: EventThrottle!
    private var listenerID: EventFanOut.ListenerID?
    private var pollToken: EventLoop.Token?
    /// Commands of the negotiation phase (QEMU's qmp_cap_negotiation_commands): only `qmp_capabilities`.
    private let control = QMPDispatcher()
    /// The client whose command runs now (for `qmp_capabilities`).
    private var current: QMPConnection?
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    /// Clients accepted since the start, for tests and `wait=on`.
    public private(set) var acceptedClients = 0

    public init(fanOut: EventFanOut, loop: EventLoop, log: @escaping (String) -> Void) {
        self.fanOut = fanOut
        self.loop = loop
        self.log = log
        throttle = EventThrottle(loop: loop) { [unowned self] event in broadcast(event) }
        control.register(QmpCapabilitiesCommand.self) { [unowned self] arguments throws(QMPError) in
            try negotiate(arguments)
            return QAPIEmpty()
        }
    }

    /// Opens a socket; answers the address as bound (a tcp port 0 replaced by the real one).
    @discardableResult
    public func listen(on address: QMPAddress) throws(QMPServerError) -> String {
        let socket = try ListeningSocket.open(address)
        let token = loop.watch(socket.fd) { [unowned self] in accept(from: socket) }
        listeners.append((socket, token))
        if listenerID == nil { start() }
        return socket.boundDescription
    }

    public var connectedClients: Int { clients.count }

    /// The socket files this server created, with their identity (device, inode).
    public var socketFiles: [(path: String, device: UInt64, inode: UInt64)] {
        listeners.compactMap { $0.socket.createdFile }
    }

    /// True while some client still has output waiting.
    public var hasPendingOutput: Bool { clients.values.contains { $0.pendingOutput > 0 } }

    /// Closes every client and socket and removes the socket files created.
    public func shutdown() {
        for client in clients.values { close(client, reason: nil) }
        for listener in listeners {
            loop.cancel(listener.token)
            listener.socket.close()
        }
        listeners = []
        if let listenerID { fanOut.removeListener(listenerID) }
        listenerID = nil
        if let pollToken { loop.cancel(pollToken) }
        pollToken = nil
        throttle.cancelAll()
    }

    /// Writes what can be written now to every client (used before exiting).
    public func flushAll() {
        for client in clients.values { flush(client) }
    }

    // MARK: Start

    private func start() {
        let version = backend.dispatch(.object(["execute": .string(QueryVersionCommand.name)]))["return"] ?? .object(JSONObject())
        var message = JSONObject()
        message.append("QMP", .object(["version": version, "capabilities": .array([.string(QMPCapability.oob.rawValue)])]))
        let writer = JSONWriter(asciiOnly: true)
        writer.write(.object(message), into: &greeting)
        greeting.append(contentsOf: [0x0D, 0x0A])
        listenerID = fanOut.addListener { [unowned self] events in
            for event in events { throttle.submit(event) }
        }
        schedulePoll()
    }

    /// The model moves on its own (a migration runs): bring it forward now and then so
    /// clients get its events without having to send a command.
    private func schedulePoll() {
        pollToken = loop.schedule(after: eventPollNanoseconds) { [unowned self] in
            if !clients.isEmpty {
                backend.synchronize()
                fanOut.pump()
            }
            schedulePoll()
        }
    }

    // MARK: Clients

    private func accept(from listener: ListeningSocket) {
        while true {
            var address = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { acceptConnection(listener.fd, $0, &length) }
            }
            if fd < 0 {
                if errno == EINTR { continue }
                if errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED {
                    log("QMP: accepting on \(listener.boundDescription) failed: \(String(cString: strerror(errno)))")
                }
                return
            }
            ListeningSocket.makeNonBlocking(fd)
            #if canImport(Darwin)
            var on: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
            #endif
            nextClientNumber += 1
            acceptedClients += 1
            let client = QMPConnection(number: nextClientNumber, fd: fd, peer: listener.boundDescription)
            clients[client.number] = client
            client.queue(serialized: greeting)
            resumeReading(client)
            flush(client)
        }
    }

    private func resumeReading(_ client: QMPConnection) {
        guard client.readToken == nil, !client.closed, !client.peerClosed else { return }
        client.readToken = loop.watch(client.fd) { [unowned self, unowned client] in readable(client) }
    }

    private func pauseReading(_ client: QMPConnection) {
        if let token = client.readToken { loop.cancel(token) }
        client.readToken = nil
    }

    private func readable(_ client: QMPConnection) {
        if client.busy {
            // Its own command is waiting on the loop: read again once it is done.
            pauseReading(client)
            return
        }
        let count = readBuffer.withUnsafeMutableBytes { recv(client.fd, $0.baseAddress, $0.count, 0) }
        if count < 0 {
            if errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK { return }
            close(client, reason: nil)  // reset by the peer: nothing to say
            return
        }
        if count == 0 {
            client.peerClosed = true
            pauseReading(client)
            process(client)
            return
        }
        client.streamer.append(readBuffer[0..<count])
        if client.streamer.pendingByteCount > limits.input {
            close(client, reason: "sent more than \(limits.input >> 20) MiB without completing a message")
            return
        }
        process(client)
    }

    /// Handles the complete messages a client has sent, as long as its output is not backed up.
    private func process(_ client: QMPConnection) {
        guard !client.busy, !client.closed else { return }
        client.busy = true
        while !client.closed, client.pendingOutput < limits.outputPause, let item = client.streamer.next() {
            switch item {
            case .value(let request):
                respond(to: request, from: client)
            case .error(let error):
                // QEMU answers a message it cannot parse without an id, and goes on.
                client.queue(.object(["error": QMPError.generic(error.description).qmpValue]))
            }
        }
        client.busy = false
        guard !client.closed else { return }
        flush(client)
        guard !client.closed else { return }
        if client.peerClosed {
            if client.pendingOutput == 0 && !client.streamer.hasUnscannedInput { close(client, reason: nil) }
        } else if client.pendingOutput >= limits.outputPause || client.streamer.hasUnscannedInput {
            pauseReading(client)
        } else {
            resumeReading(client)
        }
    }

    private func respond(to request: JSONValue, from client: QMPConnection) {
        let reply: JSONValue
        if case .object(let object) = request, !client.outOfBandEnabled, object["exec-oob"] != nil {
            // Without the oob capability "exec-oob" is just an unknown member (qmp_dispatch_check_obj()).
            reply = Self.envelopeError(object)
        } else if !client.negotiated || Self.commandName(request) == QmpCapabilitiesCommand.name {
            current = client
            var answer = control.dispatch(request)
            current = nil
            if !client.negotiated, answer["error"]?["class"]?.stringValue == QMPErrorClass.commandNotFound.rawValue,
                case .object(var object) = answer
            {
                // monitor_qmp_dispatch()'s more useful message.
                object["error"] = QMPError(.commandNotFound, "Expecting capabilities negotiation with 'qmp_capabilities'").qmpValue
                answer = .object(object)
            }
            reply = answer
        } else {
            reply = backend.dispatch(request)
            // Events the command caused go out before its reply, as in QEMU.
            fanOut.pump()
        }
        guard !client.closed else { return }
        client.queue(reply)
    }

    private func negotiate(_ arguments: QmpCapabilitiesArguments) throws(QMPError) {
        guard let client = current, !client.negotiated else {
            throw QMPError(.commandNotFound, "Capabilities negotiation is already complete, command ignored")
        }
        // "oob" is the only capability and it is always offered; an unknown name was
        // already refused when the arguments were decoded.
        if arguments.enable?.contains(.oob) == true { client.outOfBandEnabled = true }
        client.negotiated = true
    }

    static func commandName(_ request: JSONValue) -> String? {
        guard case .object(let object) = request else { return nil }
        return (object["execute"] ?? object["exec-oob"])?.stringValue
    }

    /// qmp_dispatch_check_obj() with out-of-band disabled: the first member at fault.
    static func envelopeError(_ object: JSONObject) -> JSONValue {
        var error = QMPError.generic("QMP input lacks member 'execute'")
        for member in object {
            switch member.key {
            case "execute":
                if member.value.stringValue == nil {
                    error = .generic("QMP input member 'execute' must be a string")
                    return reply(error, id: object["id"])
                }
            case "arguments":
                if case .object = member.value { continue }
                error = .generic("QMP input member 'arguments' must be an object")
                return reply(error, id: object["id"])
            case "id":
                continue
            default:
                error = .generic("QMP input member '\(member.key)' is unexpected")
                return reply(error, id: object["id"])
            }
        }
        return reply(error, id: object["id"])
    }

    private static func reply(_ error: QMPError, id: JSONValue?) -> JSONValue {
        var object = JSONObject(capacity: 2)
        object.append("error", error.qmpValue)
        if let id { object.append("id", id) }
        return .object(object)
    }

    // MARK: Output

    private func flush(_ client: QMPConnection) {
        while client.pendingOutput > 0 {
            let count = client.output.withUnsafeBytes { raw in
                send(client.fd, raw.baseAddress! + client.outputStart, client.pendingOutput, Self.sendFlags)
            }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { break }
                close(client, reason: nil)  // the peer went away
                return
            }
            client.written(count)
        }
        if client.pendingOutput > 0 {
            if client.writeToken == nil {
                client.writeToken = loop.watch(client.fd, for: .writable) { [unowned self, unowned client] in writable(client) }
            }
        } else if let token = client.writeToken {
            loop.cancel(token)
            client.writeToken = nil
        }
    }

    private func writable(_ client: QMPConnection) {
        flush(client)
        guard !client.closed, client.pendingOutput < limits.outputPause else { return }
        // Caught up: handle what was held back, then read again.
        process(client)
    }

    /// An event for every client past negotiation, stamped as QEMU stamps it.
    private func broadcast(_ event: JSONValue) {
        guard clients.values.contains(where: \.negotiated) else { return }
        var bytes: [UInt8] = []
        JSONWriter(asciiOnly: true).write(Self.wireOrder(event), into: &bytes)
        bytes.append(contentsOf: [0x0D, 0x0A])
        for client in clients.values where client.negotiated && !client.closed {
            client.queue(serialized: bytes)
            if client.pendingOutput > limits.outputDrop {
                close(client, reason: "has not read \(limits.outputDrop >> 20) MiB of output")
                continue
            }
            if !client.busy { flush(client) }
        }
    }

    /// QEMU writes "timestamp" first (qmp_event_build_dict()).
    static func wireOrder(_ event: JSONValue) -> JSONValue {
        guard case .object(let object) = event, let timestamp = object["timestamp"] else { return event }
        var ordered = JSONObject(capacity: 3)
        ordered.append("timestamp", timestamp)
        for member in object where member.key != "timestamp" { ordered.append(member.key, member.value) }
        return .object(ordered)
    }

    private func close(_ client: QMPConnection, reason: String?) {
        guard !client.closed else { return }
        client.closed = true
        if let reason { log("QMP client \(client.number) on \(client.peer) \(reason); disconnected") }
        pauseReading(client)
        if let token = client.writeToken { loop.cancel(token) }
        client.writeToken = nil
        _ = closeDescriptor(client.fd)
        clients[client.number] = nil
    }

    #if canImport(Glibc)
    static let sendFlags = Int32(MSG_NOSIGNAL)
    #else
    static let sendFlags: Int32 = 0
    #endif
}
