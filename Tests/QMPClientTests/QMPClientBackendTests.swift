import Backend
import EventLoop
import QAPI
import QMPClient
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A stand-in QEMU served by the same event loop as the client: it greets, answers the
/// negotiation from a small schema, and answers or ignores the rest as the test says.
private final class FakeQEMU {
    let path: String
    let loop: EventLoop
    private let listener: Int32
    private var client: Int32 = -1
    private var pending: [UInt8] = []
    /// What the fake answers to a command (nil: no answer at all).
    var answer: (String, JSONValue?) -> JSONValue? = { _, _ in .object([:]) }
    private(set) var received: [String] = []

    static let schema: JSONValue = [
        ["name": "query-status", "meta-type": "command", "arg-type": "0", "ret-type": "1"],
        ["name": "migrate-set-parameters", "meta-type": "command", "arg-type": "2", "ret-type": "0"],
        ["name": "0", "meta-type": "object", "members": []],
        ["name": "1", "meta-type": "object", "members": [["name": "status", "type": "str"], ["name": "running", "type": "bool"]]],
        ["name": "2", "meta-type": "object", "members": [["name": "max-bandwidth", "type": "int", "default": nil]]],
        ["name": "int", "meta-type": "builtin", "json-type": "int"],
    ]

    init(loop: EventLoop) {
        self.loop = loop
        path = "/tmp/hmp-fake-qemu-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).qmp"
        unlink(path)
        #if canImport(Glibc)
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        listener = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
        }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        listen(listener, 1)
        loop.watch(listener) { [unowned self] in accepted() }
    }

    deinit {
        if client >= 0 { close(client) }
        close(listener)
        unlink(path)
    }

    private func accepted() {
        client = accept(listener, nil, nil)
        send(["QMP": ["version": ["qemu": ["major": 7, "minor": 2, "micro": 22], "package": ""], "capabilities": []]])
        loop.watch(client) { [unowned self] in readable() }
    }

    func send(_ value: JSONValue) {
        let bytes = Array((value.description + "\r\n").utf8)
        _ = bytes.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
    }

    func hangUp() {
        close(client)
        client = -1
    }

    private func readable() {
        guard client >= 0 else { return }
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = chunk.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
        guard n > 0 else { return }
        pending += chunk[0..<n]
        while let newline = pending.firstIndex(of: 0x0A) {
            let line = Array(pending[..<newline])
            pending.removeFirst(newline + 1)
            guard let request = try? JSONParser.parse(bytes: line), let name = request["execute"]?.stringValue else { continue }
            received.append(name)
            let reply: JSONValue?
            switch name {
            case "qmp_capabilities": reply = .object([:])
            case "query-version": reply = ["qemu": ["major": 7, "minor": 2, "micro": 22], "package": ""]
            case "query-qmp-schema": reply = Self.schema
            default: reply = answer(name, request["arguments"])
            }
            if let reply { send(["return": reply, "id": request["id"] ?? .null]) }
        }
    }
}

@Suite struct QMPClientBackendTests {
    private func connect(_ fake: FakeQEMU, timeout: UInt64 = 1_000_000_000) throws -> QMPClientBackend {
        var options = QMPClientBackend.Options()
        options.commandTimeoutNanoseconds = timeout
        return try QMPClientBackend(name: "t", address: QEMUAddress(.unix(path: fake.path)), loop: fake.loop, log: nil, options: options)
    }

    @Test func negotiatesThenDecodesTypedRepliesKeepingExtras() throws {
        let fake = FakeQEMU(loop: EventLoop())
        fake.answer = { name, _ in name == "query-status" ? ["status": "running", "running": true, "singlestep": false] : .object([:]) }
        let backend = try connect(fake)
        #expect(backend.remoteVersion == "QEMU 7.2.22")
        #expect(Array(fake.received.prefix(3)) == ["qmp_capabilities", "query-version", "query-qmp-schema"])
        let status = try backend.execute(QueryStatusCommand.self, QAPIEmpty())
        #expect(status.status == .running)
        #expect(backend.extras(ofLastReplyTo: "query-status").map(\.name) == ["singlestep"])
    }

    @Test func refusesWhatTheRemoteLacksWithoutSendingIt() throws {
        let fake = FakeQEMU(loop: EventLoop())
        let backend = try connect(fake)
        let before = fake.received.count
        #expect(throws: QMPError.generic("QEMU 7.2.22 has no migration parameter 'downtime-limit'")) {
            try backend.execute(MigrateSetParametersCommand.self, MigrateSetParameters(downtimeLimit: 5))
        }
        #expect(throws: QMPError(.commandNotFound, "QEMU 7.2.22 has no command 'query-jobs'")) {
            try backend.execute(QueryJobsCommand.self, QAPIEmpty())
        }
        #expect(fake.received.count == before)
        _ = try backend.execute(MigrateSetParametersCommand.self, MigrateSetParameters(maxBandwidth: 5))
        #expect(fake.received.last == "migrate-set-parameters")
    }

    @Test func aLostReplyIsAnUnknownOutcomeAndIsNotResent() throws {
        let fake = FakeQEMU(loop: EventLoop())
        let backend = try connect(fake, timeout: 200_000_000)
        fake.answer = { _, _ in nil }
        let sent = fake.received.count
        do {
            _ = try backend.execute(QueryStatusCommand.self, QAPIEmpty())
            Issue.record("a command without a reply succeeded")
        } catch {
            #expect(error.desc.contains("did not answer 'query-status' within 0.2 s: its outcome is unknown"))
        }
        #expect(fake.received.count == sent + 1)
    }

    @Test func aQEMUThatGoesAwayIsReportedAsAnEvent() throws {
        let fake = FakeQEMU(loop: EventLoop())
        let backend = try connect(fake)
        fake.hangUp()
        fake.loop.run(forAtMost: 500_000_000) { !backend.isConnected }
        let events = backend.takeEvents()
        #expect(events.last?["event"]?.stringValue == "QMP_DISCONNECTED")
        #expect(throws: (any Error).self) { try backend.execute(QueryStatusCommand.self, QAPIEmpty()) }
    }
}
