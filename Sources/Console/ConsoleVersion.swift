#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The version `hmp --version`, the greeting and the man page show.
public enum ConsoleVersion {
    public static let string = "0.1.0"
}

/// Wall-clock time, for event stamps.
public enum WallClock {
    /// Microseconds since the Unix epoch.
    public static func microseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
    }
}
