import QAPI

/// QEMU's once-per-second bookkeeping at bitmap syncs (`migration_bitmap_sync`): the dirty
/// page rate, XBZRLE's rates, and the convergence trigger that starts CPU throttling
/// (auto-converge) or per-vCPU dirty limits (dirty-limit).
extension MigrationEngine {
    func periodUpdateIfDue() {
        guard var run else { return }
        let now = machine.now
        let elapsed = (now - run.periodStart).milliseconds
        guard elapsed >= 1000 else { return }
        let pageSize = machine.configuration.pageSize
        let counters = run.ram.counters
        run.dirtyPagesRate = run.periodDirtyPages * 1000 / elapsed

        // Dirtying more than throttle-trigger-threshold percent of what was sent, twice,
        // means the migration is not converging.
        let transferredInPeriod = counters.transferred - run.periodTransferredStart
        let dirtyBytes = run.periodDirtyPages * pageSize
        let dirtyThreshold = transferredInPeriod * UInt64(settings.throttleTriggerThreshold) / 100
        var trigger = false
        if (capabilities[.autoConverge] || capabilities[.dirtyLimit]) && dirtyBytes > dirtyThreshold {
            run.dirtyRateHighCount += 1
            if run.dirtyRateHighCount >= 2 {
                run.dirtyRateHighCount = 0
                trigger = true
            }
        }

        if run.xbzrle { updateXBZRLERates(&run) }

        run.periodStart = now
        run.periodTransferredStart = counters.transferred
        run.periodDirtyPages = 0
        run.periodPagesStart = counters.pagesHandled
        run.periodXBZRLEMissStart = counters.xbzrleCacheMiss
        run.periodXBZRLEBytesStart = counters.xbzrleBytes
        run.periodXBZRLEPagesStart = counters.xbzrlePages
        self.run = run

        if trigger {
            if capabilities[.autoConverge] {
                throttleDown(dirtyBytes: dirtyBytes, threshold: dirtyThreshold)
            } else if capabilities[.dirtyLimit] {
                // Every vCPU gets the vcpu-dirty-limit quota.
                machine.setDirtyLimitAll(settings.vcpuDirtyLimit)
            }
        }
    }

    /// XBZRLE's miss rate and encoding rate over the period since the last update.
    func updateXBZRLERates(_ run: inout MigrationRun) {
        let counters = run.ram.counters
        let pages = counters.pagesHandled - run.periodPagesStart
        if pages > 0 {
            run.xbzrleCacheMissRate = Double(counters.xbzrleCacheMiss - run.periodXBZRLEMissStart) / Double(pages)
        }
        let encodedBytes = counters.xbzrleBytes - run.periodXBZRLEBytesStart
        if encodedBytes > 0 {
            run.xbzrleEncodingRate =
                Double((counters.xbzrlePages - run.periodXBZRLEPagesStart) * machine.configuration.pageSize)
                / Double(encodedBytes)
        }
    }

    /// QEMU's `mig_throttle_guest_down`: start at cpu-throttle-initial, then add
    /// cpu-throttle-increment (or less with tailslow), never past max-cpu-throttle.
    private func throttleDown(dirtyBytes: UInt64, threshold: UInt64) {
        let current = throttlePercentage
        var next: Int
        if current == 0 {
            next = Int(settings.cpuThrottleInitial)
        } else {
            var increment = Int(settings.cpuThrottleIncrement)
            if settings.cpuThrottleTailslow && dirtyBytes > 0 {
                // The throttle at which the guest would dirty exactly the threshold.
                let cpuNow = 100 - current
                let cpuIdeal = Int(Double(cpuNow) * (Double(threshold) / Double(dirtyBytes)))
                increment = min(cpuNow - cpuIdeal, increment)
            }
            next = min(current + increment, Int(settings.maxCpuThrottle))
        }
        setThrottle(min(max(next, 1), 99))
    }
}
