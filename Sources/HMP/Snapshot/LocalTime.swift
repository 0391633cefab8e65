#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Calendar times for snapshot dates and default snapshot tags, through the C library
/// (QEMU formats them in local time).
public enum LocalTime {
    /// Formats Unix `seconds` with a strftime `pattern`, in local time or UTC.
    public static func format(_ seconds: Int64, _ pattern: String, utc: Bool = false) -> String {
        var t = time_t(seconds)
        var parts = tm()
        if utc {
            gmtime_r(&t, &parts)
        } else {
            localtime_r(&t, &parts)
        }
        var buffer = [CChar](repeating: 0, count: 128)
        let count = strftime(&buffer, buffer.count, pattern, &parts)
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Seconds since the epoch, now.
    public static func now() -> Int64 { Int64(time(nil)) }
}

/// How a snapshot's date is shown: QEMU uses local time; tests pin UTC.
public struct SnapshotDateStyle: Sendable {
    public var utc: Bool
    public static let local = SnapshotDateStyle(utc: false)
    public static let utc = SnapshotDateStyle(utc: true)

    func string(_ seconds: Int64) -> String { LocalTime.format(seconds, "%Y-%m-%d %H:%M:%S", utc: utc) }
}
