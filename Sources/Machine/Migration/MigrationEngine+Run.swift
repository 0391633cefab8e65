#if canImport(Glibc)
import Glibc
#endif
import QAPI

/// Shortest time between two bitmap syncs that are not the end of a round: one of QEMU's
/// 100 ms rate-limiting slots. Keeps the number of events bounded when the remaining data
/// hovers around the switch-over threshold.
let minimumRoundSeconds = 0.1

extension MigrationEngine {
    // MARK: - Starting

    func startRun(to address: MigrationAddress) {
        let config = machine.configuration
        let route = MigrationRoute(address)
        let flavor: MigrationFlavor =
            switch settings.mode {
            case .cprTransfer: .cprTransfer
            case .cprReboot: .cprReboot
            case .normal: capabilities[.backgroundSnapshot] ? .backgroundSnapshot : .live
            }
        let multifd = capabilities[.multifd]
        let costs = PageCosts(
            pageSize: config.pageSize, multifdZeroPages: multifd && settings.zeroPageDetection == .multifd)
        let zeroPages = settings.zeroPageDetection == .none ? 0 : machine.zeroPages
        let ram =
            flavor == .cprTransfer
            ? RAMTransfer.empty(pageSize: config.pageSize, totalPages: config.totalPages)
            : RAMTransfer(pageSize: config.pageSize, totalPages: config.totalPages, zeroPages: zeroPages)
        let channels = Int(settings.multifdChannels)
        run = MigrationRun(
            route: route, flavor: flavor, ram: ram, multifd: multifd, multifdChannels: channels,
            xbzrle: capabilities[.xbzrle], costs: costs, startTime: machine.now,
            setupDeadline: machine.now + after(setupSeconds(route)),
            expectedDowntimeMs: settings.downtimeLimit,
            threadIDs: machine.allocateThreadIDs(1 + (multifd ? channels : 0)))
        errorDescription = nil
        throttlePercentage = 0
        if case .rdma = route { rdmaInUse = true } else { rdmaInUse = false }
        setStatus(.setup)
        openConnection(route: route, address: address)
        if flavor == .cprReboot || flavor == .cprTransfer {
            // CPR stops the guest before anything is sent.
            run?.downtimeStart = machine.now
            stopGuest()
        }
    }

    /// Connection set-up plus allocating the dirty bitmap (and pinning all RAM for RDMA
    /// with rdma-pin-all).
    private func setupSeconds(_ route: MigrationRoute) -> Double {
        let gib = Double(machine.configuration.ramSize) / Double(1 << 30)
        var seconds = 0.001 + gib * 0.0005
        if route.isNetwork { seconds += 2 * machine.link.latencySeconds }
        if case .rdma = route, capabilities[.rdmaPinAll] { seconds += gib * 0.1 }
        return seconds
    }

    // MARK: - Bandwidth

    /// What the route can carry, before any rate limit.
    func routeBandwidth(_ run: MigrationRun) -> Double {
        let link = machine.link
        switch run.route {
        case .socket:
            // A single stream is bounded by the sending CPU; multifd adds streams.
            let streams = Double(run.multifd ? run.multifdChannels : 1)
            return min(link.bytesPerSecond, Double(machine.configuration.host.streamThroughput) * streams)
        case .rdma:
            return link.bytesPerSecond
        case .file:
            return Double(link.diskBytesPerSecond)
        case .exec:
            return Double(link.pipeBytesPerSecond)
        }
    }

    /// Precopy throughput: max-bandwidth, or the route when lower. QEMU limits in 100 ms slots
    /// and lets the last write of a slot run over, half a page on average.
    func precopyBandwidth(_ run: MigrationRun) -> Double {
        let route = routeBandwidth(run)
        guard settings.maxBandwidth > 0 else { return route }
        return min(route, Double(settings.maxBandwidth) + 10 * run.costs.normal / 2)
    }

