import QAPI

/// info block, info blockstats, info block-jobs.
enum BlockInfoHandlers {
    static func block(_ invocation: HMPInvocation, _ a: BlockCommands.InfoBlockArguments) throws(HMPError) -> HMPOutput {
        let device = a.device
        let verbose = a.verbose
        let nodesOnly = a.nodes
        let blocks = nodesOnly ? [] : try invocation.run(QueryBlockCommand.self, QAPIEmpty())
        // Without a device every backend is shown (no copy of the whole list).
        let matched = device == nil ? blocks : blocks.filter { $0.device == device }
        // Nodes are shown with -n, or when the name is no backend's (QEMU's fallback).
        var nodes: [BlockDeviceInfo]?
        if nodesOnly || (device != nil && matched.isEmpty) {
            nodes = try invocation.run(QueryNamedBlockNodesCommand.self, QueryNamedBlockNodesArguments())
        }
        let matchedNodes = nodes?.filter { device == nil || $0.nodeName == device }
        if let device, matched.isEmpty, (matchedNodes ?? []).isEmpty { throw BlockLookup.notFound(device) }

        let showNodes = matched.isEmpty && matchedNodes != nil
        // Encoded only for --format json (render takes it as an autoclosure).
        func reply() -> JSONValue { showNodes ? .array((matchedNodes ?? []).map(\.qapi)) : .array(matched.map(\.qapi)) }
        return invocation.render(
            reply: reply(),
            table: { BlockFormat.table(blocks: matched, nodes: showNodes ? matchedNodes : nil, verbose: verbose) },
            qemu: { BlockFormat.qemu(blocks: blocks, nodes: nodes, device: device, verbose: verbose, dates: .local) })
    }

    static func blockstats(_ invocation: HMPInvocation) throws(HMPError) -> HMPOutput {
        let stats = try invocation.run(QueryBlockstatsCommand.self, QueryBlockstatsArguments())
        return invocation.render(
            reply: .array(stats.map(\.qapi)), table: { BlockStatsFormat.table(stats) }, qemu: { BlockStatsFormat.qemu(stats) })
    }

    static func blockJobs(_ invocation: HMPInvocation) throws(HMPError) -> HMPOutput {
        let jobs = try invocation.run(QueryBlockJobsCommand.self, QAPIEmpty())
        return invocation.render(
            reply: .array(jobs.map(\.qapi)), table: { BlockJobsFormat.table(jobs) }, qemu: { BlockJobsFormat.qemu(jobs) })
    }
}
