import QAPI

/// What a foreground `migrate` shows while it waits, and the line it ends with.
enum MigrationProgressFormat {
    /// The live progress line, e.g.
    /// `62.5%  2.5 GiB/4 GiB  1.34 Gbit/s  dirty 16 KiB/s  pass 2  downtime 300 ms  ETA 15 s`.
    static func line(_ info: MigrationInfo) -> String {
        let status = info.status?.rawValue ?? "starting"
        guard let ram = info.ram, ram.total > 0 else { return "Migration \(status)" }
        var parts: [String] = []
        if info.status != .active { parts.append(status) }
        let done = Double(max(0, ram.total - max(0, ram.remaining))) / Double(ram.total)
        parts.append(MigrationUnits.percent(done))
        parts.append("\(MigrationUnits.size(ram.transferred))/\(MigrationUnits.size(ram.total))")
        parts.append(MigrationUnits.bitRate(mbps: ram.mbps))
        let dirtyBytesPerSecond = Double(max(0, ram.dirtyPagesRate)) * Double(max(0, ram.pageSize))
        if ram.dirtyPagesRate > 0 { parts.append("dirty \(MigrationUnits.size(UInt64(dirtyBytesPerSecond)))/s") }
        parts.append("pass \(ram.dirtySyncCount)")
        if let expected = info.expectedDowntime { parts.append("downtime \(HumanUnits.milliseconds(expected))") }
        parts.append("ETA " + eta(remaining: ram.remaining, mbps: ram.mbps, dirtyBytesPerSecond: dirtyBytesPerSecond))
        return parts.joined(separator: "  ")
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
