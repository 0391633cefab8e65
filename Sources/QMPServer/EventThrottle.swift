import EventLoop
import QAPI

/// QEMU's rate limit on events a guest can trigger in bursts (monitor_qapi_event_queue_no_reenter()):
/// the first event of a kind goes out at once; during the following second further ones are
/// held, each replacing the one held before, and the last is sent when the second is over
/// (which starts another second). Events of other kinds pass untouched.
final class EventThrottle {
    /// QEMU's `monitor_qapi_event_conf`: which events are limited, and how often they may go out.
    static let intervals: [String: UInt64] = [
        "RTC_CHANGE": 1_000_000_000, "BLOCK_IO_ERROR": 1_000_000_000, "WATCHDOG": 1_000_000_000,
        "BALLOON_CHANGE": 1_000_000_000, "QUORUM_REPORT_BAD": 1_000_000_000, "QUORUM_FAILURE": 1_000_000_000,
        "VSERPORT_CHANGE": 1_000_000_000, "MEMORY_DEVICE_SIZE_CHANGE": 1_000_000_000,
        "HV_BALLOON_STATUS_REPORT": 1_000_000_000,
    ]

    /// Events limited separately per device: the data member that names it
    /// (qapi_event_throttle_equal()).
    static let keyMembers: [String: String] = [
        "VSERPORT_CHANGE": "id", "QUORUM_REPORT_BAD": "node-name", "MEMORY_DEVICE_SIZE_CHANGE": "qom-path",
        "BLOCK_IO_ERROR": "qom-path",
    ]

    private struct Key: Hashable {
        var event: String
        var instance: String
    }

    private struct Held {
        var event: JSONValue?
    }

    private let loop: EventLoop
    private let send: (JSONValue) -> Void
    /// Replaces every interval (tests use a short one).
    var intervalOverride: UInt64?
    private var held: [Key: Held] = [:]
    private var timers: [Key: EventLoop.Token] = [:]

    init(loop: EventLoop, send: @escaping (JSONValue) -> Void) {
        self.loop = loop
        self.send = send
    }

    func submit(_ event: JSONValue) {
        guard let name = event["event"]?.stringValue, let standard = Self.intervals[name] else {
            send(event)
            return
        }
        // An I/O error that stops the guest is news a manager must not miss (QEMU 10.x).
        if name == "BLOCK_IO_ERROR", event["data"]?["action"]?.stringValue == "stop" {
            send(event)
            return
        }
        let interval = intervalOverride ?? standard
        let instance = Self.keyMembers[name].flatMap { event["data"]?[$0]?.stringValue } ?? ""
        let key = Key(event: name, instance: instance)
        if held[key] != nil {
            held[key]?.event = event
            return
        }
        send(event)
        held[key] = Held(event: nil)
        arm(key, interval)
    }

    private func arm(_ key: Key, _ interval: UInt64) {
        timers[key] = loop.schedule(after: interval) { [weak self] in self?.intervalOver(key, interval) }
    }

    private func intervalOver(_ key: Key, _ interval: UInt64) {
        if let pending = held[key]?.event {
            send(pending)
            held[key] = Held(event: nil)
            arm(key, interval)
        } else {
            held[key] = nil
            timers[key] = nil
        }
    }

    func cancelAll() {
        for token in timers.values { loop.cancel(token) }
        timers = [:]
        held = [:]
    }
}
