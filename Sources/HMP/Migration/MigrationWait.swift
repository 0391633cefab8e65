import QAPI

/// `migrate` without `-d`: waits until the migration has ended (completed, failed or
/// cancelled), through the switchover (`device`) and postcopy, where QEMU's HMP stops
/// waiting once the status is neither setup nor active. Polls every 100 ms, shows a live
/// progress line on a terminal, and lets the operator stop waiting (Ctrl-C) without stopping
/// the migration. States that wait for the operator (`pre-switchover`, `postcopy-paused`)
/// end the wait with what to do.
enum MigrationWait {
    /// Between two `query-migrate` calls; on the virtual clock the model jumps ahead instead.
    static let pollInterval: UInt64 = 100_000_000
    /// On the virtual clock: polls at `pollInterval` for this long, then at doubling steps, so
    /// a long wait costs a few dozen polls whatever model time it covers.
    static let finePollingSpan: UInt64 = 600_000_000_000
    /// On the virtual clock a migration still running after this much model time does not
    /// converge; the wait ends with that verdict (the migration goes on).
    static let virtualWaitLimit: UInt64 = 3_600_000_000_000

    /// QEMU's migration_is_running(): false before the first migration and after the end.
    static func isRunning(_ status: MigrationStatus?) -> Bool {
        switch status {
        case nil, .none?, .completed?, .failed?, .cancelled?: false
        default: true
        }
    }

    /// Statuses the wait goes through; every other one ends it.
    static func isUnderway(_ status: MigrationStatus?) -> Bool {
        switch status {
        case nil, .setup?, .active?, .device?, .cancelling?, .waitUnplug?, .postcopyActive?, .postcopyRecoverSetup?,
            .postcopyRecover?, .colo?:
            true
        case .none?, .completed?, .failed?, .cancelled?, .preSwitchover?, .postcopyPaused?:
            false
        }
    }

    /// `earlierError`: what `query-migrate` reported before a `migrate -r` (see `MigrationOutcome`).
    static func run(_ invocation: HMPInvocation, earlierError: String? = nil) throws(HMPError) -> HMPOutput {
        let session = invocation.session
        let progress = invocation.format == .json ? nil : session.progress
        var shown = false
        defer { if shown { progress?("") } }

        var info = try invocation.run(QueryMigrateCommand.self, QAPIEmpty())
        let virtual = !invocation.backend.waitsInRealTime
        var waited: UInt64 = 0
        var step = pollInterval
        let settings = progress == nil ? MigrationVerdict.Settings() : MigrationVerdict.settings(invocation)
        while isUnderway(info.status) {
            if virtual && waited >= virtualWaitLimit { throw notConverging(info, waited, invocation.format) }
            if session.interrupted() {
                return invocation.render(
                    reply: .object(JSONObject()), table: { MigrationProgressFormat.stoppedWaiting },
                    qemu: { MigrationProgressFormat.stoppedWaiting })
            }
            session.migrationObserver.record(info)
            if let progress {
                let verdict = MigrationVerdict.judge(info, observer: session.migrationObserver, settings: settings)
                let width = max(20, (session.screen?.columns ?? 80) - 1)
                progress(MigrationProgressFormat.line(info, pass: session.migrationObserver.passProgress(), verdict: verdict, width: width))
                shown = true
            }
            invocation.backend.wait(nanoseconds: step)
            waited += step
            if virtual && waited >= finePollingSpan { step = min(step * 2, virtualWaitLimit) }
            invocation.backend.synchronize()
            // Events show as they happen (above the progress line), and passes are sampled.
            session.pumpEvents()
            session.deliverEventsNow()
            info = try invocation.run(QueryMigrateCommand.self, QAPIEmpty())
        }
        if let error = MigrationOutcome.waitError(info, earlierError: earlierError) {
            // QEMU prints the error as is, without "Error: ".
            switch invocation.format {
            case .qemu: throw .plain(info.errorDesc ?? error)
            case .table: throw .plain("Migration \(info.status?.rawValue ?? "failed"): \(error)")
            case .json: throw .command(.generic(error))
            }
        }
        return invocation.render(
            reply: .object(JSONObject()), table: { MigrationProgressFormat.outcome(info) + "\n" }, qemu: { "" })
    }

    /// The verdict on a migration that the virtual clock has carried for `virtualWaitLimit`.
    static func notConverging(_ info: MigrationInfo, _ waited: UInt64, _ format: OutputFormat) -> HMPError {
        var text =
            "Migration has not completed after \(waited / 60_000_000_000) min of model time; it is still \(info.status?.rawValue ?? "running")"
        if let ram = info.ram {
            text += " with \(MigrationUnits.size(ram.remaining)) to send (the guest dirties \(ram.dirtyPagesRate) pages/s)"
        }
        text +=
            ". It goes on in the background: raise max-bandwidth or downtime-limit, or turn on auto-converge or postcopy-ram; migrate_cancel stops it"
        _ = format
        return .command(.generic(text))
    }
}
