import QAPI

/// `info blockstats`.
enum BlockStatsFormat {
    /// hmp_info_blockstats: one line per entry with a device member (an empty name gives a
    /// line starting with `:`); an absent idle time prints as 0.
    static func qemu(_ stats: [BlockStats]) -> String {
        var out = ""
        for entry in stats {
            guard let device = entry.device else { continue }
            let s = entry.stats
            out +=
                "\(device): rd_bytes=\(s.rdBytes) wr_bytes=\(s.wrBytes) rd_operations=\(s.rdOperations)"
                + " wr_operations=\(s.wrOperations) flush_operations=\(s.flushOperations)"
                + " wr_total_time_ns=\(s.wrTotalTimeNs) rd_total_time_ns=\(s.rdTotalTimeNs)"
                + " flush_total_time_ns=\(s.flushTotalTimeNs) rd_merged=\(s.rdMerged) wr_merged=\(s.wrMerged)"
                + " idle_time_ns=\(s.idleTimeNs ?? 0)\n"
        }
        return out
    }

    static func table(_ stats: [BlockStats]) -> String {
        var t = TextTable(
            headers: ["device", "read", "written", "rd ops", "wr ops", "flush ops", "rd time", "wr time", "flush time", "idle"],
            alignments: [.left] + Array(repeating: .right, count: 9))
        for entry in stats {
            guard let device = entry.device else { continue }
            let s = entry.stats
            let name = device.isEmpty ? (entry.qdev ?? entry.nodeName ?? "<anonymous>") : device
            t.add([
                name, HumanUnits.bytes(s.rdBytes), HumanUnits.bytes(s.wrBytes), String(s.rdOperations), String(s.wrOperations),
                String(s.flushOperations), duration(s.rdTotalTimeNs), duration(s.wrTotalTimeNs), duration(s.flushTotalTimeNs),
                s.idleTimeNs.map(duration) ?? "-",
            ])
        }
        return t.render()
    }

    /// Nanoseconds with a unit that keeps three significant digits: `850 ns`, `12.5 us`, `3.2 ms`, `1.234 s`.
    static func duration(_ ns: Int64) -> String {
        let v = Double(ns)
        let magnitude = abs(v)
        if magnitude >= 1e9 { return CFloatFormat.fixed(v / 1e9, precision: 3) + " s" }
        if magnitude >= 1e6 { return CFloatFormat.general(v / 1e6, precision: 3) + " ms" }
        if magnitude >= 1e3 { return CFloatFormat.general(v / 1e3, precision: 3) + " us" }
        return "\(ns) ns"
    }
}