    /// The bandwidth the switch-over decision assumes: avail-switchover-bandwidth when set,
    /// else the measured precopy bandwidth.
    func switchoverEstimateBandwidth(_ run: MigrationRun) -> Double {
        if settings.availSwitchoverBandwidth > 0 { return Double(settings.availSwitchoverBandwidth) }
        // Over a real connection, what the socket has carried so far: the guest must not stop
        // for longer than the real bytes take.
        let elapsed = (machine.now - run.startTime).seconds
        if let pump = run.pump, elapsed >= 0.05, pump.bytesProduced > 0 {
            return min(precopyBandwidth(run), Double(pump.bytesProduced) / elapsed)
        }
        return precopyBandwidth(run)
    }

    func postcopyBandwidth(_ run: MigrationRun) -> Double {
        let route = routeBandwidth(run)
        return settings.maxPostcopyBandwidth > 0 ? min(route, Double(settings.maxPostcopyBandwidth)) : route
    }

    var roundTripSeconds: Double {
        guard let run, run.route.isNetwork else { return 0 }
        return 2 * machine.link.latencySeconds
    }

    func xbzrleModel(_ run: MigrationRun) -> XBZRLEModel? {
        guard run.xbzrle else { return nil }
        return XBZRLEModel(
            cacheBytes: settings.xbzrleCacheSize, hotPages: machine.hotPages, pageSize: machine.configuration.pageSize)
    }

    /// Downtime if the guest stopped now: the pending pages and the device state at the
    /// estimated bandwidth, plus a round trip for the destination to take over.
    func expectedDowntimeSeconds(_ run: MigrationRun) -> Double {
        let bytes =
            run.ram.pendingWireBytes(run.costs, xbzrle: xbzrleModel(run))
            + Double(machine.configuration.deviceStateBytes)
        return bytes / switchoverEstimateBandwidth(run) + roundTripSeconds
    }

    /// A point `seconds` from now, rounded up to the next nanosecond.
    func after(_ seconds: Double) -> ModelTime {
        guard seconds.isFinite, seconds > 0 else { return .zero }
        return ModelTime(nanoseconds: UInt64(min((seconds * 1e9).rounded(.up), 1.8e19)))
    }

    // MARK: - Continuous progress

    /// Sends pages and lets the guest dirty memory for `seconds` from now.
    func integrate(seconds: Double, guestDirtyRate: Double, hotPages: Double) {
        guard var run, seconds > 0 else { return }
        defer { self.run = run }
        switch status {
        case .active:
            if run.flavor != .backgroundSnapshot && guestDirtyRate > 0 {
                run.ram.dirtied = Dirtying.evolve(
                    dirty: min(run.ram.dirtied, hotPages), hot: hotPages, rate: guestDirtyRate, seconds: seconds)
            }
            let bandwidth = precopyBandwidth(run)
            let xbzrle = xbzrleModel(run)
            let cost = run.ram.averageCost(run.costs, xbzrle: xbzrle)
            // Over a real connection the engine runs at most a few MiB ahead of the socket, so
            // its counters and timing follow the bytes.
            var budget = bandwidth * seconds
            if let pump = run.pump, pump.inFirstPass {
                let room = StreamPump.maxBacklogPages - min(StreamPump.maxBacklogPages, pump.backlogPages)
                budget = min(budget, Double(room) * cost)
            }
            run.ram.send(budget: budget, phase: .precopy, costs: run.costs, xbzrle: xbzrle, multifd: run.multifd)
            run.mbps = bandwidth * 8 / 1e6
            run.pagesPerSecond = UInt64(bandwidth / cost)
            if let pump = run.pump {
                // The bytes follow the engine: as many pages as it has sent in the first pass.
                pump.allowedPages = max(
                    pump.allowedPages, min(run.ram.totalPages, run.ram.counters.normalPages + run.ram.counters.zeroPages))
                run.connection?.wake()
            }
        case .postcopyActive:
            integratePostcopy(&run, seconds: seconds, hotPages: hotPages)
        default:
            break
        }
    }

