extension VirtualMachine {
    /// The next moment something is due to happen by itself: a migration step, the end of a
    /// dirty-rate measurement, an armed link drop, a block-layer step. nil when nothing is due,
    /// so a waiter on the virtual clock can jump straight there (or to its deadline).
    public var nextScheduledTime: ModelTime? {
        var times = [migration.nextEventTime, dirtyRateMeter.deadline, nextLinkDrop].compactMap { $0 }
        if let (t, _) = block.nextOccurrence(notAfter: ModelTime(nanoseconds: UInt64.max)) { times.append(t) }
        return times.min()
    }

    /// Whether events are waiting to be taken.
    public var hasPendingEvents: Bool { !events.pending.isEmpty }
}
