import QAPI

extension VirtualMachine {
    /// Bytes of VM state a snapshot writes: RAM that is not zero, plus device state.
    public var vmStateSize: UInt64 {
        (configuration.totalPages - zeroPages) * configuration.pageSize + configuration.deviceStateBytes
    }

    /// `snapshot-save`: checks what concerns the VM, then hands over to the snapshot storage.
    public func snapshotSave(_ arguments: SnapshotSaveArguments) throws(QMPError) {
        if migration.isRunning { throw QMPError.generic("There's a migration process in progress") }
        try storage().snapshotSave(arguments, vmState: VMStateSummary(size: vmStateSize, vmClock: now, runState: runState))
    }

    /// `snapshot-load`.
    public func snapshotLoad(_ arguments: SnapshotLoadArguments) throws(QMPError) {
        if migration.isRunning { throw QMPError.generic("There's a migration process in progress") }
        try storage().snapshotLoad(arguments)
    }

    /// `snapshot-delete`.
    public func snapshotDelete(_ arguments: SnapshotDeleteArguments) throws(QMPError) {
        try storage().snapshotDelete(arguments)
    }

    private func storage() throws(QMPError) -> any SnapshotStorage {
        guard let snapshotStorage else {
            throw QMPError.generic("no block device can store vmstate for snapshot")
        }
        return snapshotStorage
    }
}
