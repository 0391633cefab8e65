import QAPI

/// Dirty page rate measurement and the per-vCPU dirty page limit.
enum DirtyRateCommands {
    /// What QEMU prints after setting or cancelling a limit.
    static let limitHint = "[Please use 'info vcpu_dirty_limit' to query dirty limit for virtual CPU]\n"

    struct CalcArguments: HMPArgumentValues {
        var dirtyRing = false
        var dirtyBitmap = false
        var seconds: Int64 = 0
        var samplePages: Int64?
        static let signature = HMPSignature<Self>(
            .flag("r", "dirty_ring", \.dirtyRing, help: "measure with the KVM dirty ring"),
            .flag("b", "dirty_bitmap", \.dirtyBitmap, help: "measure with the dirty bitmap"),
            .argument("second", .int64, \.seconds, help: "how long to measure, in seconds"),
            .argument("sample_pages_per_GB", .int64, \.samplePages, help: "pages sampled per GiB (page-sampling mode only)"))
    }

    struct SetLimitArguments: HMPArgumentValues {
        var rate: Int64 = 0
        var cpu: Int64?
        static let signature = HMPSignature<Self>(
            .argument("dirty_rate", .int64, \.rate, help: "the limit in MB/s; 0 cancels it"),
            .argument("cpu_index", .int64, \.cpu, help: "one vCPU; all when left out"))
    }

    struct CancelLimitArguments: HMPArgumentValues {
        var cpu: Int64?
        static let signature = HMPSignature<Self>(.argument("cpu_index", .int64, \.cpu, help: "one vCPU; all when left out"))
    }

    static let commands: [HMPCommand] = [
        HMPCommand(
            "calc_dirty_rate", CalcArguments.self,
            help: "start a round of guest dirty rate measurement (-r: dirty ring, -b: dirty bitmap)",
            qmp: "calc-dirty-rate {calc-time, sample-pages, mode}",
            details: "Without -r or -b the rate is measured by page sampling. The result is read with `info dirty_rate`.",
            handler: calcDirtyRate),
        HMPCommand(
            "set_vcpu_dirty_limit", SetLimitArguments.self,
            help: "set dirty page rate limit, use cpu_index to set limit on a specified virtual cpu",
            qmp: "set-vcpu-dirty-limit {dirty-rate, cpu-index}",
            handler: { invocation, arguments throws(HMPError) in
                let rate = arguments.rate
                let cpu = arguments.cpu
                guard rate >= 0 else { throw .command(.generic("invalid dirty page limit \(rate)")) }
                _ = try invocation.run(SetVcpuDirtyLimitCommand.self, SetVcpuDirtyLimitArguments(cpuIndex: cpu, dirtyRate: UInt64(rate)))
                let target = cpu.map { "vCPU \($0)" } ?? "every vCPU"
                let text =
                    rate == 0
                    ? "Dirty page limit cancelled for \(target)"
                    : "Dirty page limit of \(target) set to \(rate) \(DirtyRateFormat.rateUnit)"
                return invocation.render(reply: .object(JSONObject()), table: { text + "\n" }, qemu: { limitHint })
            }),
        HMPCommand(
            "cancel_vcpu_dirty_limit", CancelLimitArguments.self,
            help: "cancel dirty page rate limit, use cpu_index to cancel limit on a specified virtual cpu",
            qmp: "cancel-vcpu-dirty-limit {cpu-index}",
            handler: { invocation, arguments throws(HMPError) in
                let cpu = arguments.cpu
                let limits = (try? invocation.run(QueryVcpuDirtyLimitCommand.self, QAPIEmpty())) ?? []
                _ = try invocation.run(CancelVcpuDirtyLimitCommand.self, CancelVcpuDirtyLimitArguments(cpuIndex: cpu))
                // QEMU's qmp_cancel_vcpu_dirty_limit() returns silently when there is nothing to cancel.
                let limited = limits.filter { $0.limitRate > 0 && (cpu == nil || $0.cpuIndex == cpu) }
                let text =
                    limited.isEmpty
                    ? "No dirty page limit is set on " + (cpu.map { "vCPU \($0)" } ?? "any vCPU") + "; nothing cancelled"
                    : "Dirty page limit cancelled for " + (cpu.map { "vCPU \($0)" } ?? "every vCPU")
                return invocation.render(reply: .object(JSONObject()), table: { text + "\n" }, qemu: { limitHint })
            }),
    ]

    static let infoCommands: [HMPCommand] = [
        HMPCommand(
            "dirty_rate", help: "show dirty rate information", qmp: "query-dirty-rate {calc-time-unit: second}",
            handler: { invocation throws(HMPError) in
                let info = try invocation.run(QueryDirtyRateCommand.self, QueryDirtyRateArguments(calcTimeUnit: .second))
                return invocation.render(
                    reply: info.qapi, table: { DirtyRateFormat.table(info) }, qemu: { DirtyRateFormat.qemu(info) })
            }),
        HMPCommand(
            "vcpu_dirty_limit", help: "show dirty page limit information of all vCPU", qmp: "query-vcpu-dirty-limit",
            handler: { invocation throws(HMPError) in
                let limits = try invocation.run(QueryVcpuDirtyLimitCommand.self, QAPIEmpty())
                return invocation.render(
                    reply: limits.qapi, table: { DirtyRateFormat.table(limits) }, qemu: { DirtyRateFormat.qemu(limits) })
            }),
    ]

    static func calcDirtyRate(_ invocation: HMPInvocation, _ arguments: CalcArguments) throws(HMPError) -> HMPOutput {
        let seconds = arguments.seconds
        let samplePages = arguments.samplePages
        let ring = arguments.dirtyRing
        let bitmap = arguments.dirtyBitmap
        // QEMU prints these two without "Error: ".
        if seconds == 0 { throw .plain("Incorrect period length specified!") }
        if ring && bitmap { throw .plain("Either dirty ring or dirty bitmap can be specified!") }
        let mode: DirtyRateMeasureMode = bitmap ? .dirtyBitmap : ring ? .dirtyRing : .pageSampling
        _ = try invocation.run(
            CalcDirtyRateCommand.self, CalcDirtyRateArguments(calcTime: seconds, samplePages: samplePages, mode: mode))
        let qemuText =
            "Starting dirty rate measurement with period \(seconds) seconds\n"
            + "[Please use 'info dirty_rate' to check results]\n"
        var detail = mode.rawValue
        if let samplePages { detail += ", \(samplePages) pages per GiB" }
        let tableText = "Measuring the dirty rate for \(seconds) s (\(detail)); 'info dirty_rate' shows the result\n"
        return invocation.render(reply: .object(JSONObject()), table: { tableText }, qemu: { qemuText })
    }
}
