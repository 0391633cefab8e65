import QAPI

/// The globals `info migrate -a` lists. They are properties of QEMU's migration object that no
/// QMP query returns; the console's VM has QEMU's machine defaults for them.
struct MigrationGlobals: Sendable {
    var storeGlobalState = true
    var onlyMigratable = false
    var sendConfiguration = true
    var sendSectionFooter = true
    var sendSwitchoverStart = true
    var clearBitmapShift: UInt32 = 18

    static let qemuDefaults = MigrationGlobals()

    var rows: [(String, String)] {
        [
            ("store-global-state", onOff(storeGlobalState)), ("only-migratable", onOff(onlyMigratable)),
            ("send-configuration", onOff(sendConfiguration)), ("send-section-footer", onOff(sendSectionFooter)),
            ("send-switchover-start", onOff(sendSwitchoverStart)), ("clear-bitmap-shift", String(clearBitmapShift)),
        ]
    }
}

func onOff(_ value: Bool) -> String { value ? "on" : "off" }

/// `info migrate` in the table and qemu formats.
enum MigrationFormat {
    // MARK: qemu

    /// QEMU 10.2's `hmp_info_migrate`, byte for byte (with `\n` line ends).
    static func qemu(_ info: MigrationInfo, all: Bool, globals: MigrationGlobals = .qemuDefaults) -> String {
        let u = MigrationUnits.unsigned
        var out = ""
        if let reasons = info.blockedReasons, !reasons.isEmpty {
            out += "Outgoing migration blocked:\n"
            for reason in reasons { out += "  \(reason)\n" }
        }
        if let status = info.status {
            out += "Status: \t\t\(status.rawValue)"
            if status == .failed || status == .postcopyPaused, let error = info.errorDesc {
                out += " (\(error))\n"
            } else {
                out += "\n"
            }
            if let total = info.totalTime, total != 0 {
                out += "Time (ms): \t\ttotal=\(u(total))"
                if let setup = info.setupTime { out += ", setup=\(u(setup))" }
                if let expected = info.expectedDowntime { out += ", exp_down=\(u(expected))" }
                if let down = info.downtime { out += ", down=\(u(down))" }
                out += "\n"
            }
        }
        if let sockets = info.socketAddress, !sockets.isEmpty {
            out += "Sockets: [\n"
            for socket in sockets { out += "\t\(socket.uri)\n" }
            out += "]\n"
        }
        if let ram = info.ram {
            let size = { (v: Int64) in SizeFormatter.string(fromBytes: UInt64(bitPattern: v)) }
            out += "RAM info:\n"
            out += "  Throughput (Mbps): \t\(CFloatFormat.fixed(ram.mbps, precision: 2))\n"
            out += "  Sizes: \t\tpagesize=\(size(ram.pageSize)), total=\(size(ram.total))\n"
            out += "  Transfers: \t\ttransferred=\(size(ram.transferred)), remain=\(size(ram.remaining))\n"
            out += "    Channels: \t\tprecopy=\(MigrationUnits.size(ram.precopyBytes)), "
            out += "multifd=\(MigrationUnits.size(ram.multifdBytes)), postcopy=\(MigrationUnits.size(ram.postcopyBytes))"
            if let vfio = info.vfio { out += ", vfio=\(size(vfio.transferred))" }
            out += "\n"
            out += "    Page Types: \tnormal=\(u(ram.normal)), zero=\(u(ram.duplicate))\n"
            out += "  Page Rates (pps): \ttransfer=\(ram.pagesPerSecond)"
            if ram.dirtyPagesRate != 0 { out += ", dirty=\(u(ram.dirtyPagesRate))" }
            out += "\n"
            out += "  Others: \t\tdirty_syncs=\(u(ram.dirtySyncCount))"
            if ram.postcopyRequests != 0 { out += ", postcopy_req=\(u(ram.postcopyRequests))" }
            if ram.downtimeBytes != 0 { out += ", downtime_bytes=\(ram.downtimeBytes)" }
            if ram.dirtySyncMissedZeroCopy != 0 { out += ", zerocopy_fallbacks=\(ram.dirtySyncMissedZeroCopy)" }
            out += "\n"
        }
        guard all else { return out }

        out += "Globals:\n"
        for (name, value) in globals.rows { out += "  \(name): \(value)\n" }
        if let x = info.xbzrleCache {
            out += "XBZRLE: size=\(x.cacheSize), transferred=\(u(x.bytes)), pages=\(u(x.pages)), miss=\(u(x.cacheMiss))\n"
            out += "  miss_rate=\(CFloatFormat.fixed(x.cacheMissRate, precision: 2))"
            out += ", encode_rate=\(CFloatFormat.fixed(x.encodingRate, precision: 2)), overflow=\(u(x.overflow))\n"
        }
        if let throttle = info.cpuThrottlePercentage { out += "CPU Throttle (%): \(u(throttle))\n" }
        if let t = info.dirtyLimitThrottleTimePerRound { out += "Dirty-limit Throttle (us): \(t)\n" }
        if let t = info.dirtyLimitRingFullTime { out += "Dirty-limit Ring Full (us): \(t)\n" }
        if let blocktime = info.postcopyBlocktime { out += "Postcopy Blocktime (ms): \(blocktime)\n" }
        if let list = info.postcopyVcpuBlocktime {
            out += "Postcopy vCPU Blocktime (ms):\n [" + tenPerLine(list.map(String.init), separator: ",\n  ") + "]\n"
        }
        return out
    }

