import Backend
import Machine

extension InProcessBackend {
    /// Slices of a real-clock wait: the model is brought forward and looked at this often.
    static let realClockEventSlice: UInt64 = 20_000_000

    public func waitForEvent(atMost nanoseconds: UInt64) -> UInt64 {
        synchronize()
        guard !machine.hasPendingEvents, nanoseconds > 0 else { return 0 }
        let start = machine.now
        let (deadline, overflow) = start.nanoseconds.addingReportingOverflow(nanoseconds)
        let end = ModelTime(nanoseconds: overflow ? UInt64.max : deadline)
        switch clock.kind {
        case .virtual:
            // One scheduled step (a pass, a state change, a job's progress), or the whole
            // rest when nothing is scheduled: the cost follows what happens, not the time covered.
            var target = end
            if let next = machine.nextScheduledTime, next < end {
                target = next > machine.now ? next : min(end, machine.now + .milliseconds(1))
            }
            wait(nanoseconds: (target - machine.now).nanoseconds)
        case .real:
            wait(nanoseconds: min(Self.realClockEventSlice, (end - machine.now).nanoseconds))
        }
        return (machine.now - start).nanoseconds
    }
}
