import QAPI

/// `info guest` and `info link`. These have no QEMU counterpart; the `qemu` format prints
/// `name: value` lines with the schema's names and plain numbers, as QEMU's own lists do.
enum ModelFormat {
    static func pages(_ rate: UInt64, pageSize: UInt64) -> String {
        let (bytes, overflow) = rate.multipliedReportingOverflow(by: pageSize)
        return "\(rate) pages/s" + (overflow ? "" : " (\(HumanUnits.bytes(bytes))/s)")
    }

    static func guestTable(_ g: ModelGuestInfo, runState: RunState) -> String {
        let zeroBytes = g.ramSize / 100 * UInt64(g.zeroPercent) + g.ramSize % 100 * UInt64(g.zeroPercent) / 100
        return TextTable.keyValue(
            [
                ("RAM", SizeEcho.bytes(g.ramSize)),
                ("vCPUs", String(g.vcpus)),
                ("page size", HumanUnits.bytes(g.pageSize)),
                ("run state", runState.rawValue),
                ("dirty rate", pages(g.dirtyRate, pageSize: g.pageSize)),
                (
                    "dirty rate now",
                    pages(g.effectiveDirtyRate, pageSize: g.pageSize)
                        + (g.cpuThrottlePercentage > 0 ? ", CPU throttled \(g.cpuThrottlePercentage)%" : "")
                ),
                ("zero pages", "\(g.zeroPercent)% of RAM (\(HumanUnits.bytes(zeroBytes)))"),
                ("hot set", SizeEcho.bytes(g.hotSetSize)),
            ] + (g.ramDigest.map { [("RAM digest", $0)] } ?? []))
    }

    static func guestQEMU(_ g: ModelGuestInfo, runState: RunState) -> String {
        """
        ram-size: \(g.ramSize) bytes
        page-size: \(g.pageSize) bytes
        vcpus: \(g.vcpus)
        run-state: \(runState.rawValue)
        dirty-rate: \(g.dirtyRate) pages/second
        effective-dirty-rate: \(g.effectiveDirtyRate) pages/second
        cpu-throttle-percentage: \(g.cpuThrottlePercentage)
        zero-percent: \(g.zeroPercent)
        hot-set-size: \(g.hotSetSize) bytes

        """ + (g.ramDigest.map { "ram-digest: \($0)\n" } ?? "")
    }

    static func fault(_ f: ModelFaultInfo) -> String {
        switch f.fault {
        case .refuseConnection: "refuse-connection " + (f.host.map { "to \($0)" } ?? "to every host")
        case .dropLink: "drop-link" + (f.at.map { " at \(HumanUnits.milliseconds(Int64(clamping: $0))) (model time)" } ?? "")
        case .clear: "clear"
        }
    }

    static func linkTable(_ l: ModelLinkInfo) -> String {
        TextTable.keyValue([
            ("bandwidth", ModelSettings.linkRate(l.bandwidth)),
            ("latency", ModelSettings.micros(l.latency) + " one way"),
            ("disk speed", "\(HumanUnits.rate(bytesPerSecond: l.diskSpeed)) (file: migrations)"),
            ("pipe speed", "\(HumanUnits.rate(bytesPerSecond: l.pipeSpeed)) (exec: migrations)"),
            ("exec: allowed", l.execAllowed ? "yes" : "no"),
            ("faults", l.faults.isEmpty ? "none" : l.faults.map(fault).joined(separator: "; ")),
        ])
    }

    static func linkQEMU(_ l: ModelLinkInfo) -> String {
        var out = "bandwidth: \(l.bandwidth) bits/second\n"
        out += "latency: \(l.latency) us\n"
        out += "disk-speed: \(l.diskSpeed) bytes/second\n"
        out += "pipe-speed: \(l.pipeSpeed) bytes/second\n"
        out += "exec-allowed: \(l.execAllowed ? "on" : "off")\n"
        out += "faults:" + (l.faults.isEmpty ? " none" : "") + "\n"
        for f in l.faults {
            out += "  \(f.fault.rawValue)" + (f.host.map { " host=\($0)" } ?? "") + (f.at.map { " at=\($0) ms" } ?? "") + "\n"
        }
        return out
    }
}
