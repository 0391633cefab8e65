@testable import Machine

/// States the model reaches only with a peer it does not have. Each hook sets exactly the state
/// a real run would leave, and says which run that is; everything after it is the model's own.
extension ModelSession {
    /// The destination of a postcopy migration whose link broke: QEMU's incoming side goes to
    /// `postcopy-paused` and waits for `migrate-recover`. The model's incoming side never
    /// receives a postcopy stream (no source connects to it), so it cannot get there by running.
    public func pauseIncomingPostcopy() {
        backend.machine.migration.incoming.status = .postcopyPaused
    }
}

extension ModelSession {
    /// Puts the snapshot job `id` back to `running`. QEMU runs snapshot-save, -load and -delete
    /// as jobs that last as long as the VM state takes to write; the model finishes them within
    /// the command, so a console waiting on one never sees it running without this.
    public func keepSnapshotJobRunning(_ id: String) {
        for index in backend.machine.snapshotJobs.indices where backend.machine.snapshotJobs[index].id == id {
            backend.machine.snapshotJobs[index].status = .running
        }
    }
}
