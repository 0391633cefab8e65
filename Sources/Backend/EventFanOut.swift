import QAPI

/// Shares one backend's events among several listeners (the console, QMP clients): the
/// backend's `takeEvents()` drains, so this is the only place that calls it, and each
/// listener gets every event once, in order.
public final class EventFanOut {
    public let source: any MonitorBackend
    public typealias Listener = ([JSONValue]) -> Void
    /// Names a listener, for `removeListener`.
    public struct ListenerID: Hashable, Sendable {
        let value: Int
    }

    private var listeners: [(id: Int, deliver: Listener)] = []
    private var nextID = 0

    public init(source: any MonitorBackend) {
        self.source = source
    }

    @discardableResult
    public func addListener(_ deliver: @escaping Listener) -> ListenerID {
        nextID += 1
        listeners.append((nextID, deliver))
        return ListenerID(value: nextID)
    }

    public func removeListener(_ id: ListenerID) {
        listeners.removeAll { $0.id == id.value }
    }

    /// Takes what the backend has emitted and hands it to every listener.
    public func pump() {
        let events = source.takeEvents()
        guard !events.isEmpty else { return }
        for listener in listeners { listener.deliver(events) }
    }
}

/// The backend as one listener of a fan-out sees it: commands go straight through, and
/// `takeEvents()` answers the events this view has not taken yet, whoever pumped them.
public final class SharedEventsBackend: MonitorBackend {
    public let fanOut: EventFanOut
    private var queued: [JSONValue] = []
    /// Events kept for a reader that does not come back (a batch waiting on its input);
    /// the oldest go first beyond this.
    public static let queueLimit = 10_000

    public init(fanOut: EventFanOut) {
        self.fanOut = fanOut
        fanOut.addListener { [unowned self] events in
            queued.append(contentsOf: events)
            if queued.count > Self.queueLimit { queued.removeFirst(queued.count - Self.queueLimit) }
        }
    }

    public func execute<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(QMPError) -> C.Returns {
        try fanOut.source.execute(command, arguments)
    }

    public func dispatch(_ request: JSONValue) -> JSONValue { fanOut.source.dispatch(request) }

    public func synchronize() { fanOut.source.synchronize() }

    public var snapshotLookup: (any SnapshotLookup)? { fanOut.source.snapshotLookup }

    public func wait(nanoseconds: UInt64) { fanOut.source.wait(nanoseconds: nanoseconds) }

    public func waitForEvent(atMost nanoseconds: UInt64) -> UInt64 {
        // Events another listener already pumped count as arrived.
        fanOut.pump()
        guard queued.isEmpty else { return 0 }
        return fanOut.source.waitForEvent(atMost: nanoseconds)
    }

    public func takeEvents() -> [JSONValue] {
        fanOut.pump()
        defer { queued.removeAll(keepingCapacity: true) }
        return queued
    }
}
