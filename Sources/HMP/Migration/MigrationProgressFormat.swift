import QAPI

/// What a foreground `migrate` shows while it waits, and the line it ends with.
enum MigrationProgressFormat {
    /// The live progress line, e.g.
    /// `62.5%  2.5/4 GiB  1.34 Gbit/s  dirty 16 KiB/s  pass 2  downtime 300 ms  ETA 15 s`.
    /// It must stay on one terminal row to be redrawn in place, so past `width` columns the
    /// pass number, then the expected downtime are left out (`info migrate` has both).
    static func line(_ info: MigrationInfo, width: Int = 80) -> String {
        let status = info.status?.rawValue ?? "starting"
        guard let ram = info.ram, ram.total > 0 else { return "Migration \(status)" }
        let done = Double(max(0, ram.total - max(0, ram.remaining))) / Double(ram.total)
        let dirtyBytesPerSecond = Double(max(0, ram.dirtyPagesRate)) * Double(max(0, ram.pageSize))
        let sent = MigrationUnits.size(ram.transferred)
        let total = MigrationUnits.size(ram.total)

        var head = info.status == .active ? "" : status + "  "
        head += MigrationUnits.percent(done)
        var sizes = "\(sent)/\(total)"
        let rate = MigrationUnits.bitRate(mbps: ram.mbps)
        let dirty = ram.dirtyPagesRate > 0 ? "dirty \(MigrationUnits.size(UInt64(dirtyBytesPerSecond)))/s" : nil
        var pass: String? = "pass \(ram.dirtySyncCount)"
        var downtime = info.expectedDowntime.map { "downtime \(HumanUnits.milliseconds($0))" }
        let eta = "ETA " + eta(remaining: ram.remaining, mbps: ram.mbps, dirtyBytesPerSecond: dirtyBytesPerSecond)

        // Sizes in the same unit share it: 1.41/4.02 GiB.
        if let space = sent.lastIndex(of: " "), let totalSpace = total.lastIndex(of: " "),
            sent[space...] == total[totalSpace...]
        {
            sizes = "\(sent[..<space])/\(total)"
        }
        func text() -> String { [head, sizes, rate, dirty, pass, downtime, eta].compactMap { $0 }.joined(separator: "  ") }
        if DisplayWidth.of(text()) > width { pass = nil }
        if DisplayWidth.of(text()) > width { downtime = nil }
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
                text += ": \(MigrationUnits.size(ram.transferred)) at \(MigrationUnits.bitRate(mbps: ram.mbps))"
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
