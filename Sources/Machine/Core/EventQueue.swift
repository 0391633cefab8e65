import QAPI

/// One schema event as the model emitted it, stamped with model time.
public struct EmittedEvent: Sendable, Hashable {
    public var name: String
    public var data: JSONValue
    public var time: ModelTime

    public init(name: String, data: JSONValue, time: ModelTime) {
        self.name = name
        self.data = data
        self.time = time
    }

    /// The QMP wire form; `epochMicroseconds` is the wall-clock time at model time zero.
    public func qmpValue(epochMicroseconds: UInt64) -> JSONValue {
        let micros = epochMicroseconds + time.nanoseconds / 1000
        var object = JSONObject(capacity: 3)
        object.append("event", .string(name))
        if case .object(let o) = data, o.isEmpty {
            // QEMU leaves out "data" for events without members.
        } else {
            object.append("data", data)
        }
        object.append("timestamp", ["seconds": .int(Int64(micros / 1_000_000)), "microseconds": .int(Int64(micros % 1_000_000))])
        return .object(object)
    }
}

/// Events waiting for whoever listens (the console prints them). Subsystems of the model
/// append; the listener drains.
public final class EventQueue {
    public private(set) var pending: [EmittedEvent] = []

    public init() {}

    public func emit<E: QAPIEvent>(_ event: E, at time: ModelTime) {
        pending.append(EmittedEvent(name: E.name, data: event.qapi, time: time))
    }

    /// Takes every pending event, oldest first.
    public func drain() -> [EmittedEvent] {
        defer { pending.removeAll(keepingCapacity: true) }
        return pending
    }
}