    /// Postcopy: the rest of RAM streams in the background while the destination guest runs
    /// and faults on hot pages it does not have yet. The missing hot pages M fall both from
    /// faults (rate a·M, a = touch rate / hot set) and from background sending (b·M/R for R
    /// pages left), which integrates in closed form over each step.
    private func integratePostcopy(_ run: inout MigrationRun, seconds: Double, hotPages: Double) {
        guard var progress = run.postcopy else { return }
        let stepEnd = machine.now + after(seconds)
        let start = max(machine.now, progress.resumedAt)
        guard stepEnd > start else { return }
        let dt = (stepEnd - start).seconds
        let bandwidth = postcopyBandwidth(run)
        let before = Double(run.ram.unsentPages)
        run.ram.send(budget: bandwidth * dt, phase: .postcopy, costs: run.costs, xbzrle: nil, multifd: run.multifd)
        let after = Double(run.ram.unsentPages)
        run.mbps = bandwidth * 8 / 1e6
        run.pagesPerSecond = UInt64(bandwidth / run.costs.normal)

        let touchRate = Double(machine.workload.dirtyPagesPerSecond)
        if touchRate > 0, hotPages > 0, progress.missingHotPages > 0, before > 0 {
            let a = touchRate / hotPages
            let x = a * dt
            let decay = exp(-x)
            let sendRate = (before - after) / dt
            let missing = progress.missingHotPages
            let faults =
                (a * missing / before) * (before * -expm1(-x) / a - sendRate * (-expm1(-x) - x * decay) / (a * a))
            progress.missingHotPages = after > 0 ? missing * decay * after / before : 0
            progress.faultCarry += max(0, faults)
            let requested = min(UInt64(progress.faultCarry.rounded(.down)), UInt64(before - after))
            progress.faultCarry -= Double(requested)
            run.ram.addPostcopyRequests(requested)
        }
        run.postcopy = progress
    }

    // MARK: - Events

    /// When the engine next has something to do on its own, if ever.
    var nextEventTime: ModelTime? {
        guard let run, !run.awaitingDrain else { return nil }
        let now = machine.now
        switch status {
        case .setup:
            return run.setupDeadline
        case .active:
            if run.postcopyRequested && capabilities[.postcopyRam] && run.flavor == .live { return now }
            let bandwidth = precopyBandwidth(run)
            guard bandwidth > 0 else { return nil }
            let unsent = Double(run.ram.unsentPages)
            let cost = run.ram.averageCost(run.costs, xbzrle: xbzrleModel(run))
            let toEmpty = unsent * cost / bandwidth
            if run.flavor == .backgroundSnapshot { return now + after(toEmpty) }
            // QEMU syncs as soon as the bitmap's remaining bytes drop below the threshold.
            let thresholdPages =
                switchoverEstimateBandwidth(run) * Double(settings.downtimeLimit) / 1000
                / Double(machine.configuration.pageSize)
            let toThreshold = max(0, unsent - thresholdPages) * cost / bandwidth
            let floor = max(0, minimumRoundSeconds - (now - run.roundStart).seconds)
            return now + after(min(toEmpty, max(toThreshold, floor)))
        case .device, .cancelling, .postcopyRecoverSetup, .postcopyRecover:
            return run.stepDeadline
        case .postcopyActive:
            guard let progress = run.postcopy else { return nil }
            let bandwidth = postcopyBandwidth(run)
            guard bandwidth > 0 else { return nil }
            let start = max(now, progress.resumedAt)
            return start + after(run.ram.pendingWireBytes(run.costs, xbzrle: nil) / bandwidth)
        default:
            return nil
        }
    }

    /// Runs every step that is due at the VM's current time.
    func fireDueEvents() {
        var steps = 0
        while let time = nextEventTime, time <= machine.now {
            fireNext()
            steps += 1
            precondition(steps < 100_000, "migration engine made no progress in state \(status.rawValue)")
        }
    }