    /// QEMU's vCPU lists: `, ` between items, a line break after every tenth.
    static func tenPerLine(_ items: [String], separator: String) -> String {
        var out = ""
        for (i, item) in items.enumerated() {
            if i > 0 { out += i % 10 == 0 ? separator : ", " }
            out += item
        }
        return out
    }

    // MARK: table

    /// A readable report: state and times, then RAM, XBZRLE, throttling and postcopy
    /// figures with units. Unlike QEMU, every present figure is shown; `-a` adds the globals.
    /// `figuresNote` says where the figures come from when QEMU's reply had none.
    static func table(
        _ info: MigrationInfo, all: Bool, globals: MigrationGlobals = .qemuDefaults, figuresNote: String? = nil
    ) -> String {
        var sheet = MetricSheet()
        for (i, reason) in (info.blockedReasons ?? []).enumerated() {
            sheet.row(i == 0 ? "Migration blocked" : "", reason)
        }
        if let status = info.status {
            sheet.row("Status", status.rawValue)
        }
        if let error = MigrationOutcome.currentError(info) { sheet.row("Error", error) }
        if let figuresNote { sheet.row("Figures", figuresNote) }
        if let total = info.totalTime, total != 0 { sheet.row("Total time", HumanUnits.milliseconds(total)) }
        if let setup = info.setupTime { sheet.row("Setup time", HumanUnits.milliseconds(setup)) }
        if let expected = info.expectedDowntime { sheet.row("Expected downtime", HumanUnits.milliseconds(expected)) }
        if let down = info.downtime { sheet.row("Downtime", HumanUnits.milliseconds(down)) }
        for (i, socket) in (info.socketAddress ?? []).enumerated() {
            sheet.row(i == 0 ? "Listening on" : "", socket.uri)
        }
        if let ram = info.ram { addRAM(ram, vfio: info.vfio, to: &sheet) }
        if let x = info.xbzrleCache {
            sheet.section("XBZRLE")
            sheet.row("Cache size", MigrationUnits.size(x.cacheSize))
            sheet.row("Transferred", MigrationUnits.size(x.bytes))
            sheet.row("Pages", MigrationUnits.unsigned(x.pages))
            sheet.row("Cache misses", MigrationUnits.unsigned(x.cacheMiss))
            // QEMU's miss rate is a fraction of the pages looked up; the encoding rate a ratio.
            sheet.row("Miss rate", MigrationUnits.percent(x.cacheMissRate))
            sheet.row("Encoding ratio", CFloatFormat.fixed(x.encodingRate, precision: 2))
            sheet.row("Overflows", MigrationUnits.unsigned(x.overflow))
        }
        if info.cpuThrottlePercentage != nil || info.dirtyLimitThrottleTimePerRound != nil
            || info.dirtyLimitRingFullTime != nil
        {
            sheet.section("Throttling")
            if let p = info.cpuThrottlePercentage { sheet.row("CPU throttle", "\(p)%") }
            if let t = info.dirtyLimitThrottleTimePerRound { sheet.row("Dirty-limit sleep", "\(t) us per round") }
            if let t = info.dirtyLimitRingFullTime { sheet.row("Dirty ring full", "\(t) us") }
        }
        if info.postcopyBlocktime != nil || info.postcopyVcpuBlocktime != nil {
            sheet.section("Postcopy")
            if let b = info.postcopyBlocktime { sheet.row("Blocktime", "\(b) ms") }
            if let list = info.postcopyVcpuBlocktime {
                // Ten vCPUs a row keeps the report inside 80 columns.
                for start in stride(from: 0, to: max(list.count, 1), by: 10) {
                    let chunk = list.isEmpty ? [] : Array(list[start..<min(start + 10, list.count)])
                    sheet.row(start == 0 ? "vCPU blocktime (ms)" : "", chunk.map(String.init).joined(separator: " "))
                }
            }
        }
        if all {
            sheet.section("Globals")
            for (name, value) in globals.rows { sheet.row(name, value) }
        }
        if sheet.isEmpty { return "No migration has run yet\n" }
        return sheet.render()
    }

