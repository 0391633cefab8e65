#if canImport(Glibc)
import Glibc
#endif

/// How the guest uses its memory, as far as migration cares: how fast it dirties pages,
/// how much of RAM holds only zeroes, and the hot set its writes fall into.
///
/// Memory is never modelled page by page. Writes land uniformly in the hot set, so the number
/// of distinct pages dirtied after `t` seconds of writing at `rate` pages/s saturates:
/// `hot * (1 - exp(-rate * t / hot))`.
public struct GuestWorkload: Sendable, Hashable {
    /// Pages written per second by the whole guest when it runs unthrottled.
    public var dirtyPagesPerSecond: UInt64
    /// Share of RAM, in percent, that holds only zero bytes.
    public var zeroPercent: UInt8
    /// Bytes of RAM the writes are drawn from.
    public var hotSetBytes: UInt64

    public init(dirtyPagesPerSecond: UInt64 = 4096, zeroPercent: UInt8 = 25, hotSetBytes: UInt64 = 256 << 20) {
        self.dirtyPagesPerSecond = dirtyPagesPerSecond
        self.zeroPercent = min(zeroPercent, 100)
        self.hotSetBytes = hotSetBytes
    }

    /// A guest that writes nothing.
    public static func idle(zeroPercent: UInt8 = 0) -> GuestWorkload {
        GuestWorkload(dirtyPagesPerSecond: 0, zeroPercent: zeroPercent, hotSetBytes: 0)
    }
}

/// The saturation law the whole model uses for dirtying.
enum Dirtying {
    /// Distinct pages dirty after writing for `seconds` at `rate` pages/s into a hot set of
    /// `hot` pages, starting from `dirty` distinct dirty pages. Memoryless in `dirty`, so
    /// segments with different rates compose exactly.
    static func evolve(dirty: Double, hot: Double, rate: Double, seconds: Double) -> Double {
        guard hot > 0, rate > 0, seconds > 0 else { return dirty }
        return hot - (hot - dirty) * exp(-rate * seconds / hot)
    }
}
