import QAPI

extension HMPSession {
    /// Takes what the backend has emitted into the history (tagged with the running line)
    /// and the migration observer, and keeps it for the console to print. Answers the new events.
    @discardableResult
    public func pumpEvents() -> [JSONValue] {
        let events = backend.takeEvents()
        guard !events.isEmpty else { return [] }
        eventHistory.record(events, running: runningLine ?? finishedLine)
        migrationObserver.observe(events: events, session: self)
        undeliveredEvents.append(contentsOf: events)
        return events
    }

    /// The events not printed yet, oldest first; the console prints them.
    public func takeEvents() -> [JSONValue] {
        pumpEvents()
        if runningLine == nil { finishedLine = nil }
        defer { undeliveredEvents.removeAll(keepingCapacity: true) }
        return undeliveredEvents
    }

    /// Prints the events that arrived while a command still runs, so they appear as they
    /// happen (a foreground migration's passes above its progress line). Does nothing unless
    /// the console asked for it (`showEvents`).
    public func deliverEventsNow() {
        guard let showEvents else { return }
        let events = takeEvents()
        if !events.isEmpty { showEvents(events) }
    }
}
