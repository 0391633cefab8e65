import QAPI

/// `info dirty_rate` and `info vcpu_dirty_limit` in the table and qemu formats.
enum DirtyRateFormat {
    /// QEMU 10.2's `hmp_info_dirty_rate`. Its `Start Time` is in seconds though the label
    /// says `(ms)`; kept, since scripts match the label.
    static func qemu(_ info: DirtyRateInfo) -> String {
        var out = "Status: \(info.status.rawValue)\n"
        out += "Start Time: \(info.startTime) (ms)\n"
        if info.mode == .pageSampling { out += "Sample Pages: \(info.samplePages) (per GB)\n" }
        out += "Period: \(info.calcTime) (sec)\n"
        out += "Mode: \(info.mode.rawValue)\n"
        out += "Dirty rate: "
        if let rate = info.dirtyRate {
            out += "\(rate) (MB/s)\n"
            for vcpu in info.vcpuDirtyRate ?? [] { out += "vcpu[\(vcpu.id)], Dirty rate: \(vcpu.dirtyRate) (MB/s)\n" }
        } else {
            out += "(not ready)\n"
        }
        return out
    }

    /// QEMU's "MB/s" dirty rates are MiB per second (do_calculate_dirtyrate() and the dirty
    /// limit count with qemu_target_pages_to_MiB()): the tables say MiB/s.
    static let rateUnit = "MiB/s"

    static func table(_ info: DirtyRateInfo) -> String {
        var sheet = MetricSheet()
        sheet.row("Status", info.status.rawValue)
        sheet.row("Mode", info.mode.rawValue)
        if info.status != .unstarted {
            sheet.row("Start time", LocalTime.format(info.startTime, "%Y-%m-%d %H:%M:%S"))  // as QEMU shows snapshot dates
            sheet.row("Period", "\(info.calcTime) " + (info.calcTimeUnit == .millisecond ? "ms" : "s"))
        }
        if info.mode == .pageSampling { sheet.row("Sample pages", "\(info.samplePages) per GiB") }
        switch (info.dirtyRate, info.status) {
        case (let rate?, _): sheet.row("Dirty rate", "\(rate) \(rateUnit)")
        case (nil, .measuring): sheet.row("Dirty rate", "being measured")
        case (nil, _): sheet.row("Dirty rate", "not measured yet (calc_dirty_rate starts a measurement)")
        }
        if info.dirtyRate != nil, let vcpus = info.vcpuDirtyRate, !vcpus.isEmpty {
            sheet.section("Per vCPU")
            for vcpu in vcpus { sheet.row("vCPU \(vcpu.id)", "\(vcpu.dirtyRate) \(rateUnit)") }
        }
        return sheet.render()
    }

    /// QEMU's `hmp_info_vcpu_dirty_limit`; an empty list means the limiter is off.
    static func qemu(_ limits: [DirtyLimitInfo]) -> String {
        if limits.isEmpty { return "Dirty page limit not enabled!\n" }
        return limits.map {
            "vcpu[\($0.cpuIndex)], limit rate \(Int64(bitPattern: $0.limitRate)) (MB/s), current rate \(Int64(bitPattern: $0.currentRate)) (MB/s)\n"
        }.joined()
    }

    static func table(_ limits: [DirtyLimitInfo]) -> String {
        if limits.isEmpty { return "No vCPU has a dirty page limit\n" }
        var table = TextTable(headers: ["vCPU", "Limit", "Current rate"], alignments: [.right, .right, .right])
        for l in limits { table.add(["\(l.cpuIndex)", "\(l.limitRate) \(rateUnit)", "\(l.currentRate) \(rateUnit)"]) }
        return table.render()
    }
}
