import Backend
import EventLoop
import QAPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A running QEMU as a backend: typed commands go out as QMP requests, checked first against
/// the QEMU's own schema (`query-qmp-schema`), and replies come back fitted to hmp's schema,
/// with what hmp's schema lacks kept aside for display.
///
/// A command is sent once. When its reply is lost (timeout, or the QEMU went away) the error
/// says its outcome is unknown; it is never sent again.
public final class QMPClientBackend: RemoteMonitorBackend {
    public struct Options: Sendable {
        public var connectTimeoutNanoseconds: UInt64 = 5_000_000_000
        public var commandTimeoutNanoseconds: UInt64 = 30_000_000_000
        /// Reconnect by itself when the QEMU went away (retried at most once a second).
        public var reconnect = false
        /// Put `"vm": NAME` into events (when the console drives several VMs, or names them).
        public var tagsEvents = false

        public init() {}
    }

    public let vmName: String
    public let address: QEMUAddress
    public var options: Options
    private let loop: EventLoop
    private let log: QMPLog?
    private var connection: QEMUConnection?
    public private(set) var remoteVersion = "QEMU"
    /// The remote's `query-version` reply.
    public private(set) var versionInfo: JSONValue = .null
    /// The remote's schema: what it can be asked.
    public private(set) var remoteSchema = SchemaIndex(.array([]))
    private var events: [JSONValue] = []
    private var replies: [String: JSONValue] = [:]
    private var replyExtras: [String: [RemoteExtra]] = [:]
    /// What the console last knew of the VM, to say what changed across a reconnect.
    private var state: [(String, String)] = []
    private var nextReconnectAttempt: UInt64 = 0

    /// Connects, negotiates and reads the schema; throws when any of it fails.
    public init(name: String, address: QEMUAddress, loop: EventLoop, log: QMPLog?, options: Options = Options()) throws(QMPClientError) {
        self.vmName = name
        self.address = address
        self.loop = loop
        self.log = log
        self.options = options
        try negotiate()
    }

    public var isConnected: Bool { connection?.isOpen ?? false }

    /// Why the VM is not connected, or nil.
    public var disconnectReason: String? {
        guard let connection else { return "not connected" }
        return connection.closedReason
    }

    // MARK: - Connecting

    /// Greeting, `qmp_capabilities`, `query-version`, `query-qmp-schema`, then the state.
    private func negotiate() throws(QMPClientError) {
        let (connection, greeting) = try QEMUConnection.open(
            name: vmName, address: address, loop: loop, log: log, timeoutNanoseconds: options.connectTimeoutNanoseconds)
        connection.onEvent = { [unowned self] event in received(event) }
        connection.onClose = { [unowned self] reason in lost(reason) }
        self.connection = connection
        if let v = greeting["QMP"]?["version"] { describe(v) }
        _ = try negotiationStep("qmp_capabilities")
        let version = try negotiationStep("query-version")
        versionInfo = version
        describe(version)
        remoteSchema = SchemaIndex(try negotiationStep("query-qmp-schema"))
        state = readState()
    }

    private func negotiationStep(_ command: String) throws(QMPClientError) -> JSONValue {
        guard let connection else { throw .connect("VM '\(vmName)' is not connected") }
        switch connection.request(command, arguments: nil, timeoutNanoseconds: options.connectTimeoutNanoseconds) {
        case .reply(let reply):
            if let value = reply["return"] { return value }
            let desc = reply["error"]?["desc"]?.stringValue ?? reply.description
            connection.close(reason: "negotiation failed")
            throw .connect("VM '\(vmName)' at \(address) refused '\(command)': \(desc)")
        case .timedOut:
            connection.close(reason: "no answer")
            throw .connect("VM '\(vmName)' at \(address) did not answer '\(command)' within \(seconds(options.connectTimeoutNanoseconds))")
        case .closed(let reason, _):
            throw .connect("VM '\(vmName)' at \(address) went away while connecting (\(reason))")
        }
    }

    private func describe(_ version: JSONValue) {
        let q = version["qemu"]
        if let major = q?["major"]?.int64Value, let minor = q?["minor"]?.int64Value, let micro = q?["micro"]?.int64Value {
            remoteVersion = "QEMU \(major).\(minor).\(micro)"
        }
    }

    /// Connects again after the QEMU went away: re-negotiates, re-reads the state and answers
    /// what changed meanwhile (as text lines). Throws when the QEMU is still unreachable.
    /// `announce`: also say so with a QMP_RECONNECTED event (when nobody asked for it).
    @discardableResult
    public func reconnect(announce: Bool = true) throws(QMPClientError) -> [String] {
        connection?.close(reason: nil)
        connection = nil
        let before = state
        let oldVersion = remoteVersion
        let oldCommands = Set(remoteSchema.commandNames)
        try negotiate()
        var changes: [String] = []
        if oldVersion != remoteVersion { changes.append("version: \(oldVersion) -> \(remoteVersion)") }
        let newCommands = Set(remoteSchema.commandNames)
        if oldCommands != newCommands {
            changes.append(
                "schema: \(newCommands.subtracting(oldCommands).count) commands added, \(oldCommands.subtracting(newCommands).count) removed"
            )
        }
        for (key, value) in state {
            let old = before.first { $0.0 == key }?.1 ?? "-"
            if old != value { changes.append("\(key): \(old) -> \(value)") }
        }
        guard announce else { return changes }
        var data = JSONObject()
        data.append("vm", .string(vmName))
        data.append("version", .string(remoteVersion))
        data.append("changes", .array(changes.map { .string($0) }))
        data.append("warning", .string("events sent while disconnected were lost"))
        events.append(Self.consoleEvent("QMP_RECONNECTED", data))
        return changes
    }

