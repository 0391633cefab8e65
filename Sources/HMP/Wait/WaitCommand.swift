import Backend
import QAPI

/// `wait`: blocks until a condition holds — an event arrives, the migration or a job reaches a
/// state, the guest runs or stops — so a script need not poll with `sleep`. Returns at once
/// when the condition already holds. On the virtual clock the model jumps from one scheduled
/// step to the next until it does (`MonitorBackend.waitForEvent`), so the cost follows what
/// happens, not how much model time passes.
enum WaitCommand {
    /// When no --timeout is given: long enough for any migration a person would wait for,
    /// short enough that a forgotten script ends.
    static let defaultTimeout: UInt64 = 3_600_000_000_000

    struct Arguments: HMPArgumentValues {
        var timeout: UInt64?
        var condition = ""
        static let signature = HMPSignature<Arguments>(
            .flag("t", "timeout", .duration, \.timeout, help: "give up after this long (default 1 h); --timeout D also works at the end"),
            .argument(
                "condition", .rest, \.condition, completion: conditionCompletion,
                help: "event NAME [KEY=VALUE...] | migration STATUS | job ID ready|concluded | status running|paused|STATE"))
    }

    /// The words after each kind of condition, as `parse` reads them.
    static let conditionCompletion = HMPCompletion.keywords([
        "event": [.eventName],
        "migration": [.migrationStatus],
        "job": [.jobID, .values(["ready", "concluded"])],
        "status": [.values(["running", "paused"] + RunState.wireNames)],
    ])

    static let command = HMPCommand(
        "wait", Arguments.self,
        help: "wait until an event arrives or a state is reached", qmp: "query-migrate, query-jobs, query-status, events",
        details: """
            wait event NAME [KEY=VALUE...] waits for the next event NAME whose data has those members \
            (KEY may be a dotted path: data.status). wait migration STATUS waits until query-migrate \
            says STATUS, and fails if the migration ends otherwise. wait job ID ready|concluded waits \
            for a job (a job that ends and is dismissed counts as concluded). wait status running|paused \
            waits for the guest to run, or to stop for any reason; any other run state name waits for \
            that state. A condition that already holds returns at once. Prints the event (or state) \
            that ended the wait. On timeout the line fails, and a batch exits with status 2 rather than 1. \
            On the virtual clock the model clock moves on to the event.
            """,
        handler: run)

    enum Condition {
        case event(name: String, filters: [(path: [String], value: String)])
        case migration(MigrationStatus)
        case job(id: String, wanted: JobStatus)
        case runState(running: Bool?, exact: RunState?)

        var text: String {
            switch self {
            case .event(let name, let filters):
                ([name] + filters.map { $0.path.joined(separator: ".") + "=" + $0.value }).joined(separator: " ")
            case .migration(let s): "migration \(s.rawValue)"
            case .job(let id, let wanted): "job \(id) \(wanted.rawValue)"
            case .runState(let running, let exact): "status " + (exact?.rawValue ?? (running == true ? "running" : "paused"))
            }
        }
    }

    static func usage(_ message: String) -> HMPError { .usage("wait: " + message, command: "wait") }

    /// Reads the condition words and a trailing `--timeout D`.
    static func parse(_ text: String, flagTimeout: UInt64?) throws(HMPError) -> (Condition, UInt64) {
        var words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var timeout = flagTimeout ?? defaultTimeout
        if let i = words.firstIndex(where: { $0 == "--timeout" || $0 == "-t" || $0.hasPrefix("--timeout=") }) {
            var value: String
            if let eq = words[i].firstIndex(of: "=") {
                value = String(words[i][words[i].index(after: eq)...])
                words.remove(at: i)
            } else {
                guard i + 1 < words.count else { throw usage("--timeout needs a duration (500ms, 2s, 1m)") }
                value = words[i + 1]
                words.removeSubrange(i...(i + 1))
            }
            do {
                timeout = try DurationParser.parse(value)
            } catch {
                throw usage("--timeout: \(error.description)")
            }
        }
        guard let kind = words.first else { throw usage("what to wait for: event, migration, job or status") }
        let rest = Array(words.dropFirst())
        switch kind {
        case "event":
            guard let name = rest.first else { throw usage("event NAME expected, e.g. wait event MIGRATION status=completed") }
            var filters: [(path: [String], value: String)] = []
            for word in rest.dropFirst() {
                guard let eq = word.firstIndex(of: "="), eq != word.startIndex else {
                    throw usage("'\(word)' is not KEY=VALUE")
                }
                var path = word[..<eq].split(separator: ".").map(String.init)
                if path.first == "data" { path.removeFirst() }
                filters.append((path, String(word[word.index(after: eq)...])))
            }
            return (.event(name: name.uppercased(), filters: filters), timeout)
        case "migration":
            guard rest.count == 1, let status = MigrationStatus(rawValue: rest[0]) else {
                throw usage("migration STATUS expected, one of: \(MigrationStatus.wireNames.joined(separator: ", "))")
            }
            return (.migration(status), timeout)
        case "job":
            guard rest.count == 2 else { throw usage("job ID ready|concluded expected") }
            guard let wanted = JobStatus(rawValue: rest[1]) else {
                throw usage("'\(rest[1])' is not a job status; one of: \(JobStatus.wireNames.joined(separator: ", "))")
            }
            return (.job(id: rest[0], wanted: wanted), timeout)
        case "status":
            guard rest.count == 1 else { throw usage("status running|paused expected") }
            switch rest[0] {
            case "running": return (.runState(running: true, exact: nil), timeout)
            case "paused": return (.runState(running: false, exact: nil), timeout)
            default:
                guard let state = RunState(rawValue: rest[0]) else {
                    throw usage(
                        "'\(rest[0])' is not a run state; running, paused, or one of: \(RunState.wireNames.joined(separator: ", "))")
                }
                return (.runState(running: nil, exact: state), timeout)
            }
        default:
            throw usage("'\(kind)' is not something to wait for; event, migration, job or status")
        }
    }

