import QAPI

/// Moving the block model along the clock.
///
/// Between two model events every rate is constant, so the model jumps from event to event:
/// it works out when the next one happens (a job finishing, a threshold crossed, a volume
/// filling up), integrates the counters up to it, handles it, and repeats. The cost is per
/// event, never per byte or per millisecond.
extension BlockLayer {
    /// Something that happens at a computed model time.
    enum Occurrence {
        case jobWorkDone(jobID: String)
        case threshold(image: Int, isFile: Bool, target: UInt64)
        case volumeFull(backend: Int)
        case ejectHonoured(backend: Int)
    }

    /// Moves block jobs, guest I/O counters and thresholds forward to `time`.
    public func advance(to time: ModelTime) {
        guard time > now || hasDueOccurrence else { return }
        // A bound on events handled in one call, so a model bug cannot hang the console.
        var budget = 100_000
        while budget > 0 {
            budget -= 1
            guard let (at, occurrence) = nextOccurrence(notAfter: time) else { break }
            integrate(to: at)
            handle(occurrence)
        }
        integrate(to: time)
    }

    /// Whether something is due right now (e.g. a job with no work left was just started).
    private var hasDueOccurrence: Bool { nextOccurrence(notAfter: now) != nil }

    // MARK: - Rates

    /// What the guest achieves on a backend now.
    func rates(for index: Int) -> EffectiveRates {
        let b = backends[index]
        guard guestRunning, let top = b.medium, !b.trayOpen, let image = images[top] else { return .zero }
        let w = b.workload
        var demand = EffectiveRates(readBytes: w.readBytesPerSecond, readOps: w.readOpsPerSecond, flushes: w.flushesPerSecond)
        if !image.readOnly {
            let newData = w.writeBytesPerSecond.scaled(by: w.newDataPerMillion, over: 1_000_000)
            if b.newDataFailing {
                let failing = w.writeOpsPerSecond.scaled(by: w.newDataPerMillion, over: 1_000_000)
                demand.writeOps = w.writeOpsPerSecond - failing
                demand.failedWriteOps = failing
                demand.writeBytes = w.writeBytesPerSecond - newData
            } else {
                demand.writeOps = w.writeOpsPerSecond
                demand.writeBytes = w.writeBytesPerSecond
                demand.newData = image.used.whole < image.virtualSize ? newData : 0
            }
        }
        return b.throttle.apply(to: demand)
    }

    /// Average size of a guest write on a backend, the unit in which writes cross thresholds.
    func writeRequestSize(_ index: Int) -> UInt64 {
        let w = backends[index].workload
        guard w.writeOpsPerSecond > 0 else { return 65_536 }
        return max(512, w.writeBytesPerSecond / w.writeOpsPerSecond)
    }

    /// Bytes per second a job copies while it runs.
    func copyRate(_ job: BlockJob) -> UInt64 { job.speed > 0 ? job.speed : Self.modelDiskThroughput }

    /// Bytes per second the guest adds to a job's work (mirror and copy-before-write backup).
    func dirtyRate(_ job: BlockJob) -> UInt64 {
        guard job.syncsGuestWrites, let index = backendIndex(job.device) else { return 0 }
        return rates(for: index).writeBytes
    }

    // MARK: - Finding the next event

    func nextOccurrence(notAfter limit: ModelTime) -> (ModelTime, Occurrence)? {
        var best: (ModelTime, Occurrence)?
        func consider(_ delay: UInt64?, _ occurrence: Occurrence) {
            guard let delay else { return }
            let at = now + ModelTime(nanoseconds: delay)
            guard at <= limit else { return }
            if best == nil || at < best!.0 { best = (at, occurrence) }
        }
        for job in jobs where job.isCopying { consider(workDoneDelay(job), .jobWorkDone(jobID: job.id)) }
        for index in backends.indices {
            let b = backends[index]
            if let requested = b.ejectRequestedAt, guestRunning {
                let due = requested + Self.ejectRequestDelay
                consider(due > now ? (due - now).nanoseconds : 0, .ejectHonoured(backend: index))
            }
            guard let top = b.medium, let image = images[top] else { continue }
            let newData = rates(for: index).newData
            guard newData > 0 else { continue }
            if image.usedLimit < image.virtualSize {
                consider(image.used.nanoseconds(untilReaching: image.usedLimit, rate: newData), .volumeFull(backend: index))
            }
            let size = writeRequestSize(index)
            for isFile in [false, true] {
                guard let target = thresholdTarget(image, isFile: isFile, requestSize: size) else { continue }
                let usedTarget = isFile ? image.usedReaching(fileHighWater: target) : target
                guard usedTarget <= image.usedLimit else { continue }
                consider(
                    image.used.nanoseconds(untilReaching: usedTarget, rate: newData),
                    .threshold(image: top, isFile: isFile, target: target))
            }
        }
        return best
    }

