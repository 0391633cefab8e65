/// A size parse failure. Both cases print as QEMU's `invalid size`; the
/// distinction matters for `migrate_set_parameter`, whose visitor reports
/// out-of-range values with a different message.
public enum SizeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not a size at all (EINVAL).
    case invalid
    /// Negative, or does not fit in 64 bits (ERANGE).
    case outOfRange

    public var description: String { "invalid size" }
}

/// A parsed size.
public struct ParsedSize: Equatable, Sendable {
    public var bytes: UInt64
    /// The unit letter as typed (`B K M G T P E`, any case), or nil when the
    /// default unit applied. The console uses it to echo sizes with units.
    public var suffix: Character?

    public var hasSuffix: Bool { suffix != nil }

    public init(bytes: UInt64, suffix: Character? = nil) {
        self.bytes = bytes
        self.suffix = suffix
    }
}

/// QEMU's `qemu_strtosz` family.
///
/// - An integer is decimal (`08` is eight); `0x...` is hex but then allows
///   neither a fraction nor a suffix.
/// - A decimal fraction (`1.5G`, `.5K`, even `1.k`) needs a unit larger than
///   a byte; the result is rounded to a whole byte, halves upward.
/// - One optional suffix letter, any case: `B`=1, `K M G T P E` = unit¹…⁶.
///   `e` is exabytes, never an exponent. No `KiB`/`KB`.
/// - Negative numbers (even `-0`), `inf`, `nan` and values ≥ 2^64 fail.
///   Like `strtoull`, leading blanks and a `+` sign are accepted.
public enum SizeParser {
    /// The three entry points differ only in default unit and step.
    public enum Variant: Sendable {
        /// `qemu_strtosz`: no suffix means bytes; steps of 1024.
        case bytes
        /// `qemu_strtosz_MiB`: no suffix means MiB; steps of 1024.
        case mebibytes
        /// `qemu_strtosz_metric`: no suffix means bytes; steps of 1000.
        case metric

        var unit: UInt64 { self == .metric ? 1000 : 1024 }
        var defaultSuffix: UInt8 { self == .mebibytes ? UInt8(ascii: "M") : UInt8(ascii: "B") }
    }

    /// Parses the whole text (QEMU with `end == NULL`): anything left over
    /// makes it invalid.
    public static func parse(_ text: some StringProtocol, as variant: Variant = .bytes) throws(SizeError) -> ParsedSize {
        let bytes = Array(text.utf8)
        var outcome = scan(bytes, from: 0, variant: variant)
        // A leftover tail overrides every other outcome, as in QEMU.
        if outcome.end < bytes.count { outcome.result = .failure(.invalid) }
        return try outcome.result.get()
    }

    /// Parses a size at the scanner's position and leaves the cursor right
    /// after it (after the suffix letter, if any). Whatever follows is for the
    /// caller to judge. On error nothing is consumed.
    public static func parse(_ scanner: inout HMPScanner, as variant: Variant) throws(SizeError) -> ParsedSize {
        let outcome = scan(scanner.bytes, from: scanner.position, variant: variant)
        let size = try outcome.result.get()
        scanner.advance(to: outcome.end)
        return size
    }

    /// The `o` argument type: leading blanks skipped, no suffix means MiB, and
    /// the value must not exceed `Int64.max`. Every failure is `invalid size`.
    public static func parseArgument(_ scanner: inout HMPScanner) throws(SizeError) -> ParsedSize {
        var copy = scanner
        copy.skipWhitespace()
        let size = try parse(&copy, as: .mebibytes)
        guard size.bytes <= UInt64(Int64.max) else { throw .outOfRange }
        scanner = copy
        return size
    }

    /// The multiplier of a suffix letter, or nil if it is not one.
    static func multiplier(of letter: UInt8, unit: UInt64) -> UInt64? {
        let power: Int
        switch asciiLower(letter) {
        case UInt8(ascii: "b"): return 1
        case UInt8(ascii: "k"): power = 1
        case UInt8(ascii: "m"): power = 2
        case UInt8(ascii: "g"): power = 3
        case UInt8(ascii: "t"): power = 4
        case UInt8(ascii: "p"): power = 5
        case UInt8(ascii: "e"): power = 6
        default: return nil
        }
        var m: UInt64 = 1
        for _ in 0..<power { m *= unit }  // 1024^6 = 2^60 fits
        return m
    }

    /// Where the parse ended (QEMU's `*end`) and what it produced.
    struct Outcome {
        var end: Int
        var result: Result<ParsedSize, SizeError>
    }

