import Machine

extension InProcessBackend {
    /// On the virtual clock events are stamped with model time from the model's epoch
    /// (`wallClockEpochMicroseconds`); on the real clock that epoch is the wall clock's.
    public var modelTimeOriginMicroseconds: UInt64? {
        clock.kind == .virtual ? machine.wallClockEpochMicroseconds : nil
    }
}