    private static func addRAM(_ ram: MigrationStats, vfio: VfioStats?, to sheet: inout MetricSheet) {
        sheet.section("RAM")
        // No share of the total here: the remaining figure grows again at every pass, so such
        // a share runs backwards. The verdict block shows the pass under way instead.
        sheet.row("Transferred", MigrationUnits.size(ram.transferred))
        sheet.row("Remaining", MigrationUnits.size(ram.remaining))
        sheet.row("Total", MigrationUnits.size(ram.total))
        sheet.row("Throughput", MigrationUnits.byteRate(mbps: ram.mbps))
        sheet.row("Page size", MigrationUnits.size(ram.pageSize))
        sheet.row("Normal pages", "\(MigrationUnits.unsigned(ram.normal)) (\(MigrationUnits.size(ram.normalBytes)))")
        sheet.row("Zero pages", MigrationUnits.unsigned(ram.duplicate))
        sheet.row("Page send rate", "\(ram.pagesPerSecond) pages/s")
        if ram.dirtyPagesRate != 0 {
            let (bytes, overflow) = UInt64(max(0, ram.dirtyPagesRate)).multipliedReportingOverflow(by: UInt64(max(0, ram.pageSize)))
            let rate = overflow ? "" : " (\(MigrationUnits.size(bytes))/s)"
            sheet.row("Page dirty rate", "\(ram.dirtyPagesRate) pages/s" + rate)
        }
        sheet.row("Dirty syncs", MigrationUnits.unsigned(ram.dirtySyncCount))
        sheet.row("Precopy bytes", MigrationUnits.size(ram.precopyBytes))
        sheet.row("Multifd bytes", MigrationUnits.size(ram.multifdBytes))
        sheet.row("Postcopy bytes", MigrationUnits.size(ram.postcopyBytes))
        if let vfio { sheet.row("VFIO bytes", MigrationUnits.size(vfio.transferred)) }
        if ram.postcopyRequests != 0 { sheet.row("Postcopy requests", MigrationUnits.unsigned(ram.postcopyRequests)) }
        if ram.downtimeBytes != 0 { sheet.row("Downtime bytes", MigrationUnits.size(ram.downtimeBytes)) }
        if ram.dirtySyncMissedZeroCopy != 0 { sheet.row("Zero-copy fallbacks", String(ram.dirtySyncMissedZeroCopy)) }
    }
}

extension SocketAddress {
    /// QEMU's `socket_uri`.
    var uri: String {
        switch self {
        case .inet(let a): "tcp:\(a.host):\(a.port)"
        case .unix(let a): "unix:\(a.path)"
        case .fd(let a): "fd:\(a.str)"
        case .vsock(let a): "vsock:\(a.cid):\(a.port)"
        }
    }
}
