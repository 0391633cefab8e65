#if canImport(Glibc)
import Glibc
#endif

/// Says what time it is for the model. The model itself never reads a clock: whoever drives
/// it asks a `ModelClock` for "now" and calls `VirtualMachine.advance(to:)`.
///
/// - `.virtual()`: time moves only when told (`advance(by:)`, `sleep`); tests and
///   reproducible scripts use it, so the same inputs give the same outputs every run.
/// - `.real()`: time is CLOCK_MONOTONIC since the clock was made; the console advances the
///   model to "now" before each command.
public final class ModelClock {
    public enum Kind: Sendable, Hashable {
        case virtual
        case real
    }

    public let kind: Kind
    private var virtualNow: ModelTime
    private let origin: UInt64

    private init(kind: Kind, start: ModelTime) {
        self.kind = kind
        self.virtualNow = start
        self.origin = kind == .real ? Self.monotonicNanoseconds() : 0
    }

    /// A clock that stands still until told to move.
    public static func virtual(start: ModelTime = .zero) -> ModelClock { ModelClock(kind: .virtual, start: start) }

    /// A clock that follows the host's monotonic clock, starting at zero now.
    public static func real() -> ModelClock { ModelClock(kind: .real, start: .zero) }

    /// The current model time.
    public var now: ModelTime {
        switch kind {
        case .virtual: virtualNow
        case .real: ModelTime(nanoseconds: Self.monotonicNanoseconds() &- origin)
        }
    }

    /// Moves a virtual clock forward; a real clock moves by itself, so this does nothing there.
    public func advance(by delta: ModelTime) {
        if kind == .virtual { virtualNow = min(virtualNow + delta, max(virtualNow, .horizon)) }
    }

    /// Lets `nanoseconds` pass: a real clock sleeps, a virtual clock jumps ahead at once.
    public func sleep(nanoseconds: UInt64) {
        switch kind {
        case .virtual:
            // Stops at the horizon rather than overflowing (a script of huge sleeps).
            virtualNow = min(virtualNow + ModelTime(nanoseconds: nanoseconds), max(virtualNow, .horizon))
        case .real:
            var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
            var remaining = timespec()
            while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
        }
    }

    /// Wall-clock time in microseconds since the Unix epoch (for event timestamps of a real clock).
    public static func wallClockMicroseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000
    }

    private static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
