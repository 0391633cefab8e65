extension SharedEventsBackend {
    // The console beside a QMP server shares the VM's clock: what it says about time is the source's.
    public var waitsInRealTime: Bool { fanOut.source.waitsInRealTime }
    public var vmWallClockSeconds: Int64? { fanOut.source.vmWallClockSeconds }
    public var modelTimeOriginMicroseconds: UInt64? { fanOut.source.modelTimeOriginMicroseconds }
}