    /// Status, migration status and block devices: what an operator would check after a gap.
    private func readState() -> [(String, String)] {
        var result: [(String, String)] = []
        if case .reply(let r)? = connection?.request("query-status", arguments: nil, timeoutNanoseconds: options.connectTimeoutNanoseconds)
        {
            result.append(("status", r["return"]?["status"]?.stringValue ?? "?"))
        }
        if case .reply(let r)? = connection?.request("query-migrate", arguments: nil, timeoutNanoseconds: options.connectTimeoutNanoseconds)
        {
            result.append(("migration", r["return"]?["status"]?.stringValue ?? "none"))
        }
        if case .reply(let r)? = connection?.request("query-block", arguments: nil, timeoutNanoseconds: options.connectTimeoutNanoseconds) {
            let devices = (r["return"]?.arrayValue ?? []).map { d -> String in
                let name = d["device"]?.stringValue ?? "?"
                let size = d["inserted"]?["image"]?["virtual-size"]?.int64Value.map { "=\($0)" } ?? ""
                return name + size
            }
            result.append(("block devices", devices.isEmpty ? "none" : devices.joined(separator: ",")))
        }
        return result
    }

    private func received(_ event: JSONValue) {
        guard var object = event.objectValue else { return }
        // Keep the state current from what the VM announces, for the reconnect comparison.
        switch object["event"]?.stringValue {
        case "STOP": setState("status", "paused")
        case "RESUME": setState("status", "running")
        case "MIGRATION": if let s = object["data"]?["status"]?.stringValue { setState("migration", s) }
        case "SHUTDOWN": setState("status", "shutdown")
        default: break
        }
        if options.tagsEvents { object.append("vm", .string(vmName)) }
        events.append(.object(object))
    }

    private func setState(_ key: String, _ value: String) {
        if let i = state.firstIndex(where: { $0.0 == key }) { state[i].1 = value } else { state.append((key, value)) }
    }

    private func lost(_ reason: String) {
        var data = JSONObject()
        data.append("vm", .string(vmName))
        data.append("reason", .string(reason))
        events.append(Self.consoleEvent("QMP_DISCONNECTED", data))
        nextReconnectAttempt = EventLoop.monotonicNanoseconds() + 1_000_000_000
    }

    /// An event the console makes itself (not QEMU's): connection changes, in QMP event form.
    static func consoleEvent(_ name: String, _ data: JSONObject) -> JSONValue {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return .object([
            "event": .string(name), "data": .object(data),
            "timestamp": .object(["seconds": .int(Int64(ts.tv_sec)), "microseconds": .int(Int64(ts.tv_nsec / 1000))]),
        ])
    }

    /// With `--reconnect`, tries again (at most once a second) when the VM is gone.
    private func reconnectIfAsked() {
        guard options.reconnect, !isConnected, EventLoop.monotonicNanoseconds() >= nextReconnectAttempt else { return }
        nextReconnectAttempt = EventLoop.monotonicNanoseconds() + 1_000_000_000
        do {
            try reconnect()
        } catch {
            log?.note(vmName, "reconnect failed: \(error)")
        }
    }

    // MARK: - Requests

    /// Sends one request after checking it against the remote's schema; answers the reply object.
    private func send(_ command: String, _ arguments: JSONValue?) throws(QMPError) -> JSONValue {
        reconnectIfAsked()
        guard let connection, connection.isOpen else {
            let reason = disconnectReason ?? "not connected"
            throw QMPError.generic(
                "VM '\(vmName)' is disconnected (\(reason)); nothing was sent",
                hint: options.reconnect ? "hmp retries the connection every second" : "reconnect with 'connect \(vmName)'")
        }
        if let refusal = VersionAdaptation.refusal(
            command: command, arguments: arguments ?? .object(JSONObject()), remote: remoteSchema, version: versionNumber)
        {
            log?.note(vmName, "not sent: \(refusal)")
            // CommandNotFound as QEMU answers an unknown command; anything else is a GenericError.
            throw QMPError(remoteSchema.command(command) == nil ? .commandNotFound : .genericError, refusal)
        }
        switch connection.request(command, arguments: arguments, timeoutNanoseconds: options.commandTimeoutNanoseconds) {
        case .reply(let reply):
            if let error = reply["error"] {
                let errorClass = error["class"]?.stringValue.flatMap(QMPErrorClass.init(rawValue:)) ?? .genericError
                throw QMPError(errorClass, error["desc"]?.stringValue ?? error.description)
            }
            return reply
        case .timedOut:
            throw QMPError.generic(
                "VM '\(vmName)' at \(address) did not answer '\(command)' within \(seconds(options.commandTimeoutNanoseconds)): its outcome is unknown",
                hint: "hmp does not send it again; check the VM's state before retrying")
        case .closed(let reason, let sent):
            guard sent else { throw QMPError.generic("VM '\(vmName)' is disconnected (\(reason)); nothing was sent") }
            var hint = "hmp does not send it again"
            if options.reconnect {
                do {
                    let changes = try reconnect()
                    hint += "; reconnected, state now: " + state.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
                    if changes.isEmpty { hint += " (unchanged)" }
                } catch {
                    hint += "; reconnecting failed: \(error)"
                }
            }
            throw QMPError.generic("VM '\(vmName)' went away before answering '\(command)' (\(reason)): its outcome is unknown", hint: hint)
        }
    }

