import QAPI

/// `block_resize`: QEMU's command with its MiB default made visible, and shrinking guarded.
enum BlockResize {
    static func run(_ invocation: HMPInvocation, _ a: BlockCommands.ResizeArguments) throws(HMPError) -> HMPOutput {
        let name = a.device
        let size = a.size
        let newSize = SizeEcho.describe(size)

        // A name that is only a node goes as node-name (QEMU would reject it); unknown names
        // go as device so the backend reports them.
        let target = try BlockLookup.find(name, invocation)
        var arguments = BlockResizeArguments(device: name, size: Int64(size.bytes))
        if case .node? = target { arguments = BlockResizeArguments(nodeName: name, size: Int64(size.bytes)) }
        let current = target?.device.map { UInt64(max(0, $0.image.virtualSize)) }

        if let current, size.bytes < current, !a.force {
            try checkShrinkCanStart(name, size.bytes, target, invocation)
            let what = "\(name) from \(SizeFormatter.string(fromBytes: current)) to \(SizeEcho.inline(size))"
            let session = invocation.session
            if session.interactive, let confirm = session.confirm {
                guard confirm("Shrink \(what)? The data past the new end is lost.") else {
                    return invocation.done("Not resized: \(name) stays at \(SizeFormatter.string(fromBytes: current))")
                }
            } else {
                throw .command(.generic("Refusing to shrink \(what) without -f: the data past the new end would be lost"))
            }
        }

        _ = try invocation.run(BlockResizeCommand.self, arguments)
        let from = current.map { " from \(SizeFormatter.string(fromBytes: $0))" } ?? ""
        return invocation.done("\(name) resized\(from) to \(newSize)")
    }

    /// The refusals QEMU's bdrv_co_truncate() and qcow2_co_truncate() would give, checked before
    /// the shrink question so that a "yes" is not followed by a refusal. The backend checks again.
    static func checkShrinkCanStart(
        _ name: String, _ bytes: UInt64, _ target: BlockLookup.Target?, _ invocation: HMPInvocation
    ) throws(HMPError) {
        guard let device = target?.device else { return }
        if device.ro { throw .command(.generic("Device '\(name)' is read only")) }
        if device.drv == "qcow2", bytes % 512 != 0 { throw .command(.generic("The new size must be a multiple of 512")) }
        let jobs = (try? invocation.run(QueryBlockJobsCommand.self, QAPIEmpty())) ?? []
        if case .device(let backend)? = target, jobs.contains(where: { $0.device == backend.device }) {
            throw .command(.generic("Device '\(name)' is in use"))
        }
    }
}
