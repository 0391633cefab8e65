import QAPI

/// The events the console has seen, newest last, at most `capacity` of them, each with the
/// command line that caused it when there is one. Every event the backend reports passes
/// through here before anything prints it, so none is lost to a command that waited.
public final class EventHistory {
    public struct Entry: Sendable, Equatable {
        /// The event in QMP wire form (`event`, `data`, `timestamp`).
        public var event: JSONValue
        /// The command line that caused it, if any.
        public var cause: String?

        public var name: String { event["event"]?.stringValue ?? "" }

        /// The QMP event, plus `caused-by` when a command caused it.
        public var qmpValue: JSONValue {
            guard let cause, case .object(var object) = event else { return event }
            object.append("caused-by", .string(cause))
            return .object(object)
        }
    }

    public static let defaultCapacity = 1_000

    /// How many events are kept; the oldest go first.
    public var capacity: Int {
        didSet { trim() }
    }
    public private(set) var entries: [Entry] = []
    /// Called with each event as it is recorded (`--log-events` appends it to a file).
    public var log: ((Entry) -> Void)?

    /// Which command started the thing an event is about (a migration, a job), so events that
    /// arrive later, while the prompt waits, still name the command behind them.
    private var causes: [String: String] = [:]

    public init(capacity: Int = EventHistory.defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    /// Records events as they arrive; `running` is the command line running meanwhile.
    public func record(_ events: [JSONValue], running: String?) {
        for event in events {
            let subject = Self.subject(of: event)
            // Commands that only look or let time pass (wait, watch, sleep, info) cause nothing:
            // what arrives meanwhile belongs to the command that started its subject.
            let active = running.flatMap { Self.isPassive($0) ? nil : $0 }
            var cause = active
            if let subject {
                if let active, causes[subject] == nil || Self.starts(event) { causes[subject] = active }
                cause = active ?? causes[subject]
            }
            let entry = Entry(event: event, cause: cause)
            entries.append(entry)
            log?(entry)
        }
        trim()
    }

    /// The last `count` entries, oldest first, optionally only those named `name` and leaving
    /// out those `excluding` picks.
    public func last(_ count: Int, named name: String? = nil, excluding: ((JSONValue) -> Bool)? = nil) -> [Entry] {
        let wanted = name?.uppercased()
        var matching = wanted.map { n in entries.filter { $0.name == n } } ?? entries
        if let excluding { matching.removeAll { excluding($0.event) } }
        return Array(matching.suffix(max(0, count)))
    }

    private func trim() {
        // Dropping in chunks keeps appends cheap when the history is full.
        if entries.count > capacity + capacity / 4 {
            entries.removeFirst(entries.count - capacity)
        } else if entries.count > capacity, capacity < 64 {
            entries.removeFirst(entries.count - capacity)
        }
    }

    static let passiveCommands: Set<String> = ["wait", "watch", "sleep", "info", "help", "?", "explain"]

    static func isPassive(_ line: String) -> Bool {
        let word = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
        return passiveCommands.contains(word)
    }

    /// What an event is about: the outgoing migration, or a job by its id.
    static func subject(of event: JSONValue) -> String? {
        let name = event["event"]?.stringValue ?? ""
        if name == "MIGRATION" || name == "MIGRATION_PASS" { return "migration" }
        if let id = event["data"]?["id"]?.stringValue ?? event["data"]?["device"]?.stringValue,
            name.hasPrefix("BLOCK_JOB") || name == "JOB_STATUS_CHANGE"
        {
            return "job:" + id
        }
        return nil
    }

    /// An event that begins a new subject (a migration's setup, a job's creation).
    static func starts(_ event: JSONValue) -> Bool {
        let status = event["data"]?["status"]?.stringValue
        return status == "setup" || status == "created"
    }
}
