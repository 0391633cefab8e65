/// Reads a typed size back with its unit, so a bare `10` that meant 10 MiB never goes unnoticed:
/// `10 MiB (10485760 bytes); no unit given, so MiB was assumed`.
enum SizeEcho {
    /// The default unit's name for a size argument kind.
    static func unitName(_ variant: SizeParser.Variant) -> String {
        switch variant {
        case .mebibytes: "MiB"
        case .bytes, .metric: "bytes"
        }
    }

    /// `20 GiB (21474836480 bytes)`
    static func bytes(_ value: UInt64) -> String { "\(SizeFormatter.string(fromBytes: value)) (\(value) bytes)" }

    /// The value, then a note when no unit was typed.
    static func describe(_ size: ParsedSize, default variant: SizeParser.Variant = .mebibytes) -> String {
        bytes(size.bytes) + note(size, variant, perSecond: false)
    }

    /// The note inside the parentheses, for the middle of a sentence:
    /// `10 MiB (10485760 bytes; no unit given, so MiB was assumed)`.
    static func inline(_ size: ParsedSize, default variant: SizeParser.Variant = .mebibytes) -> String {
        "\(SizeFormatter.string(fromBytes: size.bytes)) (\(size.bytes) bytes\(note(size, variant, perSecond: false)))"
    }

    /// A speed: `10 MiB/s (10485760 bytes/s); no unit given, so MiB/s was assumed`.
    static func rate(_ size: ParsedSize, default variant: SizeParser.Variant = .mebibytes) -> String {
        "\(SizeFormatter.string(fromBytes: size.bytes))/s (\(size.bytes) bytes/s)" + note(size, variant, perSecond: true)
    }

    static func note(_ size: ParsedSize, _ variant: SizeParser.Variant, perSecond: Bool) -> String {
        guard !size.hasSuffix else { return "" }
        let unit = unitName(variant) + (perSecond ? "/s" : "")
        return unit.hasPrefix("bytes") ? "; no unit given, so \(unit) were assumed" : "; no unit given, so \(unit) was assumed"
    }
}
