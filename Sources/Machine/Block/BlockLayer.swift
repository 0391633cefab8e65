import QAPI

/// The block layer of the model: backends, nodes, images, jobs, snapshots.
/// (Being filled in; this outline fixes how the VM owns and drives it.)
public final class BlockLayer {
    public let events: EventQueue
    public private(set) var now: ModelTime = .zero

    public init(events: EventQueue) {
        self.events = events
    }

    /// Moves block jobs, guest I/O counters and thresholds forward to `time`.
    public func advance(to time: ModelTime) {
        if time > now { now = time }
    }
}