    /// A transcription of QEMU's `do_strtosz`. `end` follows QEMU's `endptr`
    /// on every path, because the whole-string form decides between
    /// "invalid" and "out of range" by looking at it.
    static func scan(_ s: [UInt8], from start: Int, variant: Variant) -> Outcome {
        func byte(_ i: Int) -> UInt8 { i < s.count ? s[i] : 0 }
        func fail(_ end: Int, _ error: SizeError) -> Outcome { Outcome(end: end, result: .failure(error)) }

        // Integral part, as parse_uint(..., base 10).
        var integral = UIntScan(s, from: start, base: 10)
        var end = integral.end
        var valf: UInt64 = 0  // fraction as 0.64 fixed point

        if integral.status == .outOfRange { return fail(end, .outOfRange) }

        if integral.status == .ok && integral.value == 0
            && asciiLower(byte(end)) == UInt8(ascii: "x")
        {
            // Looks like hex: read again, and insist on no fraction or suffix.
            let hex = UIntScan(s, from: start, base: 16)
            end = hex.end
            if hex.status == .outOfRange { return fail(end, .outOfRange) }
            if byte(end) == UInt8(ascii: ".") || multiplier(of: byte(end), unit: variant.unit) != nil {
                return fail(start, .invalid)
            }
            integral.value = hex.value
        } else if byte(end) == UInt8(ascii: ".") || (end == start && s[start...].contains(UInt8(ascii: "."))) {
            // Looks like a fraction. `e`/`E` must stay suffixes, never exponents.
            var fraction = 0.0
            var fractionFailed = false
            if integral.status == .ok && byte(end) == UInt8(ascii: ".") && !isCDigit(byte(end + 1)) {
                end += 1  // `1.k`: a dot with no digits
            } else {
                // strtod on the tail. Given how we got here, the only forms it
                // can accept are [blanks][sign].digits, and inf/nan (which
                // qemu_strtod_finite refuses anyway).
                var i = end
                if integral.status != .ok {
                    while i < s.count, isCSpace(s[i]) { i += 1 }
                }
                var negative = false
                if integral.status != .ok, byte(i) == UInt8(ascii: "+") || byte(i) == UInt8(ascii: "-") {
                    negative = byte(i) == UInt8(ascii: "-")
                    i += 1
                }
                if byte(i) == UInt8(ascii: ".") && isCDigit(byte(i + 1)) {
                    var j = i + 1
                    while j < s.count, isCDigit(s[j]) { j += 1 }
                    var text = "0"
                    text.unicodeScalars.append(contentsOf: s[i..<j].map { Unicode.Scalar($0) })
                    fraction = Double(text) ?? 0  // underflow reads as 0, as in QEMU
                    end = j
                    if negative { return fail(end, .outOfRange) }  // signbit, even for -0
                } else {
                    fractionFailed = true
                }
            }
            if fractionFailed {
                return fail(integral.status == .ok ? end : start, .invalid)
            }
            if fraction == 1.0 {
                // Rounded up to one (a very long .999...).
                guard integral.value != .max else { return fail(end, .outOfRange) }
                integral.value += 1
            } else {
                valf = UInt64(fraction * 0x1p64)
            }
        } else if integral.status != .ok {
            return fail(end, .invalid)
        }

        var suffix: Character?
        let scale: UInt64
        if let m = multiplier(of: byte(end), unit: variant.unit) {
            scale = m
            suffix = Character(Unicode.Scalar(byte(end)))
            end += 1
        } else {
            scale = multiplier(of: variant.defaultSuffix, unit: variant.unit)!
        }

        var value = integral.value
        if scale == 1 {
            // A fraction needs a scale.
            if valf != 0 { return fail(start, .invalid) }
        } else {
            // Exact 64.64 × 64 → 128.64 fixed point, then round half up.
            var (high, low) = value.multipliedFullWidth(by: scale)
            let (fracHigh, fracLow) = valf.multipliedFullWidth(by: scale)
            var carry: Bool
            (low, carry) = low.addingReportingOverflow(fracHigh)
            if carry { high &+= 1 }
            (low, carry) = low.addingReportingOverflow(fracLow >> 63)
            if carry { high &+= 1 }
            if high != 0 { return fail(end, .outOfRange) }
            value = low
        }
        return Outcome(end: end, result: .success(ParsedSize(bytes: value, suffix: suffix)))
    }

    /// `strtoull` as wrapped by QEMU's parse_uint / qemu_strtou64: blanks and
    /// a sign are accepted, no digits means `end == start`, and a minus sign
    /// makes the result out of range.
    struct UIntScan {
        enum Status { case ok, invalid, outOfRange }
        var value: UInt64 = 0
        var end: Int
        var status: Status

        init(_ s: [UInt8], from start: Int, base: UInt64) {
            var i = start
            while i < s.count, isCSpace(s[i]) { i += 1 }
            var negative = false
            if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
                negative = s[i] == UInt8(ascii: "-")
                i += 1
            }
            if base == 16, i + 2 < s.count, s[i] == UInt8(ascii: "0"),
                asciiLower(s[i + 1]) == UInt8(ascii: "x"), isCHexDigit(s[i + 2])
            {
                i += 2
            }
            let digitsStart = i
            var overflow = false
            var v: UInt64 = 0
            while i < s.count {
                let b = s[i]
                let digit: UInt64
                if base == 16 {
                    guard isCHexDigit(b) else { break }
                    digit = hexValue(b)
                } else {
                    guard isCDigit(b) else { break }
                    digit = UInt64(b - 0x30)
                }
                let (m, o1) = v.multipliedReportingOverflow(by: base)
                let (a, o2) = m.addingReportingOverflow(digit)
                overflow = overflow || o1 || o2
                v = a
                i += 1
            }
            if i == digitsStart {
                end = start
                status = .invalid
            } else if overflow || negative {
                end = i
                status = .outOfRange
            } else {
                value = v
                end = i
                status = .ok
            }
        }
    }
}
