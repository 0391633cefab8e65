import QAPI

/// Finding a backend or node by the name an operator typed.
enum BlockLookup {
    enum Target {
        /// A block backend (query-block), possibly without a medium.
        case device(BlockInfo)
        /// A node that is not named by a backend (query-named-block-nodes).
        case node(BlockDeviceInfo)

        /// The image at the top, if there is one.
        var device: BlockDeviceInfo? {
            switch self {
            case .device(let b): b.inserted
            case .node(let n): n
            }
        }
    }

    /// Backends first, as QEMU looks names up, then node names.
    static func find(_ name: String, _ invocation: HMPInvocation) throws(HMPError) -> Target? {
        let blocks = try invocation.run(QueryBlockCommand.self, QAPIEmpty())
        if let b = blocks.first(where: { $0.device == name }) { return .device(b) }
        let nodes = try invocation.run(QueryNamedBlockNodesCommand.self, QueryNamedBlockNodesArguments())
        if let n = nodes.first(where: { $0.nodeName == name }) { return .node(n) }
        return nil
    }

    static func isBackend(_ name: String, _ invocation: HMPInvocation) throws(HMPError) -> Bool {
        try invocation.run(QueryBlockCommand.self, QAPIEmpty()).contains { $0.device == name }
    }

    static func notFound(_ name: String) -> HMPError {
        .command(QMPError(.genericError, "Cannot find device='\(name)' nor node-name='\(name)'"))
    }
}
