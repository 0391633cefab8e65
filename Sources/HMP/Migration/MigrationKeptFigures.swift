import QAPI

/// `info migrate` (table format) after a cancel or a failure. QEMU's
/// `fill_source_migration_info()` reports only the status once a migration is `cancelled` or
/// `failed`, so the figures of the run vanish; the table shows the last figures the console
/// read, said to be such. The qemu and json formats stay QEMU's.
enum MigrationKeptFigures {
    /// `info` with the figures of the run filled in from `observer`, and the note that says
    /// where they come from; nil when QEMU's reply has figures of its own or none were seen.
    static func merge(_ info: MigrationInfo, observer: MigrationObserver) -> (info: MigrationInfo, note: String)? {
        guard let status = info.status, status == .cancelled || status == .failed, info.ram == nil,
            let seen = observer.lastFigures, seen.ram != nil
        else { return nil }
        var merged = seen
        merged.status = status
        merged.errorDesc = info.errorDesc
        merged.blockedReasons = info.blockedReasons
        merged.socketAddress = info.socketAddress
        // A figure that describes a migration under way means nothing once it has ended.
        merged.expectedDowntime = nil
        let when = (seen.totalTime).map { "\(HumanUnits.milliseconds($0)) into the run, " } ?? ""
        let seenStatus = seen.status?.rawValue ?? "running"
        let note = "last seen \(when)while \(seenStatus) (QEMU reports none after the end)"
        return (merged, note)
    }
}
