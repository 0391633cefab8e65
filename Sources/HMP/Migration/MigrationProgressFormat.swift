import QAPI

/// What a foreground `migrate` shows while it waits, and the line it ends with.
enum MigrationProgressFormat {
    /// The live progress line, e.g.
    /// `pass 2 38.8%  sent 1.41 GiB  left 2.46 GiB  160 MiB/s  dirty 16 KiB/s  downtime 300 ms  ETA 16 s  converging`.
    /// Sent and left are shown apart: sent only grows, while what is left grows again at each
    /// pass, so a share of the total would run backwards (and sent can pass the total, as
    /// pages are sent again). The percentage is of the pass under way, which only grows within
    /// it (`pass`, from the observer), or of the first pass when nothing else is known. It must
    /// stay on one row of `width` columns: as the width shrinks the verdict shortens to a word,
    /// then the dirty rate, the expected downtime, the verdict and the pass go, in that order.
    static func line(
        _ info: MigrationInfo, pass: (pass: Int64, fraction: Double?)? = nil, verdict: MigrationVerdict? = nil, width: Int = 80
    ) -> String {
        let status = info.status?.rawValue ?? "starting"
        guard let ram = info.ram, ram.total > 0 else { return "Migration \(status)" }
        let dirtyBytesPerSecond = Double(max(0, ram.dirtyPagesRate)) * Double(max(0, ram.pageSize))
        let head = info.status == .active ? nil : status
        var passText: String?
        if let pass {
            passText = "pass \(pass.pass)" + (pass.fraction.map { " " + MigrationUnits.percent($0) } ?? "")
        } else if ram.dirtySyncCount <= 1 {
            let done = Double(max(0, ram.total - max(0, ram.remaining))) / Double(ram.total)
            passText = "pass 1 " + MigrationUnits.percent(done)
        } else {
            passText = "pass \(ram.dirtySyncCount)"
        }
        let sent = "sent " + MigrationUnits.size(ram.transferred)
        let left = "left " + MigrationUnits.size(ram.remaining)
        let rate = MigrationUnits.byteRate(mbps: ram.mbps)
        var dirty = ram.dirtyPagesRate > 0 ? "dirty \(MigrationUnits.size(UInt64(dirtyBytesPerSecond)))/s" : nil
        var downtime = info.expectedDowntime.map { "downtime \(HumanUnits.milliseconds($0))" }
        var verdictText = verdict?.summary
        let eta: String
        if let verdict, verdict.kind != .converging {
            eta = "ETA n/a"
        } else {
            eta = "ETA " + Self.eta(remaining: ram.remaining, mbps: ram.mbps, dirtyBytesPerSecond: dirtyBytesPerSecond)
        }
        func text() -> String {
            [head, passText, sent, left, rate, dirty, downtime, eta, verdictText].compactMap { $0 }.joined(separator: "  ")
        }
        if DisplayWidth.of(text()) > width, let verdict { verdictText = verdict.kind.rawValue }
        if DisplayWidth.of(text()) > width { dirty = nil }
        if DisplayWidth.of(text()) > width { downtime = nil }
        if DisplayWidth.of(text()) > width { verdictText = nil }
        if DisplayWidth.of(text()) > width { passText = nil }
        return text()
    }

    /// Remaining bytes over what the link gains on the guest each second; `n/a` while the
    /// guest dirties memory as fast as it is sent (the migration does not converge).
    static func eta(remaining: Int64, mbps: Double, dirtyBytesPerSecond: Double) -> String {
        let net = mbps * 1_000_000 / 8 - dirtyBytesPerSecond
        guard remaining > 0 else { return "0 s" }
        guard net > 0 else { return "n/a" }
        return MigrationUnits.duration(seconds: Double(remaining) / net)
    }

    /// The line a foreground `migrate` ends with in the table format, for an outcome with no error.
    static func outcome(_ info: MigrationInfo) -> String {
        guard let status = info.status else { return "Migration state unknown; see 'info migrate'" }
        switch status {
        case .completed:
            var text = "Migration completed"
            if let total = info.totalTime { text += " in " + HumanUnits.milliseconds(total) }
            if let ram = info.ram {
                text += ": \(MigrationUnits.size(ram.transferred)) at \(MigrationUnits.byteRate(mbps: ram.mbps))"
            }
            if let down = info.downtime { text += ", downtime " + HumanUnits.milliseconds(down) }
            return text
        case .cancelled:
            return "Migration cancelled"
        case .preSwitchover:
            return "Migration paused before switchover; finish it with 'migrate_continue pre-switchover'"
        default:
            return "Migration is \(status.rawValue) and goes on in the background; follow it with 'info migrate'"
        }
    }

    /// Said when the operator stops waiting (Ctrl-C) during a foreground migration.
    static let stoppedWaiting = """
        Stopped waiting; the migration continues in the background.
        Follow it with 'info migrate'; cancel it with 'migrate_cancel'.

        """
}