    /// `7.2.22`, for refusals (`QEMU 7.2.22 has no ...`).
    private var versionNumber: String { String(remoteVersion.dropFirst("QEMU ".count)) }

    public func execute<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(QMPError) -> C.Returns {
        let encoded = arguments.qapi
        // No "arguments" member for a command that takes none (JSONValue reads `nil` as null).
        let reply = try send(C.name, encoded.objectValue?.isEmpty == true ? JSONValue?.none : encoded)
        let returned = reply["return"] ?? .object(JSONObject())
        let type = QAPISchema.command(named: C.name)?.returnsType ?? "any"
        var extras: [RemoteExtra] = []
        guard let fitted = VersionAdaptation.fit(returned, type: type, extras: &extras) else {
            throw QMPError.generic("\(remoteVersion)'s reply to '\(C.name)' has a value hmp's schema does not know: \(returned)")
        }
        replies[C.name] = returned
        replyExtras[C.name] = extras
        do {
            return try C.Returns(qapi: fitted)
        } catch {
            throw QMPError.generic("\(remoteVersion)'s reply to '\(C.name)' does not fit hmp's schema: \(error)")
        }
    }

    public func dispatch(_ request: JSONValue) -> JSONValue {
        guard let command = request["execute"]?.stringValue else {
            return .object(["error": QMPError.generic("QMP input lacks member 'execute'").qmpValue])
        }
        do {
            var reply = try send(command, request["arguments"])
            if var object = reply.objectValue {
                object = JSONObject(members: object.members.filter { $0.key != "id" })
                if let id = request["id"] { object.append("id", id) }
                reply = .object(object)
            }
            return reply
        } catch {
            var object: JSONObject = ["error": error.qmpValue]
            if let id = request["id"] { object.append("id", id) }
            return .object(object)
        }
    }

    public func synchronize() {
        reconnectIfAsked()
        connection?.poll()
    }

    /// Asked while `wait` runs: true ends the wait early (Ctrl-C in the console).
    public var waitInterrupted: () -> Bool = { false }

    public func wait(nanoseconds: UInt64) {
        loop.run(forAtMost: nanoseconds) { waitInterrupted() }
    }

    public func takeEvents() -> [JSONValue] {
        synchronize()
        defer { events.removeAll() }
        return events
    }

    // MARK: - Remote extras

    public func lastReply(to command: String) -> JSONValue? { replies[command] }

    public func extras(ofLastReplyTo command: String) -> [RemoteExtra] { replyExtras[command] ?? [] }

    public func passThrough(_ line: String, cpuIndex: Int64?) throws(QMPError) -> String {
        var arguments: JSONObject = ["command-line": .string(line)]
        if let cpuIndex { arguments["cpu-index"] = .int(cpuIndex) }
        let reply = try send("human-monitor-command", .object(arguments))
        return reply["return"]?.stringValue ?? ""
    }

    public func schemaNames(command: String, path: [String]) -> [String] {
        guard let type = remoteSchema.command(command)?["arg-type"]?.stringValue else { return [] }
        if path.isEmpty { return remoteSchema.allVariantMembers(type).map(\.name) }
        guard var member = memberType(command: command, path: path) else { return [] }
        if let element = remoteSchema.elementType(member) { member = element }
        return remoteSchema.enumValues(member) ?? []
    }

    public func schemaJSONType(command: String, path: [String]) -> String? {
        guard !path.isEmpty, let type = memberType(command: command, path: path) else { return nil }
        if let builtin = remoteSchema.entity(type), builtin["meta-type"]?.stringValue == "builtin" {
            return builtin["json-type"]?.stringValue
        }
        return remoteSchema.metaType(type)
    }

    /// The remote's type of the argument member at `path` (arrays stepped through on the way).
    private func memberType(command: String, path: [String]) -> String? {
        guard var type = remoteSchema.command(command)?["arg-type"]?.stringValue else { return nil }
        for component in path {
            if let element = remoteSchema.elementType(type) { type = element }
            guard let member = remoteSchema.allVariantMembers(type).first(where: { $0.name == component }) else { return nil }
            type = member.type
        }
        return type
    }

    public func disconnect() {
        connection?.close(reason: "closed by hmp")
        connection = nil
    }
}
