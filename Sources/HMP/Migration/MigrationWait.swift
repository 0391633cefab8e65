import QAPI

/// `migrate` without `-d`: waits as QEMU does (until the status is neither setup nor active),
/// but polls every 100 ms, shows a live progress line on a terminal, and lets the operator
/// stop waiting without stopping the migration.
enum MigrationWait {
    /// Between two `query-migrate` calls; on the virtual clock the model jumps ahead instead.
    static let pollInterval: UInt64 = 100_000_000

    static func run(_ invocation: HMPInvocation) throws(HMPError) -> HMPOutput {
        let session = invocation.session
        let progress = invocation.format == .json ? nil : session.progress
        var shown = false
        defer { if shown { progress?("") } }

        var info = try invocation.run(QueryMigrateCommand.self, QAPIEmpty())
        // `device` lasts while a real connection sends the end of the stream.
        while info.status == nil || info.status == .setup || info.status == .active || info.status == .device {
            if session.interrupted() {
                return invocation.render(
                    reply: .object(JSONObject()), table: { MigrationProgressFormat.stoppedWaiting },
                    qemu: { MigrationProgressFormat.stoppedWaiting })
            }
            if let progress {
                progress(MigrationProgressFormat.line(info))
                shown = true
            }
            invocation.backend.wait(nanoseconds: pollInterval)
            invocation.backend.synchronize()
            info = try invocation.run(QueryMigrateCommand.self, QAPIEmpty())
        }
        if let error = info.errorDesc {
            // QEMU prints the error as is, without "Error: ".
            switch invocation.format {
            case .qemu: throw .plain(error)
            case .table: throw .plain("Migration \(info.status?.rawValue ?? "failed"): \(error)")
            case .json: throw .command(.generic(error))
            }
        }
        return invocation.render(
            reply: .object(JSONObject()), table: { MigrationProgressFormat.outcome(info) + "\n" }, qemu: { "" })
    }
}
