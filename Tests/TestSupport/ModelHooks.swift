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