    /// The high-water mark at which the write that crosses a node's threshold ends: writes are
    /// whole requests aligned to their size, so the crossing one overshoots by part of a request.
    func thresholdTarget(_ image: DiskImage, isFile: Bool, requestSize: UInt64) -> UInt64? {
        let t = isFile ? image.fileThreshold : image.formatThreshold
        guard t.bytes > 0 else { return nil }
        let from = max(t.bytes, t.armedAt, isFile ? image.fileHighWater : image.formatHighWater)
        return (from / requestSize).saturatingAdd(1) * requestSize
    }

    func workDoneDelay(_ job: BlockJob) -> UInt64? {
        if job.state == .ready { return nil }
        if case .backup(_, .none) = job.detail { return nil }
        guard job.syncsGuestWrites else { return job.copied.nanoseconds(untilReaching: job.len, rate: copyRate(job)) }
        let deficit = job.len.saturatingSub(job.copied.whole)
        if deficit == 0 { return 0 }
        let rate = copyRate(job)
        let dirty = dirtyRate(job)
        guard rate > dirty else { return nil }
        // An estimate: both counters move in whole bytes, so the handler checks and the loop
        // comes back for the last byte if needed.
        return max(1, deficit.scaled(by: 1_000_000_000, over: rate - dirty))
    }

    // MARK: - Integrating

    /// Moves every counter from `now` to `time` at the current rates.
    func integrate(to time: ModelTime) {
        guard time > now else { return }
        let ns = (time - now).nanoseconds
        for index in backends.indices { integrateBackend(index, nanoseconds: ns, end: time) }
        for j in jobs.indices { integrateJob(j, nanoseconds: ns) }
        now = time
    }

    private func integrateBackend(_ index: Int, nanoseconds ns: UInt64, end: ModelTime) {
        let r = rates(for: index)
        guard r.anyOps || r.readBytes > 0 || r.writeBytes > 0, let top = backends[index].medium else { return }
        var b = backends[index]
        var c = b.counters
        let readSize = r.readOps > 0 ? r.readBytes / r.readOps : 0
        let writeSize = r.writeOps > 0 ? r.writeBytes / r.writeOps : 0
        c.readBytes.accumulate(rate: r.readBytes, nanoseconds: ns)
        c.writeBytes.accumulate(rate: r.writeBytes, nanoseconds: ns)
        let reads = c.readOps.accumulate(rate: r.readOps, nanoseconds: ns)
        let writes = c.writeOps.accumulate(rate: r.writeOps, nanoseconds: ns)
        let flushes = c.flushOps.accumulate(rate: r.flushes, nanoseconds: ns)
        let failed = c.failedWriteOps.accumulate(rate: r.failedWriteOps, nanoseconds: ns)
        c.readTotalNanoseconds = c.readTotalNanoseconds.saturatingAdd(reads.saturatingMul(Latency.read(size: readSize)))
        c.writeTotalNanoseconds = c.writeTotalNanoseconds.saturatingAdd(
            (writes + failed).saturatingMul(Latency.write(size: writeSize, writeback: b.cache.writeback)))
        c.flushTotalNanoseconds = c.flushTotalNanoseconds.saturatingAdd(flushes.saturatingMul(b.cache.noFlush ? 1_000 : Latency.flush))
        b.counters = c
        // The last request to finish is the latest among the kinds that completed one here.
        var last: ModelTime?
        for (counter, rate) in [
            (c.readOps, r.readOps), (c.writeOps, r.writeOps), (c.flushOps, r.flushes), (c.failedWriteOps, r.failedWriteOps),
        ] {
            guard let since = counter.nanosecondsSinceLastUnit(rate: rate), since < ns, counter.whole > 0 else { continue }
            let t = end - ModelTime(nanoseconds: since)
            if last == nil || t > last! { last = t }
        }
        if let last, b.lastIOTime.map({ last > $0 }) ?? true { b.lastIOTime = last }
        backends[index] = b

        guard var image = images[top] else { return }
        if r.writeBytes > 0 || r.newData > 0 { image.writtenSinceOpen = true }
        if r.newData > 0 {
            image.used.accumulate(rate: r.newData, nanoseconds: ns)
            if image.used.whole >= image.usedLimit { image.used.set(image.usedLimit) }
        }
        for k in image.bitmaps.indices where image.bitmaps[k].recording {
            image.bitmaps[k].dirty.accumulate(rate: r.writeBytes, nanoseconds: ns)
        }
        images[top] = image
    }

