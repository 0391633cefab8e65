import QAPI

/// Where `snapshot-save`, `snapshot-load` and `snapshot-delete` keep their data. The block
/// layer owns images, their internal snapshots and the jobs these commands create, so it
/// provides this; the VM contributes the VM state (its size and the guest's clock).
public protocol SnapshotStorage: AnyObject {
    func snapshotSave(_ arguments: SnapshotSaveArguments, vmState: VMStateSummary) throws(QMPError)
    func snapshotLoad(_ arguments: SnapshotLoadArguments) throws(QMPError)
    func snapshotDelete(_ arguments: SnapshotDeleteArguments) throws(QMPError)
}

/// What a VM snapshot records about the VM itself.
public struct VMStateSummary: Sendable, Hashable {
    /// Bytes of VM state written to the vmstate node (non-zero RAM plus device state).
    public var size: UInt64
    /// The guest clock at the time of the snapshot.
    public var vmClock: ModelTime
    /// The run state to restore after a load.
    public var runState: RunState

    public init(size: UInt64, vmClock: ModelTime, runState: RunState) {
        self.size = size
        self.vmClock = vmClock
        self.runState = runState
    }
}
