/// A duration that could not be parsed.
public enum DurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(String)
    case tooLarge(String)

    public var description: String {
        switch self {
        case .invalid(let text):
            "invalid duration '\(text)': expected a non-negative number with an optional unit "
                + "ns, us, ms, s, m or h (for example 500ms, 1.5s, 2m); a bare number means seconds"
        case .tooLarge(let text):
            "duration '\(text)' is too large: at most 8760h (a year)"
        }
    }
}

/// Durations for our `sleep` command: `500ms`, `2s`, `1m`, `1.5s`, `250us`,
/// `10ns`, `1h`; a bare number is seconds. The result is in nanoseconds.
///
/// Decimal fractions are computed exactly in integers (no binary floating
/// point), rounded to the nearest nanosecond, so `0.1s` is exactly 100 ms.
public enum DurationParser {
    static let units: [(suffix: String, nanoseconds: UInt64)] = [
        ("ns", 1), ("us", 1_000), ("\u{B5}s", 1_000), ("\u{3BC}s", 1_000), ("ms", 1_000_000),
        ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// The longest duration accepted: a year. Longer waits are mistakes, and the bound keeps
    /// every sum of waits far inside the model's clock.
    public static let maximum: UInt64 = 8760 * 3_600_000_000_000

    /// Parses a whole duration; surrounding blanks are ignored.
    public static func parse(_ text: some StringProtocol) throws(DurationError) -> UInt64 {
        let original = String(text)
        var body = Array(original.utf8)[...]
        while let b = body.first, isCSpace(b) { body.removeFirst() }
        while let b = body.last, isCSpace(b) { body.removeLast() }

        var i = body.startIndex
        let integerStart = i
        while i < body.endIndex, isCDigit(body[i]) { i += 1 }
        let integerDigits = body[integerStart..<i]
        var fractionDigits = body[i..<i]
        if i < body.endIndex, body[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < body.endIndex, isCDigit(body[i]) { i += 1 }
            fractionDigits = body[fractionStart..<i]
        }
        guard !integerDigits.isEmpty || !fractionDigits.isEmpty else { throw .invalid(original) }

        let suffix = String(decoding: body[i...], as: UTF8.self)
        let unit: UInt64
        if suffix.isEmpty {
            unit = 1_000_000_000
        } else if let match = units.first(where: { $0.suffix == suffix }) {
            unit = match.nanoseconds
        } else {
            throw .invalid(original)
        }

        // Whole part.
        var whole: UInt64 = 0
        for d in integerDigits {
            let (m, o1) = whole.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d - 0x30))
            guard !o1, !o2 else { throw .tooLarge(original) }
            whole = a
        }
        let (wholeNanos, o1) = whole.multipliedReportingOverflow(by: unit)
        guard !o1 else { throw .tooLarge(original) }

        // Fraction: digits/10^k × unit, exactly, rounded half up. Eighteen
        // digits are far below a nanosecond for every unit we accept.
        let kept = fractionDigits.prefix(18)
        var numerator: UInt64 = 0
        var denominator: UInt64 = 1
        for d in kept {
            numerator = numerator * 10 + UInt64(d - 0x30)
            denominator *= 10
        }
        let product = unit.multipliedFullWidth(by: numerator)
        let (quotient, remainder) = denominator.dividingFullWidth(product)
        let roundUp: UInt64 = remainder >= denominator - remainder ? 1 : 0
        let (total, o2) = wholeNanos.addingReportingOverflow(quotient + roundUp)
        guard !o2, total <= maximum else { throw .tooLarge(original) }
        return total
    }

    /// Reads one blank-delimited token from the scanner and parses it.
    public static func parse(_ scanner: inout HMPScanner) throws(DurationError) -> UInt64 {
        var copy = scanner
        guard let token = try? copy.readString() else { throw .invalid("") }
        let value = try parse(token)
        scanner = copy
        return value
    }
}
