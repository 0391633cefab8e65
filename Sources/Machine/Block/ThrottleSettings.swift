import QAPI

/// I/O limits of a backend, as `block_set_io_throttle` takes them: averages per second, optional
/// burst rates (`*_max`) with burst lengths in seconds, and a nominal request size for IOPS.
public struct ThrottleSettings: Sendable, Hashable {
    public var bps: Int64 = 0
    public var bpsRd: Int64 = 0
    public var bpsWr: Int64 = 0
    public var iops: Int64 = 0
    public var iopsRd: Int64 = 0
    public var iopsWr: Int64 = 0
    public var bpsMax: Int64 = 0
    public var bpsRdMax: Int64 = 0
    public var bpsWrMax: Int64 = 0
    public var iopsMax: Int64 = 0
    public var iopsRdMax: Int64 = 0
    public var iopsWrMax: Int64 = 0
    public var bpsMaxLength: Int64 = 1
    public var bpsRdMaxLength: Int64 = 1
    public var bpsWrMaxLength: Int64 = 1
    public var iopsMaxLength: Int64 = 1
    public var iopsRdMaxLength: Int64 = 1
    public var iopsWrMaxLength: Int64 = 1
    public var iopsSize: Int64 = 0

    public init() {}

    public static let unlimited = ThrottleSettings()

    /// QEMU's THROTTLE_VALUE_MAX.
    public static let valueMax: Int64 = 1_000_000_000_000_000

    /// Throttling is on when any average limit is set (QEMU's throttle_enabled).
    public var isEnabled: Bool { [bps, bpsRd, bpsWr, iops, iopsRd, iopsWr].contains { $0 > 0 } }

    /// The six buckets as (average, burst, burst length).
    private var buckets: [(avg: Int64, max: Int64, length: Int64)] {
        [
            (bps, bpsMax, bpsMaxLength), (bpsRd, bpsRdMax, bpsRdMaxLength), (bpsWr, bpsWrMax, bpsWrMaxLength),
            (iops, iopsMax, iopsMaxLength), (iopsRd, iopsRdMax, iopsRdMaxLength), (iopsWr, iopsWrMax, iopsWrMaxLength),
        ]
    }

    /// QEMU's throttle_is_valid, with its texts and in its order.
    public func validate() throws(QMPError) {
        let bpsClash = bps != 0 && (bpsRd != 0 || bpsWr != 0)
        let opsClash = iops != 0 && (iopsRd != 0 || iopsWr != 0)
        let bpsMaxClash = bpsMax != 0 && (bpsRdMax != 0 || bpsWrMax != 0)
        let opsMaxClash = iopsMax != 0 && (iopsRdMax != 0 || iopsWrMax != 0)
        if bpsClash || opsClash || bpsMaxClash || opsMaxClash {
            throw .generic("bps/iops/max total values and read/write values cannot be used at the same time")
        }
        if iopsSize != 0 && iops == 0 && iopsRd == 0 && iopsWr == 0 {
            throw .generic("iops size requires an iops value to be set")
        }
        for bucket in buckets {
            if bucket.avg < 0 || bucket.max < 0 || bucket.avg > Self.valueMax || bucket.max > Self.valueMax {
                throw .generic("bps/iops/max values must be within [0, \(Self.valueMax)]")
            }
            if bucket.length == 0 { throw .generic("the burst length cannot be 0") }
            if bucket.length > 1 && bucket.max == 0 { throw .generic("burst length set without burst rate") }
            if bucket.max != 0 && bucket.avg == 0 {
                throw .generic("bps_max/iops_max require corresponding bps/iops values")
            }
            if bucket.max != 0 && bucket.max < bucket.avg {
                throw .generic("bps_max/iops_max cannot be lower than bps/iops")
            }
        }
        if iopsSize < 0 { throw .generic("bps/iops/max values must be within [0, \(Self.valueMax)]") }
    }

    /// What a guest achieves under these limits over a long stretch. Bursts above the average
    /// only last seconds, so the model uses the averages; reads and writes share a total limit
    /// in proportion to their demand.
    func apply(to demand: EffectiveRates) -> EffectiveRates {
        guard isEnabled else { return demand }
        var readScale = 1.0
        var writeScale = 1.0
        func limit(_ scale: inout Double, _ cap: Int64, _ want: Double) {
            if cap > 0 && want > 0 { scale = min(scale, Double(cap) / want) }
        }
        // With iops_size, a request larger than it counts as several operations.
        func units(_ ops: UInt64, _ bytes: UInt64) -> Double {
            guard ops > 0 else { return 0 }
            guard iopsSize > 0 else { return Double(ops) }
            let size = Double(bytes) / Double(ops)
            return Double(ops) * max(1, size / Double(iopsSize))
        }
        let readUnits = units(demand.readOps, demand.readBytes)
        let writeUnits = units(demand.writeOps + demand.failedWriteOps, demand.writeBytes)
        limit(&readScale, bpsRd, Double(demand.readBytes))
        limit(&writeScale, bpsWr, Double(demand.writeBytes))
        limit(&readScale, iopsRd, readUnits)
        limit(&writeScale, iopsWr, writeUnits)
        if bps > 0 {
            let total = Double(demand.readBytes) * readScale + Double(demand.writeBytes) * writeScale
            if total > Double(bps) {
                let s = Double(bps) / total
                readScale *= s
                writeScale *= s
            }
        }
        if iops > 0 {
            let total = readUnits * readScale + writeUnits * writeScale
            if total > Double(iops) {
                let s = Double(iops) / total
                readScale *= s
                writeScale *= s
            }
        }
        func scaled(_ v: UInt64, _ s: Double) -> UInt64 { s >= 1 ? v : UInt64((Double(v) * s).rounded(.down)) }
        var out = demand
        out.readBytes = scaled(demand.readBytes, readScale)
        out.readOps = scaled(demand.readOps, readScale)
        out.writeBytes = scaled(demand.writeBytes, writeScale)
        out.writeOps = scaled(demand.writeOps, writeScale)
        out.failedWriteOps = scaled(demand.failedWriteOps, writeScale)
        out.newData = scaled(demand.newData, writeScale)
        return out
    }
}