    private func fireNext() {
        guard let run else { return }
        switch status {
        case .setup:
            finishSetup()
        case .active:
            if run.postcopyRequested && capabilities[.postcopyRam] && run.flavor == .live {
                self.run?.postcopyRequested = false
                self.run?.ram.sync()
                emitPass()
                beginSwitchover(toPostcopy: true)
            } else if run.flavor == .backgroundSnapshot {
                flush(phase: .precopy)
                complete()
            } else {
                syncAndDecide()
            }
        case .device:
            complete()
        case .cancelling:
            setStatus(.cancelled)
            endOfRun()
        case .postcopyActive:
            flush(phase: .postcopy)
            complete()
        case .postcopyRecoverSetup:
            if let failure = connectionFailure(run.route) {
                setError(failure)
                setStatus(.postcopyPaused)
            } else {
                setStatus(.postcopyRecover)
                let deadline = machine.now + after(roundTripSeconds)
                self.run?.stepDeadline = deadline
            }
        case .postcopyRecover:
            setError(nil)
            setStatus(.postcopyActive)
            self.run?.postcopy?.resumedAt = machine.now
        default:
            break
        }
    }

    /// Sends whatever rounding left in the bitmap at the end of a timed transfer.
    private func flush(phase: TransferPhase) {
        guard var run else { return }
        run.ram.send(budget: nil, phase: phase, costs: run.costs, xbzrle: xbzrleModel(run), multifd: run.multifd)
        self.run = run
    }

    private func finishSetup() {
        guard let run else { return }
        if run.connection == nil, let failure = connectionFailure(run.route) {
            fail(failure)
            return
        }
        if !settings.tlsCreds.isEmpty {
            // The model defines no objects, so no TLS credentials can be found.
            fail("No TLS credentials with id '\(settings.tlsCreds)'")
            return
        }
        let now = machine.now
        self.run?.setupTimeMs = (now - run.startTime).milliseconds
        self.run?.roundStart = now
        self.run?.periodStart = now
        emitPass()  // QEMU's first bitmap sync happens in setup
        if run.flavor == .backgroundSnapshot {
            // Device state is saved with the guest stopped for a moment, then RAM follows
            // as it was at this instant while the guest runs on.
            let wasRunning = machine.runState == .running
            if wasRunning { machine.setRunState(.paused) }
            let bytes = machine.configuration.deviceStateBytes
            self.run?.ram.addDeviceState(bytes, phase: .downtime)
            let pause = Double(bytes) / routeBandwidth(run) + roundTripSeconds
            self.run?.downtimeMs = UInt64((pause * 1000).rounded())
            if wasRunning { machine.setRunState(.running) }
        }
        setStatus(.active)
    }

    /// Why connecting to the route fails now, in QEMU's words; nil when it works.
    func connectionFailure(_ route: MigrationRoute) -> String? {
        let refused = machine.refusesConnection(to: route.peerName)
        switch route {
        case .socket(.inet(let inet)):
            if inet.host.isEmpty {
                return "address resolution failed for :\(inet.port): Name or service not known"
            }
            guard let port = UInt16(inet.port) else {
                return "address resolution failed for \(inet.hostPort): Servname not supported for ai_socktype"
            }
            if port == 0 || refused { return "Failed to connect to '\(inet.hostPort)': Connection refused" }
        case .socket(.unix(let unix)):
            if refused { return "Failed to connect to '\(unix.path)': Connection refused" }
        case .socket(.vsock):
            if refused { return "Failed to connect socket: Connection refused" }
        case .rdma(let inet):
            if refused || inet.port == "0" { return "RDMA ERROR: could not connect to \(inet.hostPort)" }
        case .socket(.fd(let fd)):
            return "File descriptor named '\(fd.str)' has not been found"
        case .file, .exec:
            break
        }
        return nil
    }

