import QAPI

extension VirtualMachine {
    /// `calc-dirty-rate`, with QEMU's checks and texts. The measurement runs on the model
    /// clock; `query-dirty-rate` shows the result once `calc-time` has passed.
    public func calcDirtyRate(
        calcTime: Int64, unit: TimeUnit?, samplePages: Int64?, mode: DirtyRateMeasureMode?
    ) throws(QMPError) {
        if dirtyRateMeter.status == .measuring {
            throw QMPError.generic("the dirty rate is already being measured.")
        }
        let (ms, overflow) =
            unit == .millisecond ? (calcTime, false) : calcTime.multipliedReportingOverflow(by: 1000)
        if overflow || !(50...60_000).contains(ms) {
            throw QMPError.generic("Calculation time is out of range [50ms, 60000ms].")
        }
        let mode = mode ?? .pageSampling
        if samplePages != nil && mode != .pageSampling {
            throw QMPError.generic("sample-pages is used only in page-sampling mode")
        }
        if let samplePages, !(128...16384).contains(samplePages) {
            throw QMPError.generic("sample-pages is out of range[128, 16384].")
        }
        let host = configuration.host
        if mode == .dirtyRing && !host.hasDirtyRing {
            throw QMPError.generic(
                "mode dirty-ring is not enabled, use other method instead.", hint: HostHints.noDirtyRing)
        }
        if mode == .dirtyBitmap && host.hasDirtyRing {
            throw QMPError.generic(
                "mode dirty-bitmap is not enabled, use other method instead.",
                hint: "The model's host description has the KVM dirty ring on, which rules out the dirty bitmap.")
        }
        dirtyRateMeter.start(
            mode: mode, calcTimeMs: ms, samplePages: UInt64(samplePages ?? 512), now: now,
            wallClockSeconds: Int64((wallClockEpochMicroseconds + now.nanoseconds / 1000) / 1_000_000),
            vcpus: configuration.vcpus)
    }

    /// `query-dirty-rate`: the last measurement, calc-time in the unit asked for (seconds
    /// by default).
    public func queryDirtyRate(unit: TimeUnit?) -> DirtyRateInfo {
        let meter = dirtyRateMeter
        let unit = unit ?? .second
        let measured = meter.status == .measured
        var info = DirtyRateInfo(
            status: meter.status, startTime: meter.startTimeSeconds,
            calcTime: unit == .millisecond ? meter.calcTimeMs : meter.calcTimeMs / 1000, calcTimeUnit: unit,
            samplePages: meter.samplePages, mode: meter.mode)
        if measured {
            info.dirtyRate = meter.dirtyRate
            if meter.mode == .dirtyRing {
                // QEMU reports 0 sample pages when page sampling was not used.
                info.samplePages = 0
                info.vcpuDirtyRate = meter.vcpuDirtyRates.enumerated().map {
                    DirtyRateVcpu(id: Int64($0.offset), dirtyRate: $0.element)
                }
            }
        }
        return info
    }

    // MARK: - Dirty limits

    /// `set-vcpu-dirty-limit`: caps the dirty page rate (MB/s) of one vCPU or all of them;
    /// a rate of 0 cancels. Needs the KVM dirty ring.
    public func setVcpuDirtyLimit(cpuIndex: Int64?, dirtyRate: UInt64) throws(QMPError) {
        if !configuration.host.hasDirtyRing {
            throw QMPError.generic(
                "dirty page limit feature requires KVM with accelerator property 'dirty-ring-size' set",
                hint: HostHints.noDirtyRing)
        }
        let index = try vcpuIndex(cpuIndex)
        if migration.isRunning {
            throw QMPError.generic("can't set dirty page rate limit while migration is running")
        }
        if dirtyRate == 0 {
            try cancelVcpuDirtyLimit(cpuIndex: cpuIndex)
            return
        }
        if let index { setDirtyLimit(dirtyRate, vcpu: index) } else { setDirtyLimitAll(dirtyRate) }
    }

    /// `cancel-vcpu-dirty-limit`. Without a dirty ring it does nothing, as in QEMU.
    public func cancelVcpuDirtyLimit(cpuIndex: Int64?) throws(QMPError) {
        guard configuration.host.hasDirtyRing else { return }
        let index = try vcpuIndex(cpuIndex)
        if migration.capabilities[.dirtyLimit] && migration.isRunning {
            throw QMPError.generic("can't cancel dirty page rate limit while migration is running")
        }
        if let index { setDirtyLimit(nil, vcpu: index) } else { setDirtyLimitAll(nil) }
    }

    /// `query-vcpu-dirty-limit`: the limited vCPUs with their limit and current rate (MB/s);
    /// empty when no limit is in force.
    public func queryVcpuDirtyLimit() -> [DirtyLimitInfo] {
        let rates = vcpuDirtyRates()
        return dirtyLimits.enumerated().compactMap { index, limit in
            guard let limit else { return nil }
            return DirtyLimitInfo(cpuIndex: Int64(index), limitRate: limit, currentRate: mebibytes(rates[index]))
        }
    }

    /// The dirty-limit figures `query-migrate` shows while limits are in force: how long a
    /// vCPU takes to fill its dirty ring, and how long it is held back per ring-full round to
    /// keep it within its limit (microseconds, the largest over vCPUs).
    func dirtyLimitTimes() -> (throttleMicroseconds: UInt64, ringFullMicroseconds: UInt64)? {
        guard dirtyLimits.contains(where: { $0 != nil }) else { return nil }
        let ringBytes = Double(configuration.host.kvmDirtyRingSize) * Double(configuration.pageSize)
        let limited = vcpuDirtyRates()
        let unlimited =
            Double(workload.dirtyPagesPerSecond) / Double(configuration.vcpus)
            * (1 - Double(migration.throttlePercentage) / 100)
        var throttle = 0.0
        var ringFull = 0.0
        for rate in limited where rate > 0 {
            let limitedSeconds = ringBytes / (rate * Double(configuration.pageSize))
            ringFull = max(ringFull, limitedSeconds)
            if unlimited > rate {
                throttle = max(throttle, limitedSeconds - ringBytes / (unlimited * Double(configuration.pageSize)))
            }
        }
        return (UInt64((throttle * 1e6).rounded()), UInt64((ringFull * 1e6).rounded()))
    }

    private func vcpuIndex(_ cpuIndex: Int64?) throws(QMPError) -> Int? {
        guard let cpuIndex else { return nil }
        guard cpuIndex >= 0, cpuIndex < Int64(configuration.vcpus) else {
            throw QMPError.generic("incorrect cpu index specified")
        }
        return Int(cpuIndex)
    }

    /// Pages per second as whole MiB per second.
    func mebibytes(_ pagesPerSecond: Double) -> UInt64 {
        UInt64(pagesPerSecond * Double(configuration.pageSize)) >> 20
    }
}
