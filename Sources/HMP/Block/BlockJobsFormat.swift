import QAPI

/// `info block-jobs`.
enum BlockJobsFormat {
    static let none = "No active jobs\n"

    /// hmp_info_block_jobs: no state, no errors, the id only as `device`.
    static func qemu(_ jobs: [BlockJobInfo]) -> String {
        if jobs.isEmpty { return none }
        return jobs.map { j in
            let tail = "Completed \(j.offset) of \(j.len) bytes, speed limit \(j.speed) bytes/s\n"
            return j.type == .stream ? "Streaming device \(j.device): " + tail : "Type \(j.type.rawValue), device \(j.device): " + tail
        }.joined()
    }

    static func table(_ jobs: [BlockJobInfo]) -> String {
        if jobs.isEmpty { return none }
        let withErrors = jobs.contains { $0.error != nil || $0.ioStatus != .ok }
        var t = TextTable(
            headers: ["job", "type", "state", "progress", "speed"] + (withErrors ? ["error"] : []),
            alignments: [.left, .left, .left, .right, .right, .left])
        for j in jobs {
            var row = [j.device, j.type.rawValue, state(j), progress(j), speed(j.speed)]
            if withErrors { row.append(j.error ?? (j.ioStatus == .ok ? "-" : "I/O \(j.ioStatus.rawValue)")) }
            t.add(row)
        }
        return t.render()
    }

    /// The job status, noting a pause that waits for the job to reach a pause point.
    static func state(_ j: BlockJobInfo) -> String {
        if j.paused && j.status != .paused { return "\(j.status.rawValue) (pausing)" }
        return j.status.rawValue
    }

    /// `42% (8.4 GiB of 20 GiB)`; the percentage rounds down so an unfinished job never shows 100%.
    static func progress(_ j: BlockJobInfo) -> String {
        let sizes = "\(HumanUnits.bytes(j.offset)) of \(HumanUnits.bytes(j.len))"
        guard j.len > 0, j.offset >= 0 else { return "- (\(sizes))" }
        let percent = j.offset <= Int64.max / 100 ? j.offset * 100 / j.len : j.offset / max(1, j.len / 100)
        return "\(min(percent, 100))% (\(sizes))"
    }

    static func speed(_ bytesPerSecond: Int64) -> String {
        bytesPerSecond == 0 ? "unlimited" : HumanUnits.bytes(bytesPerSecond) + "/s"
    }
}