    /// A round ends: sync the bitmap, do the once-a-second bookkeeping, and switch over if
    /// what is left fits in the downtime limit.
    private func syncAndDecide() {
        guard var run else { return }
        let newlyDirty = run.ram.sync()
        run.periodDirtyPages += newlyDirty
        self.run = run
        emitPass()
        periodUpdateIfDue()
        guard let updated = self.run else { return }
        let expected = expectedDowntimeSeconds(updated)
        self.run?.expectedDowntimeMs = UInt64((expected * 1000).rounded())
        if updated.ram.unsentPages == 0 || expected * 1000 <= Double(settings.downtimeLimit) {
            beginSwitchover(toPostcopy: false)
        } else {
            self.run?.roundStart = machine.now
        }
    }

    /// Stops the guest for switch-over; waits in pre-switchover when asked to.
    private func beginSwitchover(toPostcopy: Bool) {
        if run?.downtimeStart == nil { run?.downtimeStart = machine.now }
        stopGuest()
        run?.switchingToPostcopy = toPostcopy
        if capabilities[.pauseBeforeSwitchover] {
            if let pending = run?.pendingContinues, pending > 0 {
                run?.pendingContinues = pending - 1
            } else {
                setStatus(.preSwitchover)
                return
            }
        }
        proceedWithSwitchover()
    }

    /// `migrate-continue` released the pause.
    func releasePause() { proceedWithSwitchover() }

    private func proceedWithSwitchover() {
        guard var run else { return }
        if run.switchingToPostcopy {
            enterPostcopy()
            return
        }
        setStatus(.device)
        if run.flavor != .cprTransfer {
            // The last sync, with the guest stopped.
            run.ram.sync()
            self.run = run
            emitPass()
        }
        let bandwidth = routeBandwidth(run)
        let deviceBytes = machine.configuration.deviceStateBytes
        let ramBytes = run.ram.send(
            budget: nil, phase: .downtime, costs: run.costs, xbzrle: xbzrleModel(run), multifd: run.multifd)
        run.ram.addDeviceState(deviceBytes, phase: .downtime)
        // The last period is often shorter than a second; its XBZRLE rates still count.
        if run.xbzrle { updateXBZRLERates(&run) }
        run.stepDeadline = machine.now + after(Double(ramBytes + deviceBytes) / bandwidth + roundTripSeconds)
        self.run = run
    }

    /// The destination takes over with part of RAM missing; the source keeps sending.
    private func enterPostcopy() {
        guard var run else { return }
        setStatus(.postcopyActive)
        let deviceBytes = machine.configuration.deviceStateBytes
        run.ram.addDeviceState(deviceBytes, phase: .downtime)
        let pause = Double(deviceBytes) / routeBandwidth(run) + roundTripSeconds
        run.downtimeMs = UInt64((pause * 1000).rounded())
        run.postcopy = PostcopyProgress(
            resumedAt: machine.now + after(pause),
            missingHotPages: min(machine.hotPages, Double(run.ram.unsentNormal)))
        self.run = run
    }

    private func complete() {
        guard var run else { return }
        if let pump = run.pump, !run.awaitingDrain {
            // The model has switched over; the connection completes the migration once the
            // last byte is out (`connectionEnded`).
            let state = run.runStateBeforeStop ?? machine.runState
            pump.finish(runState: state == .finishMigrate ? .running : state)
            self.run?.awaitingDrain = true
            run.connection?.wake()
            return
        }
        if let file = run.outputFile {
            // The stream goes out at switch-over: RAM as it is now, after the passes the
            // engine simulated.
            let state = run.runStateBeforeStop ?? machine.runState
            do {
                try machine.writeMigrationStream(runState: state == .finishMigrate ? .running : state) { bytes in
                    try file.write(bytes)
                }
            } catch {
                fail("Unable to write to file: \((error as? StreamOutputFile.WriteError)?.text ?? "\(error)")")
                return
            }
        }
        let now = machine.now
        setStatus(.completed)
        let total = (now - run.startTime).milliseconds
        run.totalTimeMs = total
        if run.downtimeMs == nil { run.downtimeMs = (now - (run.downtimeStart ?? now)).milliseconds }
        if total > run.setupTimeMs {
            run.mbps = Double(run.ram.counters.transferred) * 8 / Double(total - run.setupTimeMs) / 1000
        }
        run.runStateBeforeStop = run.flavor == .backgroundSnapshot ? run.runStateBeforeStop : nil
        self.run = run
        if run.flavor != .backgroundSnapshot { machine.setRunState(.postmigrate) }
        endOfRun()
    }

