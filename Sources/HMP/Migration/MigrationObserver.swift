import QAPI

/// Follows the outgoing migration from what every backend gives — `query-migrate` samples
/// and the MIGRATION / MIGRATION_PASS events — and keeps its passes, so the console can say
/// whether it converges and show the pass history without help from the engine.
///
/// Time is migration time: seconds since the migration started, as `total-time` counts it.
/// Event timestamps (wall clock) are put on that axis through the MIGRATION `setup` event,
/// which QEMU sends when `total-time` starts counting.
public final class MigrationObserver {
    /// One `query-migrate` reading.
    public struct Sample: Sendable, Equatable {
        public var time: Double
        public var status: MigrationStatus
        public var transferred: Int64
        public var remaining: Int64
        public var total: Int64
        public var pageSize: Int64
        public var dirtyPagesRate: Int64
        public var mbps: Double
        public var syncCount: Int64
        public var throttlePercent: Int64
    }

    /// One pass over guest memory: from one bitmap sync to the next.
    public struct Pass: Sendable, Equatable {
        public var number: Int64
        /// Migration time it began, seconds.
        public var start: Double
        public var end: Double?
        /// Bytes left when it began (right after the sync), when a sample caught it.
        public var remainingAtStart: Int64?
        public var duration: Double? { end.map { max(0, $0 - start) } }
    }

    public private(set) var samples: [Sample] = []
    public private(set) var passes: [Pass] = []
    /// Wall-clock seconds at migration time zero, from the `setup` event.
    private var startWall: Double?
    /// Pass starts seen as events before a sample could place them in migration time.
    private var unplacedPasses: [(number: Int64, wall: Double)] = []
    /// The last migration time at which `transferred` grew.
    public private(set) var lastProgress: Double?
    /// A run has ended (completed, failed, cancelled): the next setup starts afresh.
    private var finished = false
    /// The last reading with figures: QEMU reports none once a migration is cancelled or has
    /// failed, so the table format shows these instead.
    public private(set) var lastFigures: MigrationInfo?

    static let sampleLimit = 20_000

    public init() {}

    // MARK: Feeding

    /// Events as the console takes them. A pass event is followed by a sample right away, so
    /// its bytes and remaining data are read at the pass boundary.
    func observe(events: [JSONValue], session: HMPSession) {
        var sawPass = false
        for event in events {
            let wall = Self.wallSeconds(event["timestamp"])
            switch event["event"]?.stringValue {
            case "MIGRATION":
                let status = event["data"]?["status"]?.stringValue
                if status == "setup" {
                    reset()
                    startWall = wall
                } else if let status, let s = MigrationStatus(rawValue: status), Self.isFinal(s) {
                    if let wall { closeLastPass(at: migrationTime(wall: wall)) }
                }
            case "MIGRATION_PASS":
                guard let number = event["data"]?["pass"]?.int64Value else { continue }
                if finished { reset() }
                if let wall, let time = migrationTime(wall: wall) {
                    beginPass(number, at: time)
                } else if let wall {
                    unplacedPasses.append((number, wall))
                }
                sawPass = true
            default:
                continue
            }
        }
        if sawPass, let info = try? session.backend.execute(QueryMigrateCommand.self, QAPIEmpty()) {
            record(info)
        }
    }

    /// A `query-migrate` reply.
    public func record(_ info: MigrationInfo) {
        guard let status = info.status, let ram = info.ram, let total = info.totalTime else { return }
        let time = Double(total) / 1000
        if let last = samples.last, time < last.time || (finished && !Self.isFinal(status)) {
            // A new migration since the last look.
            reset()
        }
        lastFigures = info
        let sample = Sample(
            time: time, status: status, transferred: ram.transferred, remaining: ram.remaining, total: ram.total,
            pageSize: ram.pageSize, dirtyPagesRate: ram.dirtyPagesRate, mbps: ram.mbps, syncCount: ram.dirtySyncCount,
            throttlePercent: info.cpuThrottlePercentage ?? 0)
        if let last = samples.last, last.time == sample.time, last.transferred == sample.transferred, last.status == sample.status {
            return
        }
        if sample.transferred > (samples.last?.transferred ?? 0) || lastProgress == nil { lastProgress = time }
        samples.append(sample)
        if samples.count > Self.sampleLimit { samples.removeFirst(samples.count - Self.sampleLimit / 2) }
        placePasses(with: sample)
        // Without MIGRATION_PASS events (the `events` capability off) the sync count still
        // tells when a pass began, to within the sampling interval.
        if sample.syncCount > (passes.last?.number ?? 0), unplacedPasses.isEmpty {
            beginPass(sample.syncCount, at: time)
        }
        for i in passes.indices where passes[i].number == sample.syncCount && passes[i].remainingAtStart == nil {
            // The first reading of a pass is its remaining data only if taken at its start.
            if time - passes[i].start < 0.05 { passes[i].remainingAtStart = sample.remaining }
        }
        if Self.isFinal(status) {
            closeLastPass(at: time)
            finished = true
        }
    }