    private func integrateJob(_ j: Int, nanoseconds ns: UInt64) {
        var job = jobs[j]
        guard job.isActive else { return }
        let dirty = dirtyRate(job)
        job.dirtied.accumulate(rate: dirty, nanoseconds: ns)
        if job.isCopying {
            let rate = copyRate(job)
            let inSync = job.state == .ready && rate >= dirty
            if case .backup(_, .none) = job.detail {
                job.copied.set(job.len)
            } else if inSync {
                job.copied.set(job.len)
            } else {
                job.copied.accumulate(rate: rate, nanoseconds: ns)
                if job.copied.whole > job.len && job.state != .ready { job.copied.set(job.len) }
            }
        }
        jobs[j] = job
        updateTargetAllocation(of: job)
    }

    /// A mirror or backup target holds as much data as the job has copied so far.
    func updateTargetAllocation(of job: BlockJob) {
        switch job.detail {
        case .mirror(let target, _), .backup(let target, _):
            guard var image = images[target] else { return }
            let copied = min(job.offset, image.virtualSize)
            guard copied > image.used.whole else { return }
            let before = (image.formatHighWater, image.fileHighWater)
            image.used.set(copied)
            image.writtenSinceOpen = true
            images[target] = image
            fireCrossedThresholds(target, formatBefore: before.0, fileBefore: before.1)
        default:
            break
        }
    }

    // MARK: - Handling events

    func handle(_ occurrence: Occurrence) {
        switch occurrence {
        case .jobWorkDone(let id):
            jobWorkDone(id)
        case .threshold(let image, let isFile, let target):
            fireThreshold(image: image, isFile: isFile, highWater: target)
        case .volumeFull(let index):
            volumeFull(index)
        case .ejectHonoured(let index):
            // The guest unlocks and opens the tray; the medium stays in it until ejected again.
            backends[index].ejectRequestedAt = nil
            backends[index].locked = false
            backends[index].trayOpen = true
        }
    }

    /// A write needed space the volume no longer has: apply the backend's write error policy.
    private func volumeFull(_ index: Int) {
        let action = backends[index].writeErrorPolicy.action(noSpace: true)
        reportGuestIOError(index, operation: .write, action: action, noSpace: true, reason: "No space left on device")
        if action != .stop { backends[index].newDataFailing = true }
    }

    /// Emits BLOCK_IO_ERROR and applies the action: `stop` records the error in io-status and
    /// stops the guest; `report` and `ignore` let it run on.
    func reportGuestIOError(_ index: Int, operation: IoOperationType, action: BlockErrorAction, noSpace: Bool, reason: String) {
        let b = backends[index]
        emit(
            BlockIoErrorEvent(
                qomPath: b.qdevPath, device: b.name, nodeName: b.medium.flatMap { images[$0]?.formatNodeName },
                operation: operation, action: action, nospace: noSpace, reason: reason))
        if action == .stop {
            backends[index].ioStatus = noSpace ? .nospace : .failed
            if guestRunning {
                guestRunning = false
                onGuestStopRequest?(now)
            }
        }
    }
}

extension UInt64 {
    func saturatingMul(_ other: UInt64) -> UInt64 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? .max : product
    }
}
