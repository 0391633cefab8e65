import Backend
import EventLoop
import QAPI

/// The QEMUs one console drives, by name, one of them current. As a backend it is the current
/// VM; events come from all of them (tagged with their VM when there are several).
public final class VMGroup: RemoteMonitorBackend, VMSelecting {
    public let members: [QMPClientBackend]
    private var current: QMPClientBackend

    public init(_ members: [QMPClientBackend]) {
        precondition(!members.isEmpty, "a VM group needs at least one VM")
        self.members = members
        current = members[0]
    }

    /// Connects to every VM (in order, each within the connect timeout); throws the first failure.
    public static func connect(
        _ vms: [(name: String, address: QEMUAddress)], loop: EventLoop, log: QMPLog?, options: QMPClientBackend.Options
    ) throws(QMPClientError) -> VMGroup {
        var members: [QMPClientBackend] = []
        for vm in vms {
            members.append(try QMPClientBackend(name: vm.name, address: vm.address, loop: loop, log: log, options: options))
        }
        return VMGroup(members)
    }

    /// Asked while a wait runs: true ends it early (Ctrl-C in the console).
    public var waitInterrupted: () -> Bool = { false } {
        didSet { for vm in members { vm.waitInterrupted = waitInterrupted } }
    }

    public func member(_ name: String) -> QMPClientBackend? { members.first { $0.vmName == name } }

    // MARK: VMSelecting

    public var vmNames: [String] { members.map(\.vmName) }
    public var currentVM: String { current.vmName }

    public func select(_ name: String) -> Bool {
        guard let vm = member(name) else { return false }
        current = vm
        return true
    }

    public func reconnect(_ name: String) throws(QMPError) -> [String] {
        guard let vm = member(name) else {
            throw QMPError.generic("there is no VM '\(name)'; the VMs are: \(vmNames.joined(separator: ", "))")
        }
        do {
            return try vm.reconnect(announce: false)
        } catch {
            throw QMPError.generic(error.description)
        }
    }

    // MARK: RemoteMonitorBackend (the current VM)

    public var vmName: String { current.vmName }
    public var remoteVersion: String { current.remoteVersion }

    public func execute<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(QMPError) -> C.Returns {
        try current.execute(command, arguments)
    }

    public func dispatch(_ request: JSONValue) -> JSONValue { current.dispatch(request) }

    public func synchronize() {
        for vm in members { vm.synchronize() }
    }

    public func wait(nanoseconds: UInt64) { current.wait(nanoseconds: nanoseconds) }

    public func takeEvents() -> [JSONValue] {
        guard members.count > 1 else { return current.takeEvents() }
        var all: [(Int, JSONValue)] = []
        for (index, vm) in members.enumerated() { all += vm.takeEvents().map { (index, $0) } }
        // Oldest first across VMs, by the QEMUs' own timestamps.
        func micros(_ e: JSONValue) -> Int64 {
            (e["timestamp"]?["seconds"]?.int64Value ?? 0) * 1_000_000 + (e["timestamp"]?["microseconds"]?.int64Value ?? 0)
        }
        return all.sorted { micros($0.1) < micros($1.1) }.map(\.1)
    }

    public func lastReply(to command: String) -> JSONValue? { current.lastReply(to: command) }
    public func extras(ofLastReplyTo command: String) -> [RemoteExtra] { current.extras(ofLastReplyTo: command) }
    public func passThrough(_ line: String, cpuIndex: Int64?) throws(QMPError) -> String {
        try current.passThrough(line, cpuIndex: cpuIndex)
    }
    public func schemaNames(command: String, path: [String]) -> [String] { current.schemaNames(command: command, path: path) }
    public func schemaJSONType(command: String, path: [String]) -> String? { current.schemaJSONType(command: command, path: path) }
}
