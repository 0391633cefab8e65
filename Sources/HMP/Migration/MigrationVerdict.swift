import QAPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether the outgoing migration is getting anywhere, computed from the passes observed and
/// the latest `query-migrate` (any backend): the console's answer to "will it finish?".
public struct MigrationVerdict: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case settingUp = "setting up"
        case measuring
        case converging
        case notConverging = "not converging"
        case stalled
        case postcopy
    }

    public var kind: Kind
    /// One line for the table and the progress line: "converging: about 3 passes, 12 s left".
    public var summary: String
    /// What would help a migration that does not converge, one suggestion a line, with numbers.
    public var remedies: [String] = []
    /// "auto-converge at 40%" when the guest is throttled.
    public var throttle: String?

    /// A short word or two for a narrow progress line.
    public var shortText: String {
        switch kind {
        case .converging: summary.hasPrefix("converging") ? summary : "converging"
        default: summary
        }
    }

    /// No bytes for this long during an active migration reads as stalled.
    public static let stallSeconds = 3.0
    /// A pass that leaves more than this share of the one before does not converge usefully.
    static let slowestUsefulRatio = 0.9
    /// An estimate longer than this is no estimate.
    static let longestUsefulWait = 86_400.0

    /// Settings the advice depends on; nil members are unknown (the backend would not say).
    public struct Settings: Sendable {
        public var downtimeLimitMilliseconds: UInt64?
        public var maxBandwidth: UInt64?
        public var autoConverge: Bool?
        public var postcopyRAM: Bool?
        public var throttleIncrement: UInt8?

        public init(
            downtimeLimitMilliseconds: UInt64? = nil, maxBandwidth: UInt64? = nil, autoConverge: Bool? = nil, postcopyRAM: Bool? = nil,
            throttleIncrement: UInt8? = nil
        ) {
            self.downtimeLimitMilliseconds = downtimeLimitMilliseconds
            self.maxBandwidth = maxBandwidth
            self.autoConverge = autoConverge
            self.postcopyRAM = postcopyRAM
            self.throttleIncrement = throttleIncrement
        }
    }

    /// nil when no migration is in flight (nothing to judge).
    public static func judge(_ info: MigrationInfo, observer: MigrationObserver, settings: Settings) -> MigrationVerdict? {
        judge(info, observer: observer, settings: { settings })
    }

    /// As above, reading the settings only when the verdict needs them (a migration under way):
    /// `info migrate` on an idle VM stays one request, which counts on a remote QEMU.
    public static func judge(_ info: MigrationInfo, observer: MigrationObserver, settings: () -> Settings) -> MigrationVerdict? {
        guard let status = info.status else { return nil }
        switch status {
        case .setup:
            // The status says it; nothing measured yet.
            return nil
        case .postcopyActive, .postcopyPaused, .postcopyRecover, .postcopyRecoverSetup:
            let left = info.ram.map { " with " + MigrationUnits.size($0.remaining) + " left" } ?? ""
            return MigrationVerdict(
                kind: .postcopy, summary: "postcopy: finishes at the link's pace whatever the guest dirties" + left)
        case .active, .preSwitchover, .device:
            break
        default:
            return nil
        }
        guard let ram = info.ram else { return MigrationVerdict(kind: .measuring, summary: "measuring") }
        var verdict = judgeActive(info, ram: ram, observer: observer, settings: settings())
        if let throttle = info.cpuThrottlePercentage, throttle > 0 { verdict.throttle = "auto-converge at \(throttle)%" }
        return verdict
    }

    private static func judgeActive(
        _ info: MigrationInfo, ram: MigrationStats, observer: MigrationObserver, settings: Settings
    )
        -> MigrationVerdict
    {
        let now = Double(info.totalTime ?? 0) / 1000
        if let last = observer.lastProgress, now - last >= stallSeconds, ram.remaining > 0 {
            let idle = MigrationUnits.duration(seconds: now - last)
            return MigrationVerdict(
                kind: .stalled, summary: "stalled: no bytes moved for \(idle)",
                remedies: ["check the link (the destination, the network); migrate_cancel gives up, migrate_pause (postcopy) waits"])
        }
        let bandwidth = ram.mbps * 1e6 / 8
        let dirty = Double(max(0, ram.dirtyPagesRate)) * Double(max(0, ram.pageSize))
        guard bandwidth > 0 else {
            // Nothing measured yet: before the first rate figures, or a link that sends nothing.
            return MigrationVerdict(kind: .measuring, summary: "measuring")
        }
        if bandwidth < 1024 {
            return MigrationVerdict(
                kind: .stalled, summary: "stalled: the link sends \(rate(bandwidth))",
                remedies: ["check the link (the destination, the network); migrate_cancel gives up, migrate_pause (postcopy) waits"])
        }
        if ram.dirtySyncCount <= 1, ram.dirtyPagesRate == 0 {
            // Until the first pass ends nobody knows how fast the guest dirties memory.
            let seconds = Double(max(0, ram.remaining)) / bandwidth
            return MigrationVerdict(
                kind: .measuring,
                summary:
                    "first pass: \(MigrationUnits.duration(seconds: seconds)) to send the rest of RAM once; the dirty rate is known after it"
            )
        }
        let remaining = Double(max(0, ram.remaining))
        // The switch-over happens once what is left fits in downtime-limit at this rate.
        let downtimeLimit = Double(settings.downtimeLimitMilliseconds ?? 300) / 1000
        let threshold = bandwidth * downtimeLimit
        // What each pass began with, from the second on (the first begins with all of RAM).
        let starts = observer.passes.filter { $0.number >= 2 }.compactMap(\.remainingAtStart)
        var measured: Double?
        if starts.count >= 2, let a = starts.dropLast().last, let b = starts.last, a > 0 { measured = Double(b) / Double(a) }
        // Shrinking by less than a tenth a pass is not converging in any sense an operator can wait for.
        // Passes measured before a change of bandwidth say nothing once the link clearly outruns
        // the guest, so they count only while the rates are close.
        let barelyShrinking = (measured ?? 0) > Self.slowestUsefulRatio && dirty > bandwidth * 0.5
        let seconds = dirty < bandwidth ? remaining / (bandwidth - dirty) : .infinity

        if dirty >= bandwidth * Self.slowestUsefulRatio || barelyShrinking || seconds > Self.longestUsefulWait {
            var verdict = MigrationVerdict(kind: .notConverging, summary: "")
            verdict.summary = "not converging: the guest dirties \(rate(dirty)), the link sends \(rate(bandwidth))"
            if let measured, measured < 1 {
                verdict.summary += "; the data left shrinks \(Int(((1 - measured) * 100).rounded()))% a pass"
            } else if measured != nil {
                verdict.summary += "; the data left no longer shrinks"
            }
            verdict.remedies = remedies(
                dirty: dirty, bandwidth: bandwidth, floor: Double(starts.suffix(3).min() ?? ram.remaining), info: info, settings: settings)
            return verdict
        }
        if remaining <= threshold {
            return MigrationVerdict(kind: .converging, summary: "converging: switching over (what is left fits in the downtime limit)")
        }
        // Each pass re-sends what the guest dirtied during the one before: the data left
        // shrinks by dirty/bandwidth per pass, or by what the passes so far showed.
        var ratio = dirty / bandwidth
        if let measured, measured < 1, dirty > bandwidth * 0.5 { ratio = max(ratio, measured) }
        var passesLeft = 1
        if ratio > 0, ratio < 1 {
            passesLeft = max(1, Int((log(threshold / remaining) / log(ratio)).rounded(.up)))
        }
        let passes = passesLeft == 1 ? "about 1 pass" : "about \(passesLeft) passes"
        return MigrationVerdict(
            kind: .converging, summary: "converging: \(passes), \(MigrationUnits.duration(seconds: seconds)) left")
    }

    /// What would make it converge, with the numbers that would do it.
    private static func remedies(dirty: Double, bandwidth: Double, floor: Double, info: MigrationInfo, settings: Settings) -> [String] {
        var out: [String] = []
        let mib = Double(1 << 20)
        // A quarter more than the dirty rate leaves the link room to catch up.
        let neededBandwidth = (dirty * 1.25 / mib).rounded(.up)
        var bandwidthAdvice = "more bandwidth: migrate_set_parameter max-bandwidth \(Int64(neededBandwidth))M (now \(rate(bandwidth)))"
        if let max = settings.maxBandwidth, Double(max) > bandwidth * 1.1 {
            bandwidthAdvice += "; max-bandwidth is \(rate(Double(max))) already, so the link is the limit"
        }
        out.append(bandwidthAdvice)
        if dirty > 0 {
            let needed = min(99, Int(((1 - bandwidth * 0.8 / dirty) * 100).rounded(.up)))
            let current = info.cpuThrottlePercentage ?? 0
            if settings.autoConverge == true {
                out.append(
                    "auto-converge: at \(current)% now; about \(needed) points more would do, and it adds cpu-throttle-increment (\(settings.throttleIncrement.map(String.init) ?? "10")) each pass"
                )
            } else {
                out.append(
                    "auto-converge: migrate_set_capability auto-converge on (before migrate); needs the guest slowed by about \(needed)%")
            }
        }
        if settings.postcopyRAM == true {
            out.append("postcopy: migrate_start_postcopy now; it finishes whatever the guest dirties")
        } else {
            out.append("postcopy: migrate_set_capability postcopy-ram on (before migrate), then migrate_start_postcopy")
        }
        if floor > 0 {
            let ms = Int64((floor / bandwidth * 1000).rounded(.up))
            let now = settings.downtimeLimitMilliseconds.map { " (now \($0) ms)" } ?? ""
            out.append(
                "a longer pause: migrate_set_parameter downtime-limit \(ms) switches over with \(MigrationUnits.size(Int64(floor))) left\(now)"
            )
        }
        return out
    }

    static func rate(_ bytesPerSecond: Double) -> String {
        MigrationUnits.size(UInt64(max(0, bytesPerSecond))) + "/s"
    }

    /// Reads the settings the advice needs through `backend`; members stay nil on failure.
    static func settings(_ invocation: HMPInvocation) -> Settings {
        var settings = Settings()
        if let p = try? invocation.backend.execute(QueryMigrateParametersCommand.self, QAPIEmpty()) {
            settings.downtimeLimitMilliseconds = p.downtimeLimit
            settings.maxBandwidth = p.maxBandwidth
            settings.throttleIncrement = p.cpuThrottleIncrement
        }
        if let caps = try? invocation.backend.execute(QueryMigrateCapabilitiesCommand.self, QAPIEmpty()) {
            settings.autoConverge = caps.first { $0.capability == .autoConverge }?.state
            settings.postcopyRAM = caps.first { $0.capability == .postcopyRam }?.state
        }
        return settings
    }
}

extension Collection {
    /// (a, b), (b, c), ...
    func adjacentPairs() -> [(Element, Element)] {
        Array(zip(self, self.dropFirst()))
    }
}
