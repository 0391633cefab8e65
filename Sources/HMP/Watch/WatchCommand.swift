import Backend
import QAPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `watch`: re-runs an info command every interval. On a terminal the screen is redrawn in
/// place (only the rows that changed) under a header with the interval and the time; `q` or
/// Ctrl-C ends it. In a batch or with --format json it prints one JSON record per interval
/// (NDJSON), until a count or until the command's subject is done.
enum WatchCommand {
    static let defaultInterval: UInt64 = 2_000_000_000
    static let shortestInterval: UInt64 = 100_000_000

    struct Arguments: HMPArgumentValues {
        var interval: UInt64?
        var count: Int64?
        var untilDone = false
        var command = ""
        static let signature = HMPSignature<Arguments>(
            .flag("n", "interval", .duration, \.interval, help: "time between runs (default 2 s, at least 100ms; no suffix means seconds)"),
            .flag("c", "count", .int64, \.count, help: "stop after this many runs"),
            .flag(
                "u", "until-done", \.untilDone,
                help: "stop when the subject is done: the migration (info migrate*) or the jobs (info block-jobs, info jobs)"),
            .argument("command", .rest, \.command, completion: .commandLine, help: "the command to re-run, e.g. info migrate"))
    }

    static let command = HMPCommand(
        "watch", Arguments.self,
        help: "re-run a command every interval, redrawing it in place", qmp: "the command's own",
        details: """
            On a terminal the command's output is redrawn in place under a header with the interval and the \
            time, rewriting only the rows that changed; q or Ctrl-C ends it, and the last screen stays. In a \
            batch or with --format json it prints one JSON record per run instead (NDJSON): {"sample": N, \
            "elapsed": SECONDS, "command": ..., "return": ...} or "error" in place of "return". -c N stops \
            after N runs; --until-done (-u) stops once the migration has ended (for info migrate) or no \
            job is left (for info block-jobs and info jobs). On the virtual clock the model moves on by the \
            interval between runs.
            """,
        handler: run)

    enum Subject { case migration, jobs }

    static func run(_ invocation: HMPInvocation, _ arguments: Arguments) throws(HMPError) -> HMPOutput {
        let session = invocation.session
        guard session.mayWait else {
            throw .plain("watch: this monitor cannot wait (it would hold up the others); run it in the console")
        }
        let line = arguments.command
        guard let parsed = try HMPLineParser(table: session.table, readsHMPUnits: session.format == .table).parse(line) else {
            throw .usage("watch: a command to watch expected, e.g. watch info migrate", command: "watch")
        }
        if ["watch", "wait", "explain", "quit", "migrate"].contains(parsed.command.name), !parsed.typedName.hasPrefix("info") {
            throw .usage("watch: '\(parsed.command.name)' cannot be watched; watch an info command", command: "watch")
        }
        var interval = defaultInterval
        if let ns = arguments.interval {
            guard ns >= shortestInterval else { throw .usage("watch: -n must be at least 100ms", command: "watch") }
            interval = ns
        }
        var count: Int64?
        if let n = arguments.count {
            guard n >= 1 else { throw .usage("watch: -c takes a count of 1 or more", command: "watch") }
            count = n
        }
        var subject: Subject?
        if arguments.untilDone {
            switch parsed.command.name {
            case "migrate", "migrate_capabilities", "migrate_parameters": subject = .migration
            case "block-jobs", "jobs": subject = .jobs
            default:
                throw .usage(
                    "watch: --until-done knows when info migrate, info block-jobs and info jobs are done, not '\(parsed.typedName)'",
                    command: "watch")
            }
        }
        if count == nil, subject == nil, session.screen == nil || invocation.format == .json {
            // A batch has nobody to press q.
            throw .usage("watch: in a batch give -c N or --until-done, or it would never end", command: "watch")
        }
        if let screen = session.screen, invocation.format != .json {
            return onScreen(screen, parsed: parsed, line: line, interval: interval, count: count, subject: subject, invocation: invocation)
        }
        return records(parsed: parsed, line: line, interval: interval, count: count, subject: subject, invocation: invocation)
    }

    /// Runs the watched command on the same session, in `format`.
    static func runOnce(_ parsed: HMPLineParser.Parsed, format: OutputFormat, session: HMPSession) -> Result<String, HMPError> {
        let saved = session.format
        session.format = format
        defer { session.format = saved }
        do {
            let output = try parsed.command.handler(HMPInvocation(command: parsed.command, arguments: parsed.arguments, session: session))
            return .success(output.text)
        } catch {
            return .failure(error)
        }
    }

    static func isDone(_ subject: Subject?, session: HMPSession) -> Bool {
        guard let subject else { return false }
        switch subject {
        case .migration:
            guard let info = try? session.backend.execute(QueryMigrateCommand.self, QAPIEmpty()) else { return true }
            guard let status = info.status else { return true }
            return MigrationObserver.isFinal(status) || status == .preSwitchover || status == .postcopyPaused
        case .jobs:
            guard let jobs = try? session.backend.execute(QueryJobsCommand.self, QAPIEmpty()) else { return true }
            return jobs.allSatisfy { $0.status == .concluded || $0.status == .null }
        }
    }

