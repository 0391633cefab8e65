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
                the migration or job it is about). Times are local wall-clock times; on the virtual clock they are \
                model time since the start (+2.000 s). Failures show in red on a terminal. The job events of \
                savevm, loadvm and delvm, which run as internal jobs, show only with -a. --format json prints \
                them as QMP events, one a line, with a "caused-by" member. hmp --log-events FILE also appends \
                each as a JSON line as it arrives.
                """,
            handler: show)
    ]

    struct Arguments: HMPArgumentValues {
        var count: Int64?
        var name: String?
        var all = false
        static let signature = HMPSignature<Arguments>(
            .flag("n", "count", .int64, \.count, help: "how many of the latest to show (default 20)"),
            .flag("a", "all", \.all, help: "also the job events of savevm, loadvm and delvm's internal jobs"),
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
        let hidden = arguments.all ? nil : EventPresentation.isInternal
        let entries = session.eventHistory.last(Int(min(count, Int64(Int.max))), named: name, excluding: hidden)
        switch invocation.format {
        case .json:
            return HMPOutput(entries.map { $0.qmpValue.description + "\n" }.joined())
        case .table, .qemu:
            guard !entries.isEmpty else {
                return HMPOutput(name.map { "No \($0.uppercased()) event seen yet\n" } ?? "No event seen yet\n")
            }
            let origin = invocation.backend.modelTimeOriginMicroseconds
            var table =
                origin == nil
                ? TextTable(headers: ["Time", "Event", "Data", "Caused by"])
                : TextTable(headers: ["Model time", "Event", "Data", "Caused by"], alignments: [.right, .left, .left, .left])
            for entry in entries {
                table.add([
                    EventPresentation.time(entry.event["timestamp"], modelTimeFrom: origin), entry.name,
                    dataText(entry.event["data"]), entry.cause ?? "-",
                ])
            }
            return HMPOutput(colourFailures(table.render(), entries: entries, style: session.failureStyle))
        }
    }

    /// The rendered table with the rows of failure events styled: rows follow the header and
    /// its rule in the order of `entries`.
    static func colourFailures(_ text: String, entries: [EventHistory.Entry], style: ((String) -> String)?) -> String {
        guard let style, entries.contains(where: { EventPresentation.isFailure($0.event) }) else { return text }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (i, entry) in entries.enumerated() where EventPresentation.isFailure(entry.event) && i + 2 < lines.count {
            lines[i + 2] = style(lines[i + 2])
        }
        return lines.joined(separator: "\n")
    }

    static func dataText(_ data: JSONValue?) -> String {
        guard case .object(let object)? = data else { return "" }
        return object.map { "\($0.key)=\($0.value.stringValue ?? $0.value.description)" }.joined(separator: " ")
    }
}
