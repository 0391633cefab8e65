import QAPI

extension MigrationEngine {
    /// `query-migrate`: what QEMU's `fill_source_migration_info` and
    /// `fill_destination_migration_info` report for the current state.
    public func info() -> MigrationInfo {
        var info = MigrationInfo()
        if let run, status != .none {
            info.status = status
            switch status {
            case .active, .cancelling, .postcopyActive, .preSwitchover, .device, .postcopyPaused,
                .postcopyRecoverSetup, .postcopyRecover, .completed:
                fillTimes(&info, run)
                fillRAM(&info, run)
            default:
                break
            }
        }
        if let errorDescription { info.errorDesc = errorDescription }
        switch incoming.status {
        case .setup, .cancelling, .cancelled, .active, .postcopyActive, .postcopyPaused, .postcopyRecover, .failed,
            .colo, .completed:
            info.status = incoming.status
            if !incoming.socketAddresses.isEmpty { info.socketAddress = incoming.socketAddresses }
        default:
            break
        }
        return info
    }

    private func fillTimes(_ info: inout MigrationInfo, _ run: MigrationRun) {
        info.setupTime = Int64(run.setupTimeMs)
        if status == .completed, let total = run.totalTimeMs {
            info.totalTime = Int64(total)
        } else {
            info.totalTime = Int64((machine.now - run.startTime).milliseconds)
        }
        if status == .completed || inPostcopy {
            info.downtime = Int64(run.downtimeMs ?? 0)
        } else {
            info.expectedDowntime = Int64(run.expectedDowntimeMs)
        }
    }

    private func fillRAM(_ info: inout MigrationInfo, _ run: MigrationRun) {
        let config = machine.configuration
        let counters = run.ram.counters
        let completed = status == .completed
        info.ram = MigrationStats(
            transferred: Int64(counters.transferred),
            remaining: completed ? 0 : Int64(run.ram.remainingBytes),
            total: Int64(config.ramSize),
            duplicate: Int64(counters.zeroPages),
            normal: Int64(counters.normalPages),
            normalBytes: Int64(counters.normalPages * config.pageSize),
            dirtyPagesRate: completed ? 0 : Int64(run.dirtyPagesRate),
            mbps: run.mbps,
            dirtySyncCount: Int64(counters.syncCount),
            postcopyRequests: Int64(counters.postcopyRequests),
            pageSize: Int64(config.pageSize),
            multifdBytes: counters.multifdBytes,
            pagesPerSecond: run.pagesPerSecond,
            precopyBytes: counters.precopyBytes,
            downtimeBytes: counters.downtimeBytes,
            postcopyBytes: counters.postcopyBytes,
            // The model's zero-copy sends never fall back to copying.
            dirtySyncMissedZeroCopy: 0)
        if capabilities[.xbzrle] {
            info.xbzrleCache = XBZRLECacheStats(
                cacheSize: settings.xbzrleCacheSize, bytes: Int64(counters.xbzrleBytes),
                pages: Int64(counters.xbzrlePages), cacheMiss: Int64(counters.xbzrleCacheMiss),
                cacheMissRate: run.xbzrleCacheMissRate, encodingRate: run.xbzrleEncodingRate,
                overflow: Int64(counters.xbzrleOverflow))
        }
        if throttlePercentage > 0 { info.cpuThrottlePercentage = Int64(throttlePercentage) }
        if capabilities[.dirtyLimit], let times = machine.dirtyLimitTimes() {
            info.dirtyLimitThrottleTimePerRound = times.throttleMicroseconds
            info.dirtyLimitRingFullTime = times.ringFullMicroseconds
        }
    }

    /// `query-migrationthreads`: the migration thread and the multifd senders while a
    /// migration runs.
    public var threads: [MigrationThreadInfo] {
        guard let run, isRunning else { return [] }
        var list = [
            MigrationThreadInfo(
                name: run.flavor == .backgroundSnapshot ? "bg_snapshot" : "live_migration",
                threadId: run.threadIDs[0])
        ]
        if run.multifd {
            for (i, id) in run.threadIDs.dropFirst().enumerated() {
                list.append(MigrationThreadInfo(name: "mig/src/send_\(i)", threadId: id))
            }
        }
        return list
    }
}