    /// A real connection for tcp: and unix: when a transport is installed.
    private func openConnection(route: MigrationRoute, address: MigrationAddress) {
        guard let transport = machine.transport else { return }
        switch route {
        case .socket(.inet(let inet)) where !inet.isRehearsalAddress: break
        case .socket(.unix): break
        case .exec where machine.configuration.allowExec: break
        default: return
        }
        let pump = StreamPump(machine: machine)
        let connection = transport.connect(address)
        run?.pump = pump
        run?.connection = connection
        connection.start(
            produce: { [weak self] in
                guard let self, let pump = self.run?.pump else { return nil }
                let piece = pump.produce()
                guard let piece, piece.isEmpty else { return piece }
                // Everything allowed is out: let the engine catch up with the clock first.
                self.machine.catchUp?()
                return self.run?.pump?.produce() ?? []
            },
            ended: { [weak self] error in self?.connectionEnded(error) })
    }

    /// The connection ended: every byte sent, or an error (refused, reset, broken pipe).
    func connectionEnded(_ error: String?) {
        guard let run, run.connection != nil else { return }
        if let error {
            self.run?.connection = nil
            if isRunning && !inPostcopy { fail(error) } else if inPostcopy { pausePostcopy(error: error) }
            return
        }
        if run.awaitingDrain {
            self.run?.connection = nil
            complete()
        }
    }

    /// Ends the migration with an error; the source guest runs on as before.
    func fail(_ text: String) {
        setError(text)
        setStatus(.failed)
        endOfRun()
    }

    func pausePostcopy(error: String) {
        setError(error)
        setStatus(.postcopyPaused)
    }

    /// A link drop armed with `x-inject-fault` fired.
    func linkDropped() {
        guard let run else { return }
        let text: String =
            switch run.route {
            case .socket: "Unable to write to socket: Connection reset by peer"
            case .rdma: "RDMA is in an error state waiting migration to abort!"
            case .file: "Unable to write to file: Input/output error"
            case .exec: "Unable to write to command: Broken pipe"
            }
        switch status {
        case .setup, .active, .preSwitchover, .device:
            fail(text)
        case .postcopyActive, .postcopyRecover, .postcopyRecoverSetup:
            pausePostcopy(error: text)
        default:
            break
        }
    }

    /// Cleanup after completion, failure or cancel: throttling and migration-set dirty limits
    /// end, a guest the migration stopped gets its old state back.
    private func endOfRun() {
        run?.outputFile?.close()
        run?.outputFile = nil
        run?.connection?.close()
        run?.connection = nil
        run?.pump = nil
        run?.awaitingDrain = false
        throttlePercentage = 0
        if capabilities[.dirtyLimit] { machine.setDirtyLimitAll(nil) }
        guard let previous = run?.runStateBeforeStop else { return }
        run?.runStateBeforeStop = nil
        if machine.runState == .finishMigrate { machine.setRunState(previous) }
    }

    /// Stops the guest for the migration (QEMU's `finish-migrate`), remembering its state.
    func stopGuest() {
        guard machine.runState != .finishMigrate else { return }
        if run?.runStateBeforeStop == nil { run?.runStateBeforeStop = machine.runState }
        machine.setRunState(.finishMigrate)
    }
}
