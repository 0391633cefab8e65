import QAPI

/// Starting and steering block jobs. Jobs started here take the device name as their id, as in QEMU.
enum BlockJobHandlers {
    static func stream(_ invocation: HMPInvocation) throws(HMPError) -> HMPOutput {
        let a = invocation.arguments
        let device = a.string("device") ?? ""
        let speed = a.size("speed")
        let base = a.string("base")
        _ = try invocation.run(
            BlockStreamCommand.self,
            BlockStreamArguments(jobId: device, device: device, base: base, speed: speed.map { Int64($0.bytes) }, onError: .report))
        var text = "stream job \(device) started: copying \(base.map { "the chain above \($0)" } ?? "the whole backing chain") into \(device)"
        if let speed { text += ", speed limit \(SizeEcho.rate(speed))" }
        return invocation.done(text)
    }

    static func setSpeed(_ invocation: HMPInvocation) throws(HMPError) -> HMPOutput {
        let device = invocation.arguments.string("device") ?? ""
        let speed = invocation.arguments.size("speed") ?? ParsedSize(bytes: 0)
        _ = try invocation.run(BlockJobSetSpeedCommand.self, BlockJobSetSpeedArguments(device: device, speed: Int64(speed.bytes)))
        if speed.bytes == 0 { return invocation.done("job \(device): speed limit removed") }
        return invocation.done("job \(device): speed limit \(SizeEcho.rate(speed))")
    }

    static func cancel(_ invocation: HMPInvocation) throws(HMPError) -> HMPOutput {
        let device = invocation.arguments.string("device") ?? ""
        let force = invocation.arguments.flag("force")
        _ = try invocation.run(BlockJobCancelCommand.self, BlockJobCancelArguments(device: device, force: force))
        return invocation.done("job \(device): cancel requested")
    }

    static func complete(_ invocation: HMPInvocation) throws(HMPError) -> HMPOutput {
        let device = invocation.arguments.string("device") ?? ""
        _ = try invocation.run(BlockJobCompleteCommand.self, BlockJobCompleteArguments(device: device))
        return invocation.done("job \(device): completion requested")
    }

    static func pause(_ invocation: HMPInvocation) throws(HMPError) -> HMPOutput {
        let device = invocation.arguments.string("device") ?? ""
        _ = try invocation.run(BlockJobPauseCommand.self, BlockJobPauseArguments(device: device))
        return invocation.done("job \(device): pause requested")
    }

    static func resume(_ invocation: HMPInvocation) throws(HMPError) -> HMPOutput {
        let device = invocation.arguments.string("device") ?? ""
        _ = try invocation.run(BlockJobResumeCommand.self, BlockJobResumeArguments(device: device))
        return invocation.done("job \(device): resumed")
    }

    static func mirror(_ invocation: HMPInvocation) throws(HMPError) -> HMPOutput {
        let a = invocation.arguments
        let device = a.string("device") ?? ""
        let target = a.string("target") ?? ""
        let sync: MirrorSyncMode = a.flag("full") ? .full : .top
        let mode: NewImageMode = a.flag("reuse") ? .existing : .absolutePaths
        _ = try invocation.run(
            DriveMirrorCommand.self,
            DriveMirror(device: device, target: target, format: a.string("format"), sync: sync, mode: mode, unmap: true))
        return invocation.done("mirror job \(device) started: \(device) -> \(target) (\(describe(sync, mode)))")
    }

    static func backup(_ invocation: HMPInvocation) throws(HMPError) -> HMPOutput {
        let a = invocation.arguments
        let device = a.string("device") ?? ""
        let target = a.string("target") ?? ""
        let sync: MirrorSyncMode = a.flag("full") ? .full : .top
        let mode: NewImageMode = a.flag("reuse") ? .existing : .absolutePaths
        let compress = a.flag("compress")
        _ = try invocation.run(
            DriveBackupCommand.self,
            DriveBackup(device: device, target: target, format: a.string("format"), sync: sync, mode: mode, compress: compress ? true : nil))
        return invocation.done(
            "backup job \(device) started: \(device) -> \(target) (\(describe(sync, mode))\(compress ? ", compressed" : ""))")
    }

    static func describe(_ sync: MirrorSyncMode, _ mode: NewImageMode) -> String {
        (sync == .full ? "whole chain" : "top image only") + (mode == .existing ? ", existing target" : ", new target")
    }
}
