extension MonitorBackend {
    /// How long the polling default waits between two looks: short enough that a person does
    /// not notice, long enough that a remote backend is not flooded with queries.
    public static var eventPollInterval: UInt64 { 100_000_000 }

    /// The default for backends that cannot tell when their next event is due (a QMP
    /// connection): one poll interval at most; the caller loops and looks at `takeEvents()`.
    public func waitForEvent(atMost nanoseconds: UInt64) -> UInt64 {
        let step = Swift.min(nanoseconds, Self.eventPollInterval)
        wait(nanoseconds: step)
        return step
    }
}
