/// The keys of `guest_set` and `link_set`, with how each value is read.
enum ModelSettings {
    struct Key: Sendable {
        var name: String
        /// Other spellings accepted (the schema member names).
        var aliases: [String]
    }

    static let guestKeys = [
        Key(name: "dirty-rate", aliases: []),
        Key(name: "zero-pages", aliases: ["zero-percent"]),
        Key(name: "hot-set", aliases: ["hot-set-size"]),
    ]

    static let linkKeys = [
        Key(name: "bandwidth", aliases: []),
        Key(name: "latency", aliases: []),
        Key(name: "disk-speed", aliases: []),
        Key(name: "pipe-speed", aliases: []),
    ]

    /// The canonical name for what was typed, or nil.
    static func key(_ typed: String, in keys: [Key]) -> String? {
        keys.first { $0.name == typed || $0.aliases.contains(typed) }?.name
    }

    /// A count with optional metric suffix (k M G T, steps of 1000): `50000`, `50k`, `1.5M`.
    static func metric(_ text: String) -> UInt64? {
        guard let size = try? SizeParser.parse(text, as: .metric), size.suffix != "B", size.suffix != "b" else { return nil }
        return size.bytes
    }

    /// A percentage 0...100, with or without `%`.
    static func percent(_ text: String) -> UInt8? {
        let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), digits.count <= 3, let v = UInt8(digits), v <= 100
        else {
            return nil
        }
        return v
    }

    /// A metric rate for people: `1 Gbit/s`, `2.5 Mbit/s`.
    static func bits(_ value: UInt64) -> String {
        let steps: [(UInt64, String)] = [(1_000_000_000_000, "Tbit/s"), (1_000_000_000, "Gbit/s"), (1_000_000, "Mbit/s"), (1000, "kbit/s")]
        for (unit, name) in steps where value >= unit {
            return CFloatFormat.general(Double(value) / Double(unit), precision: 4) + " " + name
        }
        return "\(value) bit/s"
    }

    /// Microseconds for people: `5 ms`, `250 us`, `1.5 s`.
    static func micros(_ value: UInt64) -> String {
        if value >= 1_000_000 { return CFloatFormat.general(Double(value) / 1e6, precision: 6) + " s" }
        if value >= 1000 { return CFloatFormat.general(Double(value) / 1e3, precision: 6) + " ms" }
        return "\(value) us"
    }
}
