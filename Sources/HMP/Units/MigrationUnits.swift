/// Units for migration figures in the table format.
enum MigrationUnits {
    private static let binaryUnits: [(String, UInt64)] = [
        ("EiB", 1 << 60), ("PiB", 1 << 50), ("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10),
    ]

    /// A size in the largest IEC unit that shows it exactly (at most two decimals), so a
    /// setting reads back as it was typed: 1.5 GiB, 1000 MiB, 1500000 B. Parameters must not
    /// be rounded the way `size_to_str` rounds measurements.
    static func exactSize(_ bytes: UInt64) -> (number: String, unit: String) {
        for (unit, scale) in binaryUnits where bytes >= scale {
            let whole = bytes / scale
            let rest = bytes % scale
            if rest == 0 { return (String(whole), unit) }
            // Two decimals are exact when rest * 100 is a multiple of the scale.
            let (hundredths, overflow) = rest.multipliedReportingOverflow(by: 100)
            if !overflow, hundredths % scale == 0 {
                var decimals = String(hundredths / scale)
                if decimals.count < 2 { decimals = "0" + decimals }
                if decimals.hasSuffix("0") { decimals.removeLast() }
                return ("\(whole).\(decimals)", unit)
            }
        }
        return (String(bytes), "B")
    }

    /// `exactSize` as one string: `1.5 GiB`.
    static func exactSizeText(_ bytes: UInt64) -> String {
        let size = exactSize(bytes)
        return size.number + " " + size.unit
    }

    /// QEMU's `mbps` (10^6 bits per second, from migration_update_counters()) in the tables'
    /// one unit family, binary bytes per second: `64 MiB/s`, `1.25 GiB/s`. Only the qemu
    /// format prints QEMU's Mbps.
    static func byteRate(mbps: Double) -> String {
        let bytesPerSecond = mbps.isFinite ? max(0, mbps) * 1_000_000 / 8 : 0
        return rate(bytesPerSecond)
    }

    /// Bytes per second as `size/s`: `78.1 MiB/s`.
    static func rate(_ bytesPerSecond: Double) -> String {
        let clamped = bytesPerSecond.isFinite ? min(max(0, bytesPerSecond), Double(UInt64.max / 2)) : 0
        return size(UInt64(clamped)) + "/s"
    }

    /// A measured size, `size_to_str` style (three significant digits).
    static func size(_ bytes: Int64) -> String { SizeFormatter.string(fromBytes: UInt64(max(0, bytes))) }
    static func size(_ bytes: UInt64) -> String { SizeFormatter.string(fromBytes: bytes) }

    /// A percentage with one decimal: `62.5%`.
    static func percent(_ fraction: Double) -> String { CFloatFormat.fixed(fraction * 100, precision: 1) + "%" }

    /// Seconds for an estimate: `45 s`, `3 min 5 s`, `2 h 10 min`.
    static func duration(seconds: Double) -> String {
        let s = Int64(seconds.rounded(.up))
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(s % 60) s" }
        return "\(s / 3600) h \(s % 3600 / 60) min"
    }

    /// A C `%lu` of a QAPI `int`: QEMU prints these unsigned.
    static func unsigned(_ value: Int64) -> String { String(UInt64(bitPattern: value)) }
}
