import QAPI

/// Overlays, I/O limits, media and write thresholds.
enum BlockDeviceHandlers {
    static func snapshot(_ invocation: HMPInvocation, _ a: BlockCommands.SnapshotArguments) throws(HMPError) -> HMPOutput {
        let device = a.device
        // Optional in the syntax, as in QEMU, but required in practice; QEMU's text.
        guard let file = a.file else { throw .command(.generic("Parameter 'snapshot-file' is missing")) }
        let format = a.format
        _ = try invocation.run(
            BlockdevSnapshotSyncCommand.self,
            BlockdevSnapshotSync(device: device, snapshotFile: file, format: format, mode: a.reuse ? .existing : .absolutePaths))
        return invocation.done("\(device) now writes to \(file) (\(format ?? "qcow2")); the previous image is its read-only backing file")
    }

    static func throttle(_ invocation: HMPInvocation, _ a: BlockCommands.ThrottleArguments) throws(HMPError) -> HMPOutput {
        let name = a.device
        let v = [a.bps, a.bpsRead, a.bpsWrite, a.iops, a.iopsRead, a.iopsWrite]
        var limits = BlockIOThrottle(bps: v[0], bpsRd: v[1], bpsWr: v[2], iops: v[3], iopsRd: v[4], iopsWr: v[5])
        // QEMU sends a backend name as `device`, anything else as a qdev id.
        if try BlockLookup.isBackend(name, invocation) { limits.device = name } else { limits.id = name }
        _ = try invocation.run(BlockSetIoThrottleCommand.self, limits)
        if v.allSatisfy({ $0 == 0 }) { return invocation.done("\(name): I/O limits removed") }
        func rate(_ x: Int64) -> String { x == 0 ? "unlimited" : "\(HumanUnits.bytes(x))/s" }
        func ops(_ x: Int64) -> String { x == 0 ? "unlimited" : "\(x)/s" }
        return invocation.done(
            "\(name): I/O limits set: bytes total \(rate(v[0])), read \(rate(v[1])), write \(rate(v[2]));"
                + " operations total \(ops(v[3])), read \(ops(v[4])), write \(ops(v[5]))")
    }

    static func eject(_ invocation: HMPInvocation, _ a: BlockCommands.EjectArguments) throws(HMPError) -> HMPOutput {
        let device = a.device
        let force = a.force
        let hadMedium = (try? invocation.run(QueryBlockCommand.self, QAPIEmpty()))?.first { $0.device == device }.map { $0.inserted != nil }
        _ = try invocation.run(EjectCommand.self, EjectArguments(device: device, force: force))
        if hadMedium == false { return invocation.done("\(device): no medium to eject; the tray is open") }
        return invocation.done("\(device): medium ejected\(force ? " (forced)" : "")")
    }

    static func writeThreshold(_ invocation: HMPInvocation, _ a: BlockCommands.WriteThresholdArguments) throws(HMPError) -> HMPOutput {
        let name = a.node
        let threshold = a.threshold
        // A device name stands for the node at its top.
        var node = name
        var label = name
        if case .device(let b)? = try BlockLookup.find(name, invocation), let top = b.inserted?.nodeName {
            node = top
            label = "\(top) (\(name))"
        }
        _ = try invocation.run(
            BlockSetWriteThresholdCommand.self, BlockSetWriteThresholdArguments(nodeName: node, writeThreshold: threshold.bytes))
        if threshold.bytes == 0 { return invocation.done("\(label): write threshold disabled") }
        return invocation.done("\(label): write threshold at \(SizeEcho.describe(threshold))")
    }
}
