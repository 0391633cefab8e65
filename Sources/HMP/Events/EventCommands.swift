import QAPI

/// `info events`: the console's event history.
enum EventCommands {
    /// Event names completion offers (those the console's backends send).
    static let knownNames = [
        "BLOCK_IO_ERROR", "BLOCK_JOB_CANCELLED", "BLOCK_JOB_COMPLETED", "BLOCK_JOB_ERROR", "BLOCK_JOB_PENDING", "BLOCK_JOB_READY",
        "BLOCK_WRITE_THRESHOLD", "DEVICE_TRAY_MOVED", "JOB_STATUS_CHANGE", "MIGRATION", "MIGRATION_PASS", "RESUME", "STOP",
    ]

    static let infoCommands: [HMPCommand] = [
        HMPCommand(
            "events", Arguments.self,
            help: "show the latest events with their times and the command that caused them", qmp: "none (local history)",
            details: """
                The console keeps the last \(EventHistory.defaultCapacity) events it has seen, with QEMU's timestamps \
                and the command line that caused each (the one running when it arrived, or the one that started \
                the migration or job it is about). --format json prints them as QMP events, one a line, with a \
                "caused-by" member. hmp --log-events FILE also appends each as a JSON line as it arrives.
                """,
            handler: show)
    ]

    struct Arguments: HMPArgumentValues {
        var count: Int64?
        var name: String?
        static let signature = HMPSignature<Arguments>(
            .flag("n", "count", .int64, \.count, help: "how many of the latest to show (default 20)"),
            .argument("name", .string, \.name, completion: .values(knownNames), help: "only events of this name"))
    }

    static let defaultCount: Int64 = 20

    static func show(_ invocation: HMPInvocation, _ arguments: Arguments) throws(HMPError) -> HMPOutput {
        var count = defaultCount
        if let n = arguments.count {
            guard n >= 0 else { throw .usage("info events: -n takes a count of 0 or more", command: "info events") }
            count = n
        }
        let name = arguments.name
        let session = invocation.session
        session.pumpEvents()
        let entries = session.eventHistory.last(Int(min(count, Int64(Int.max))), named: name)
        switch invocation.format {
        case .json:
            return HMPOutput(entries.map { $0.qmpValue.description + "\n" }.joined())
        case .table, .qemu:
            guard !entries.isEmpty else {
                return HMPOutput(name.map { "No \($0.uppercased()) event seen yet\n" } ?? "No event seen yet\n")
            }
            var table = TextTable(headers: ["Time", "Event", "Data", "Caused by"])
            for entry in entries {
                table.add([
                    timestamp(entry.event["timestamp"]), entry.name,
                    dataText(entry.event["data"]), entry.cause ?? "-",
                ])
            }
            return HMPOutput(table.render())
        }
    }

    /// `HH:MM:SS.mmm` UTC, as the event's timestamp says.
    static func timestamp(_ value: JSONValue?) -> String {
        guard let s = value?["seconds"]?.int64Value, let us = value?["microseconds"]?.int64Value, s >= 0 else { return "-" }
        let day = s % 86_400
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : String(v) }
        let ms = us / 1000
        let msText = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : String(ms)
        return "\(two(day / 3600)):\(two(day % 3600 / 60)):\(two(day % 60)).\(msText)"
    }

    static func dataText(_ data: JSONValue?) -> String {
        guard case .object(let object)? = data else { return "" }
        return object.map { "\($0.key)=\($0.value.stringValue ?? $0.value.description)" }.joined(separator: " ")
    }
}
