/// The I/O a guest does on one disk, as steady rates. The model turns them into
/// `query-blockstats` counters as the clock moves, after throttling.
public struct DiskIOWorkload: Sendable, Hashable {
    public var readBytesPerSecond: UInt64
    public var readOpsPerSecond: UInt64
    public var writeBytesPerSecond: UInt64
    public var writeOpsPerSecond: UInt64
    public var flushesPerSecond: UInt64
    /// Share of written bytes, in millionths, that land on disk space the guest never wrote before;
    /// on a thin image they allocate.
    public var newDataPerMillion: UInt64

    public init(
        readBytesPerSecond: UInt64 = 0, readOpsPerSecond: UInt64 = 0,
        writeBytesPerSecond: UInt64 = 0, writeOpsPerSecond: UInt64 = 0,
        flushesPerSecond: UInt64 = 0, newDataPerMillion: UInt64 = 0
    ) {
        self.readBytesPerSecond = readBytesPerSecond
        self.readOpsPerSecond = readOpsPerSecond
        self.writeBytesPerSecond = writeBytesPerSecond
        self.writeOpsPerSecond = writeOpsPerSecond
        self.flushesPerSecond = flushesPerSecond
        self.newDataPerMillion = min(newDataPerMillion, 1_000_000)
    }

    public static let idle = DiskIOWorkload()

    /// Rates from bytes per second, with requests of `requestSize` bytes (64 KiB unless given).
    public static func steady(
        readBytesPerSecond: UInt64 = 0, writeBytesPerSecond: UInt64 = 0, requestSize: UInt64 = 65_536,
        flushesPerSecond: UInt64 = 0, newDataPerMillion: UInt64 = 0
    ) -> DiskIOWorkload {
        let size = max(requestSize, 512)
        return DiskIOWorkload(
            readBytesPerSecond: readBytesPerSecond,
            readOpsPerSecond: readBytesPerSecond == 0 ? 0 : max(1, readBytesPerSecond / size),
            writeBytesPerSecond: writeBytesPerSecond,
            writeOpsPerSecond: writeBytesPerSecond == 0 ? 0 : max(1, writeBytesPerSecond / size),
            flushesPerSecond: flushesPerSecond, newDataPerMillion: newDataPerMillion)
    }

    public var isIdle: Bool {
        readBytesPerSecond == 0 && readOpsPerSecond == 0 && writeBytesPerSecond == 0 && writeOpsPerSecond == 0
            && flushesPerSecond == 0
    }
}

/// Rates a device actually achieves over a stretch of time with no model event in it.
struct EffectiveRates: Sendable, Hashable {
    var readBytes: UInt64 = 0
    var readOps: UInt64 = 0
    var writeBytes: UInt64 = 0
    var writeOps: UInt64 = 0
    /// Write requests that fail (the image cannot grow and the error policy lets the guest go on).
    var failedWriteOps: UInt64 = 0
    var flushes: UInt64 = 0
    /// Bytes per second of guest data written for the first time.
    var newData: UInt64 = 0

    static let zero = EffectiveRates()

    var anyOps: Bool { readOps > 0 || writeOps > 0 || flushes > 0 || failedWriteOps > 0 }
}

/// Per-request service times the model charges to the *_total_time_ns counters.
enum Latency {
    static let readBase: UInt64 = 90_000
    static let writeBase: UInt64 = 120_000
    static let flush: UInt64 = 800_000
    /// One nanosecond per byte moved: a disk that streams about 1 GB/s.
    static let perByte: UInt64 = 1

    static func read(size: UInt64) -> UInt64 { readBase + size * perByte }

    /// Without a write-back cache every write waits for the medium.
    static func write(size: UInt64, writeback: Bool) -> UInt64 {
        let t = writeBase + size * perByte
        return writeback ? t : t * 3
    }
}
