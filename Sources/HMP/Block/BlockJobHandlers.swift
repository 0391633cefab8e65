import QAPI

/// Starting and steering block jobs. Jobs started here take the device name as their id, as in QEMU.
enum BlockJobHandlers {
    static func stream(_ invocation: HMPInvocation, _ a: BlockCommands.StreamArguments) throws(HMPError) -> HMPOutput {
        let device = a.device
        let speed = a.speed
        let base = a.base
        _ = try invocation.run(
            BlockStreamCommand.self,
            BlockStreamArguments(jobId: device, device: device, base: base, speed: speed.map { Int64($0.bytes) }, onError: .report))
        var text =
            "stream job \(device) started: copying \(base.map { "the chain above \($0)" } ?? "the whole backing chain") into \(device)"
        if let speed { text += ", speed limit \(SizeEcho.rate(speed))" }
        return invocation.done(text)
    }

    static func setSpeed(_ invocation: HMPInvocation, _ a: BlockCommands.SetSpeedArguments) throws(HMPError) -> HMPOutput {
        let device = a.job
        let speed = a.speed
        _ = try invocation.run(BlockJobSetSpeedCommand.self, BlockJobSetSpeedArguments(device: device, speed: Int64(speed.bytes)))
        if speed.bytes == 0 { return invocation.done("job \(device): speed limit removed") }
        return invocation.done("job \(device): speed limit \(SizeEcho.rate(speed))")
    }

    static func cancel(_ invocation: HMPInvocation, _ a: BlockCommands.CancelArguments) throws(HMPError) -> HMPOutput {
        let device = a.job
        let force = a.force
        do {
            _ = try invocation.run(BlockJobCancelCommand.self, BlockJobCancelArguments(device: device, force: force))
        } catch .command(var error) where !force && invocation.format == .table && error.desc.hasSuffix("is currently paused") {
            // QEMU's qmp_block_job_cancel() refuses a job paused by the user unless forced.
            error.hint = "Cancel it anyway with block_job_cancel -f \(device), or resume it with block_job_resume \(device)"
            throw .command(error)
        }
        return invocation.done("job \(device): cancel requested")
    }

    static func complete(_ invocation: HMPInvocation, _ a: BlockCommands.JobArgument) throws(HMPError) -> HMPOutput {
        let device = a.job
        _ = try invocation.run(BlockJobCompleteCommand.self, BlockJobCompleteArguments(device: device))
        return invocation.done("job \(device): completion requested")
    }

    static func pause(_ invocation: HMPInvocation, _ a: BlockCommands.JobArgument) throws(HMPError) -> HMPOutput {
        let device = a.job
        _ = try invocation.run(BlockJobPauseCommand.self, BlockJobPauseArguments(device: device))
        return invocation.done("job \(device): pause requested")
    }

    static func resume(_ invocation: HMPInvocation, _ a: BlockCommands.JobArgument) throws(HMPError) -> HMPOutput {
        let device = a.job
        _ = try invocation.run(BlockJobResumeCommand.self, BlockJobResumeArguments(device: device))
        return invocation.done("job \(device): resumed")
    }

    static func mirror(_ invocation: HMPInvocation, _ a: BlockCommands.CopyArguments) throws(HMPError) -> HMPOutput {
        let device = a.device
        let target = a.target
        let sync: MirrorSyncMode = a.full ? .full : .top
        let mode: NewImageMode = a.reuse ? .existing : .absolutePaths
        _ = try invocation.run(
            DriveMirrorCommand.self,
            DriveMirror(device: device, target: target, format: a.format, sync: sync, mode: mode, unmap: true))
        return invocation.done("mirror job \(device) started: \(device) -> \(target) (\(describe(sync, mode)))")
    }

    static func backup(_ invocation: HMPInvocation, _ b: BlockCommands.BackupArguments) throws(HMPError) -> HMPOutput {
        let a = b.copy
        let device = a.device
        let target = a.target
        let sync: MirrorSyncMode = a.full ? .full : .top
        let mode: NewImageMode = a.reuse ? .existing : .absolutePaths
        let compress = a.compress
        _ = try invocation.run(
            DriveBackupCommand.self,
            DriveBackup(device: device, target: target, format: a.format, sync: sync, mode: mode, compress: compress ? true : nil))
        return invocation.done(
            "backup job \(device) started: \(device) -> \(target) (\(describe(sync, mode))\(compress ? ", compressed" : ""))")
    }

    static func describe(_ sync: MirrorSyncMode, _ mode: NewImageMode) -> String {
        (sync == .full ? "whole chain" : "top image only") + (mode == .existing ? ", existing target" : ", new target")
    }
}