    /// A new migration was asked for: nothing seen so far belongs to it.
    public func migrationStarted() { reset() }

    private func reset() {
        lastFigures = nil
        samples.removeAll()
        passes.removeAll()
        unplacedPasses.removeAll()
        startWall = nil
        lastProgress = nil
        finished = false
    }

    private func beginPass(_ number: Int64, at time: Double) {
        if let last = passes.last, last.number >= number { return }
        closeLastPass(at: time)
        passes.append(Pass(number: number, start: time, end: nil, remainingAtStart: nil))
    }

    private func closeLastPass(at time: Double?) {
        guard let time, let last = passes.indices.last, passes[last].end == nil else { return }
        passes[last].end = max(passes[last].start, time)
    }

    /// Without the setup event (the console came later), the newest pass event and the sample
    /// taken right after it tie wall time to migration time.
    private func placePasses(with sample: Sample) {
        guard !unplacedPasses.isEmpty else { return }
        if startWall == nil, let newest = unplacedPasses.last { startWall = newest.wall - sample.time }
        let pending = unplacedPasses
        unplacedPasses.removeAll()
        for (number, wall) in pending { if let t = migrationTime(wall: wall) { beginPass(number, at: t) } }
    }

    private func migrationTime(wall: Double?) -> Double? {
        guard let wall, let startWall else { return nil }
        return max(0, wall - startWall)
    }

    static func wallSeconds(_ timestamp: JSONValue?) -> Double? {
        guard let s = timestamp?["seconds"]?.int64Value, let us = timestamp?["microseconds"]?.int64Value, s >= 0 else { return nil }
        return Double(s) + Double(us) / 1e6
    }

    static func isFinal(_ status: MigrationStatus) -> Bool {
        status == .completed || status == .failed || status == .cancelled
    }

    // MARK: Reading

    /// Bytes sent by migration time `t`, read between the samples around it (the transfer
    /// runs at a steady rate between two readings).
    public func transferred(at t: Double) -> Int64? {
        var before: (Double, Int64) = (0, 0)
        // total-time counts whole milliseconds while event times have microseconds: a reading
        // up to 2 ms before `t` was taken at `t`.
        if let last = samples.last, t > last.time, t - last.time < 0.002 { return last.transferred }
        for s in samples {
            if s.time == t { return s.transferred }
            if s.time > t {
                let span = s.time - before.0
                guard span > 0 else { return s.transferred }
                let share = (t - before.0) / span
                return before.1 + Int64((Double(s.transferred - before.1) * share).rounded())
            }
            before = (s.time, s.transferred)
        }
        return nil
    }

    /// Rows of the per-pass history.
    public struct PassRow: Sendable, Equatable {
        public var pass: Pass
        public var bytesSent: Int64?
        public var pagesDirtied: Int64?
        public var bytesPerSecond: Double?
    }

    public func history() -> [PassRow] {
        passes.map { pass in
            let end = pass.end ?? samples.last?.time
            var row = PassRow(pass: pass)
            if let end, let a = transferred(at: pass.start), let b = transferred(at: end) {
                row.bytesSent = max(0, b - a)
                let duration = end - pass.start
                if duration > 0 { row.bytesPerSecond = Double(max(0, b - a)) / duration }
            }
            // The dirty rate QEMU reports after the next sync covers this pass.
            if let end, let after = samples.first(where: { $0.syncCount > pass.number }) ?? (pass.end == nil ? samples.last : nil) {
                row.pagesDirtied = Int64((Double(after.dirtyPagesRate) * max(0, end - pass.start)).rounded())
            }
            return row
        }
    }

    /// The pass under way and how much of the data left at its start has been sent since: a
    /// share that only grows within a pass (the remaining figure jumps up at every sync, so a
    /// share of the total would run backwards).
    public func passProgress() -> (pass: Int64, fraction: Double?)? {
        guard let pass = passes.last, pass.end == nil, let now = samples.last else { return nil }
        if pass.number == 1, now.total > 0 {
            // The first pass sends all of RAM once; what is left only shrinks until it ends.
            return (1, Double(max(0, now.total - max(0, now.remaining))) / Double(now.total))
        }
        let base = pass.remainingAtStart ?? (pass.number == 1 ? now.total : nil)
        guard let base, base > 0, let sentAtStart = transferred(at: pass.start) else { return (pass.number, nil) }
        let fraction = Double(max(0, now.transferred - sentAtStart)) / Double(base)
        return (pass.number, min(1, fraction))
    }

    /// The remaining data at the start of each pass, oldest first (what must shrink).
    var remainingAtPassStarts: [Int64] { passes.compactMap(\.remainingAtStart) }
}
