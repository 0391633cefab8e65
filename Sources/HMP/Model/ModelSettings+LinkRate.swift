extension ModelSettings {
    /// A link speed as typed (bits per second, the way links are quoted) and in the tables'
    /// unit family, so it compares with a migration's throughput: `1 Gbit/s (119 MiB/s)`.
    static func linkRate(_ bitsPerSecond: UInt64) -> String {
        "\(bits(bitsPerSecond)) (\(MigrationUnits.rate(Double(bitsPerSecond) / 8)))"
    }
}