    static func run(_ invocation: HMPInvocation, _ arguments: Arguments) throws(HMPError) -> HMPOutput {
        let (condition, timeout) = try parse(arguments.condition, flagTimeout: arguments.timeout)
        let session = invocation.session
        guard session.mayWait else {
            throw .plain("wait: this monitor cannot wait (it would hold up the others); run it in the console")
        }
        // A job the history knows of existed: gone now means it concluded and was dismissed.
        var jobSeen = false
        if case .job(let id, _) = condition {
            session.pumpEvents()
            jobSeen = session.eventHistory.entries.contains { $0.name == "JOB_STATUS_CHANGE" && $0.event["data"]?["id"]?.stringValue == id }
        }
        var waited: UInt64 = 0
        // Events already taken but not printed count as arrived during the wait.
        var events = session.undeliveredEvents
        while true {
            if let done = try check(condition, events: events, invocation: invocation, jobSeen: &jobSeen) {
                return done
            }
            if session.interrupted() {
                throw .plain("wait: stopped waiting for \(condition.text)")
            }
            guard waited < timeout else {
                session.timedOut = true
                throw .plain(
                    "wait: timed out after \(MigrationUnits.duration(seconds: Double(waited) / 1e9)) waiting for \(condition.text)")
            }
            let step = session.backend.waitForEvent(atMost: timeout - waited)
            waited &+= max(step, 1)
            events = session.pumpEvents()
            // On a terminal, events show as they happen.
            session.deliverEventsNow()
        }
    }

    /// The output when `condition` holds; nil while it does not; throws when it never will.
    static func check(
        _ condition: Condition, events: [JSONValue], invocation: HMPInvocation, jobSeen: inout Bool
    ) throws(HMPError) -> HMPOutput? {
        switch condition {
        case .event(let name, let filters):
            guard let event = events.first(where: { matches($0, name: name, filters: filters) }) else { return nil }
            return render(invocation, reply: event, text: EventText.line(event))
        case .migration(let wanted):
            let info = try invocation.run(QueryMigrateCommand.self, QAPIEmpty())
            invocation.session.migrationObserver.record(info)
            guard let status = info.status else { return nil }
            if status == wanted { return render(invocation, reply: info.qapi, text: "Migration \(status.rawValue)") }
            if MigrationObserver.isFinal(status) {
                let reason = MigrationOutcome.currentError(info).map { ": \($0)" } ?? ""
                throw .plain("wait: the migration ended \(status.rawValue)\(reason) (waiting for \(wanted.rawValue))")
            }
            return nil
        case .job(let id, let wanted):
            let jobs = try invocation.run(QueryJobsCommand.self, QAPIEmpty())
            if let job = jobs.first(where: { $0.id == id }) {
                jobSeen = true
                if job.status == wanted { return render(invocation, reply: job.qapi, text: "Job \(id) \(job.status.rawValue)") }
                if job.status == .concluded || job.status == .null, wanted != .null {
                    if wanted == .concluded { return render(invocation, reply: job.qapi, text: "Job \(id) concluded") }
                    throw .plain(
                        "wait: job \(id) ended \(job.status.rawValue)\(job.error.map { ": " + $0 } ?? "") (waiting for \(wanted.rawValue))")
                }
                return nil
            }
            guard jobSeen else { throw .command(QMPError(.deviceNotActive, "No job with ID '\(id)'")) }
            // Gone since the last look: it concluded and was dismissed.
            if wanted == .concluded || wanted == .null {
                return render(invocation, reply: .object(JSONObject()), text: "Job \(id) concluded")
            }
            throw .plain("wait: job \(id) ended and was dismissed (waiting for \(wanted.rawValue))")
        case .runState(let running, let exact):
            let status = try invocation.run(QueryStatusCommand.self, QAPIEmpty())
            let holds = exact.map { status.status == $0 } ?? (status.running == running)
            guard holds else { return nil }
            return render(invocation, reply: status.qapi, text: "VM status: \(status.status.rawValue)")
        }
    }

    static func render(_ invocation: HMPInvocation, reply: JSONValue, text: String) -> HMPOutput {
        invocation.render(reply: reply, table: { text + "\n" }, qemu: { text + "\n" })
    }

    /// Whether `event` is `name` with every filter's member equal to its value (as text).
    static func matches(_ event: JSONValue, name: String, filters: [(path: [String], value: String)]) -> Bool {
        guard event["event"]?.stringValue == name else { return false }
        for filter in filters {
            var value = event["data"]
            for key in filter.path { value = value?[key] }
            guard let value else { return false }
            let text = value.stringValue ?? value.description
            guard text == filter.value else { return false }
        }
        return true
    }
}

/// Events as one readable line: `MIGRATION status=completed` (times are the console's).
enum EventText {
    static func line(_ event: JSONValue) -> String {
        var fields = [event["event"]?.stringValue ?? "EVENT"]
        if case .object(let data)? = event["data"] {
            for member in data { fields.append("\(member.key)=\(member.value.stringValue ?? member.value.description)") }
        }
        return fields.joined(separator: " ")
    }
}
