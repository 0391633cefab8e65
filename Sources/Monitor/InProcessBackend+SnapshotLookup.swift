import Backend
import QAPI

extension InProcessBackend: SnapshotLookup {
    public func internalSnapshot(named tag: String, on node: String) -> SnapshotInfo? {
        synchronize()
        return machine.block.internalSnapshot(named: tag, on: node)
    }
}