    // MARK: NDJSON

    static func records(
        parsed: HMPLineParser.Parsed, line: String, interval: UInt64, count: Int64?, subject: Subject?, invocation: HMPInvocation
    ) -> HMPOutput {
        let session = invocation.session
        var collected = ""
        var elapsed: UInt64 = 0
        var sample: Int64 = 0
        while true {
            sample += 1
            session.pumpEvents()
            var record = JSONObject()
            record.append("sample", .int(sample))
            record.append("elapsed", .double(Double(elapsed) / 1e9))
            record.append("command", .string(line))
            switch runOnce(parsed, format: .json, session: session) {
            case .success(let text):
                let reply = (try? JSONParser.parse(text.trimmingTrailingNewlines)) ?? .string(text)
                record.append("return", reply["return"] ?? reply)
            case .failure(let error):
                record.append("error", error.qmpValue)
            }
            let text = JSONValue.object(record).description + "\n"
            if let write = session.write { write(text) } else { collected += text }
            let done = isDone(subject, session: session)
            if done || (count.map { sample >= $0 } ?? false) || session.interrupted() { break }
            elapsed &+= pass(interval, session: session)
        }
        return HMPOutput(collected)
    }

    /// Lets `interval` pass on the backend, taking events as they come (so the pass history
    /// sees each pass). Answers the model time covered.
    @discardableResult
    static func pass(_ interval: UInt64, session: HMPSession) -> UInt64 {
        var waited: UInt64 = 0
        while waited < interval, !session.interrupted() {
            let step = session.backend.waitForEvent(atMost: interval - waited)
            waited &+= max(step, 1)
            session.pumpEvents()
        }
        return waited
    }

    static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    // MARK: Screen

    static func onScreen(
        _ screen: any LiveScreen, parsed: HMPLineParser.Parsed, line: String, interval: UInt64, count: Int64?, subject: Subject?,
        invocation: HMPInvocation
    ) -> HMPOutput {
        let session = invocation.session
        // Frames are cut to the screen's width by character: no escape sequences in them.
        let failureStyle = session.failureStyle
        session.failureStyle = nil
        defer { session.failureStyle = failureStyle }
        var frame: [String] = []
        var runs: Int64 = 0
        var quit = false
        screen.begin()
        while !quit {
            runs += 1
            session.pumpEvents()
            let body: String
            switch runOnce(parsed, format: invocation.format, session: session) {
            case .success(let text): body = text
            case .failure(let error): body = session.errorText(error) + "\n"
            }
            frame = compose(body: body, line: line, interval: interval, columns: screen.columns, rows: screen.rows)
            screen.show(frame)
            if isDone(subject, session: session) || (count.map { runs >= $0 } ?? false) { break }
            // Wait out the interval in slices, reading keys and pacing to the wall clock.
            var waited: UInt64 = 0
            while waited < interval, !quit {
                let start = monotonicNanoseconds()
                let step = session.backend.waitForEvent(atMost: min(50_000_000, interval - waited))
                waited &+= max(step, 1)
                session.pumpEvents()
                let spent = monotonicNanoseconds() &- start
                let keys = screen.readKeys(waitingAtMost: spent < step ? step - spent : 0)
                if keys.contains(UInt8(ascii: "q")) || keys.contains(UInt8(ascii: "Q")) || keys.contains(3) || session.interrupted() {
                    quit = true
                }
            }
        }
        screen.end()
        // The last screen stays readable once the command ends, as it was last drawn.
        return HMPOutput(frame.joined(separator: "\n") + "\n")
    }

    /// The header (`Every 2 s: info migrate` … time) and the body, cut to the screen.
    static func compose(body: String, line: String, interval: UInt64, columns: Int, rows: Int) -> [String] {
        let width = max(20, columns)
        let left = "Every \(intervalText(interval)): \(line)"
        let right = wallClockText()
        var header = left
        let gap = width - DisplayWidth.of(left) - DisplayWidth.of(right)
        if gap >= 2 { header += String(repeating: " ", count: gap) + right }
        var lines = [cut(header, to: width), ""]
        var bodyLines = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if bodyLines.last == "" { bodyLines.removeLast() }
        for l in bodyLines { lines.append(cut(l, to: width)) }
        if rows > 0, lines.count > rows { lines = Array(lines.prefix(rows)) }
        return lines
    }

    static func intervalText(_ ns: UInt64) -> String {
        if ns % 1_000_000_000 == 0 { return "\(ns / 1_000_000_000) s" }
        return CFloatFormat.fixed(Double(ns) / 1e9, precision: 1) + " s"
    }

    static func wallClockText() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : String(v) }
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }

    /// At most `width` columns; a wide character that would straddle the edge is left out.
    static func cut(_ text: String, to width: Int) -> String {
        guard DisplayWidth.of(text) > width else { return text }
        var out = ""
        var used = 0
        for c in text {
            let w = DisplayWidth.of(String(c))
            if used + w > width { break }
            out.append(c)
            used += w
        }
        return out
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var s = Substring(self)
        while s.last == "\n" { s = s.dropLast() }
        return String(s)
    }
}
