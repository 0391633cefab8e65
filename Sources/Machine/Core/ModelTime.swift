#if canImport(Glibc)
import Glibc
#endif

/// A point on the model's clock, in nanoseconds since the model started.
///
/// The model never reads a wall clock itself: whoever drives it (the console, a test)
/// decides what time it is and calls `advance(to:)`.
public struct ModelTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var nanoseconds: UInt64

    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    public static let zero = ModelTime(nanoseconds: 0)

    public static func milliseconds(_ ms: UInt64) -> ModelTime { ModelTime(nanoseconds: ms * 1_000_000) }
    public static func seconds(_ s: Double) -> ModelTime { ModelTime(nanoseconds: UInt64((s * 1e9).rounded())) }

    public var seconds: Double { Double(nanoseconds) / 1e9 }
    public var milliseconds: UInt64 { nanoseconds / 1_000_000 }

    /// The end of the model's time: about 146 years after it started. Waits stop here, which
    /// leaves room for any deadline the model computes from "now" without overflowing.
    public static let horizon = ModelTime(nanoseconds: 1 << 62)

    public static func < (a: ModelTime, b: ModelTime) -> Bool { a.nanoseconds < b.nanoseconds }
    /// Saturates instead of trapping: a deadline past the end of UInt64 is simply never reached.
    public static func + (a: ModelTime, b: ModelTime) -> ModelTime {
        let (sum, overflow) = a.nanoseconds.addingReportingOverflow(b.nanoseconds)
        return ModelTime(nanoseconds: overflow ? .max : sum)
    }
    public static func - (a: ModelTime, b: ModelTime) -> ModelTime {
        ModelTime(nanoseconds: a.nanoseconds >= b.nanoseconds ? a.nanoseconds - b.nanoseconds : 0)
    }

    public var description: String { "\(milliseconds) ms" }
}
