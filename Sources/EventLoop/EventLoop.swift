#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one loop of an hmp process: file descriptors (the terminal, QMP sockets, migration
/// streams) and timers, served by poll(2) on one thread. Whoever waits — the line editor for
/// a key, a `sleep`, a foreground `migrate` — waits by turning this loop, so every other
/// source keeps being served meanwhile and the model stays single-threaded.
///
/// Handlers run on the loop's thread, from inside `runOnce`; a handler may add or cancel
/// sources (itself included) while it runs.
public final class EventLoop {
    /// Names a registered source, for `cancel`.
    public struct Token: Hashable, Sendable {
        let value: UInt64
    }

    /// What a descriptor is watched for.
    public enum Interest: Sendable {
        case readable
        case writable
    }

    private struct Watch {
        let fd: Int32
        let interest: Interest
        let handler: () -> Void
    }

    private struct Timer {
        let deadline: UInt64
        let handler: () -> Void
    }

    private var nextToken: UInt64 = 1
    private var watches: [UInt64: Watch] = [:]
    private var timers: [UInt64: Timer] = [:]
    /// Bumped by every `runOnce`; lets re-entrant waits (a handler that waits) be noticed.
    public private(set) var turns: UInt64 = 0

    public init() {}

    /// True when nothing but the caller's own descriptor would be served.
    public var isIdle: Bool { watches.isEmpty && timers.isEmpty }

    /// Calls `handler` each time `fd` is ready for `interest` (hang-ups and errors count as
    /// ready, so the handler sees them on its next read or write).
    @discardableResult
    public func watch(_ fd: Int32, for interest: Interest = .readable, _ handler: @escaping () -> Void) -> Token {
        let token = makeToken()
        watches[token.value] = Watch(fd: fd, interest: interest, handler: handler)
        return token
    }

    /// Calls `handler` once, `nanoseconds` from now (monotonic time).
    @discardableResult
    public func schedule(after nanoseconds: UInt64, _ handler: @escaping () -> Void) -> Token {
        let token = makeToken()
        let (deadline, overflow) = Self.monotonicNanoseconds().addingReportingOverflow(nanoseconds)
        timers[token.value] = Timer(deadline: overflow ? .max : deadline, handler: handler)
        return token
    }

    /// Stops a watch or a timer; cancelling one already gone does nothing.
    public func cancel(_ token: Token) {
        watches[token.value] = nil
        timers[token.value] = nil
    }

    /// Polls once: waits at most `timeoutMilliseconds` (negative: until something happens),
    /// less when a timer falls due sooner; runs the handlers of what became ready and of the
    /// timers that are due. When `fd` is given it is polled too, without a handler, and the
    /// answer tells whether it is ready; `fd`'s readiness also ends the wait.
    @discardableResult
    public func runOnce(timeoutMilliseconds: Int32, alsoWaitingFor fd: Int32? = nil, interest: Interest = .readable) -> Bool {
        turns &+= 1
        var timeout = timeoutMilliseconds
        let now = Self.monotonicNanoseconds()
        if let soonest = timers.values.lazy.map(\.deadline).min() {
            let untilDue = soonest > now ? (soonest - now + 999_999) / 1_000_000 : 0
            let bounded = Int32(clamping: untilDue)
            if timeout < 0 || bounded < timeout { timeout = bounded }
        }

        var keys: [UInt64] = []
        var descriptors: [pollfd] = []
        keys.reserveCapacity(watches.count)
        descriptors.reserveCapacity(watches.count + 1)
        for (key, watch) in watches {
            keys.append(key)
            descriptors.append(pollfd(fd: watch.fd, events: Self.events(for: watch.interest), revents: 0))
        }
        if let fd { descriptors.append(pollfd(fd: fd, events: Self.events(for: interest), revents: 0)) }

        let ready = descriptors.isEmpty && timeout < 0 ? 0 : poll(&descriptors, nfds_t(descriptors.count), timeout)
        var callerReady = false
        if ready > 0 {
            if fd != nil, descriptors[descriptors.count - 1].revents != 0 { callerReady = true }
            for (index, key) in keys.enumerated() where descriptors[index].revents != 0 {
                // A handler that ran before may have cancelled this one.
                guard let watch = watches[key] else { continue }
                if descriptors[index].revents & Int16(POLLNVAL) != 0 {
                    watches[key] = nil  // a closed descriptor would spin the loop forever
                    continue
                }
                watch.handler()
            }
        }
        runDueTimers()
        return callerReady
    }

    /// Turns the loop until `done()` answers true or `nanoseconds` have passed; answers
    /// whether `done()` held. `done()` is asked before every turn, the first included.
    @discardableResult
    public func run(forAtMost nanoseconds: UInt64, pollEveryMilliseconds step: Int32 = 50, until done: () -> Bool) -> Bool {
        let (deadline, overflow) = Self.monotonicNanoseconds().addingReportingOverflow(nanoseconds)
        let end = overflow ? UInt64.max : deadline
        while true {
            if done() { return true }
            let now = Self.monotonicNanoseconds()
            if now >= end { return false }
            let left = Int32(clamping: (end - now + 999_999) / 1_000_000)
            runOnce(timeoutMilliseconds: min(step, left))
        }
    }

    /// Host monotonic time in nanoseconds.
    public static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    private func runDueTimers() {
        guard !timers.isEmpty else { return }
        let now = Self.monotonicNanoseconds()
        let due = timers.filter { $0.value.deadline <= now }.sorted { $0.value.deadline < $1.value.deadline }
        for (key, timer) in due {
            guard timers.removeValue(forKey: key) != nil else { continue }
            timer.handler()
        }
    }

    private func makeToken() -> Token {
        defer { nextToken += 1 }
        return Token(value: nextToken)
    }

    private static func events(for interest: Interest) -> Int16 {
        switch interest {
        case .readable: Int16(POLLIN)
        case .writable: Int16(POLLOUT)
        }
    }
}
