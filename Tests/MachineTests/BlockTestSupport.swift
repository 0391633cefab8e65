import QAPI
import Testing

@testable import Machine

/// The error a model call throws, or nil when it succeeds.
func failure(_ body: () throws -> Void) -> QMPError? {
    do {
        try body()
        return nil
    } catch {
        return error as? QMPError ?? QMPError(.genericError, "unexpected error: \(error)")
    }
}

/// A block layer with the given disk specs and its event queue.
func blockLayer(_ specs: [String]) throws -> (BlockLayer, EventQueue) {
    let events = EventQueue()
    let disks = try specs.map { spec in try DiskSpec.parse(spec) }
    return (try BlockLayer(events: events, disks: disks), events)
}

extension EventQueue {
    /// Drains and answers the names of the pending events.
    func names() -> [String] { drain().map(\.name) }

    /// Drains and answers the events with one name.
    func take(_ name: String) -> [EmittedEvent] { drain().filter { $0.name == name } }
}

extension JSONValue {
    subscript(_ key: String) -> JSONValue? {
        guard case .object(let o) = self else { return nil }
        return o[key]
    }

    var int: Int64? {
        switch self {
        case .int(let i): i
        case .uint(let u): Int64(exactly: u)
        default: nil
        }
    }

    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}

let GiB: UInt64 = 1 << 30
let MiB: UInt64 = 1 << 20

func seconds(_ s: UInt64) -> ModelTime { ModelTime(nanoseconds: s * 1_000_000_000) }
