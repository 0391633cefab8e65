/// `T` argument failures, with QEMU's texts.
public enum FloatError: Error, Equatable, Sendable, CustomStringConvertible {
    case numberExpected
    /// NaN or infinity.
    case badNumber
    case unknownUnitSuffix

    public var description: String {
        switch self {
        case .numberExpected: "Number expected"
        case .badNumber: "Bad number"
        case .unknownUnitSuffix: "Unknown unit suffix"
        }
    }
}

/// The `T` argument type: a `strtod` number with an optional `ms`, `us` or
/// `ns` suffix that divides it by 1e3, 1e6 or 1e9 (so the result is in
/// seconds when the bare number is).
///
/// The number is recognised here rather than by the C library so that the
/// decimal point is always `.`, whatever the process locale.
public enum FloatParser {
    public static func parse(_ scanner: inout HMPScanner) throws(FloatError) -> Double {
        let bytes = scanner.bytes
        var i = scanner.position
        while i < bytes.count, isCSpace(bytes[i]) { i += 1 }
        guard let end = strtodPrefix(bytes, from: i),
            var value = Double(String(decoding: bytes[i..<end], as: UTF8.self))
        else { throw .numberExpected }
        guard value.isFinite else { throw .badNumber }
        var p = end
        if p + 1 < bytes.count, bytes[p + 1] == UInt8(ascii: "s") {
            switch bytes[p] {
            case UInt8(ascii: "m"): value /= 1e3; p += 2
            case UInt8(ascii: "u"): value /= 1e6; p += 2
            case UInt8(ascii: "n"): value /= 1e9; p += 2
            default: break
            }
        }
        guard p >= bytes.count || isCSpace(bytes[p]) else { throw .unknownUnitSuffix }
        scanner.advance(to: p)
        return value
    }

    /// Whole-string form: only blanks may follow.
    public static func parse(_ text: some StringProtocol) throws(FloatError) -> Double {
        var scanner = HMPScanner(text)
        let value = try parse(&scanner)
        guard scanner.isBlankToEnd else { throw .unknownUnitSuffix }
        return value
    }

    /// The end of the longest prefix of `s[start...]` that C's `strtod` would
    /// accept (no leading blanks), or nil if there is none: a sign, then
    /// `inf`/`infinity`/`nan`/`nan(...)`, a hex float, or a decimal with an
    /// optional exponent.
    static func isNanCharacter(_ b: UInt8) -> Bool {
        let lower = asciiLower(b)
        return isCDigit(b) || (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || b == UInt8(ascii: "_")
    }

    static func strtodPrefix(_ s: [UInt8], from start: Int) -> Int? {
        func byte(_ i: Int) -> UInt8 { i < s.count ? s[i] : 0 }
        func matches(_ word: String, at i: Int) -> Bool {
            var j = i
            for w in word.utf8 {
                guard asciiLower(byte(j)) == w else { return false }
                j += 1
            }
            return true
        }
        var i = start
        if byte(i) == UInt8(ascii: "+") || byte(i) == UInt8(ascii: "-") { i += 1 }

        if matches("infinity", at: i) { return i + 8 }
        if matches("inf", at: i) { return i + 3 }
        if matches("nan", at: i) {
            var j = i + 3
            if byte(j) == UInt8(ascii: "(") {
                j += 1
                while j < s.count, isNanCharacter(s[j]) { j += 1 }
                if byte(j) == UInt8(ascii: ")") { return j + 1 }
            }
            return i + 3
        }

        let hex =
            byte(i) == UInt8(ascii: "0") && asciiLower(byte(i + 1)) == UInt8(ascii: "x")
            && (isCHexDigit(byte(i + 2)) || (byte(i + 2) == UInt8(ascii: ".") && isCHexDigit(byte(i + 3))))
        func isDigit(_ b: UInt8) -> Bool { hex ? isCHexDigit(b) : isCDigit(b) }
        if hex { i += 2 }

        var digits = 0
        while isDigit(byte(i)) { i += 1; digits += 1 }
        if byte(i) == UInt8(ascii: ".") {
            var j = i + 1
            var fractionDigits = 0
            while isDigit(byte(j)) { j += 1; fractionDigits += 1 }
            if digits + fractionDigits > 0 {
                i = j
                digits += fractionDigits
            }
        }
        guard digits > 0 else { return nil }

        let exponentLetter = hex ? UInt8(ascii: "p") : UInt8(ascii: "e")
        if asciiLower(byte(i)) == exponentLetter {
            var j = i + 1
            if byte(j) == UInt8(ascii: "+") || byte(j) == UInt8(ascii: "-") { j += 1 }
            if isCDigit(byte(j)) {
                while isCDigit(byte(j)) { j += 1 }
                i = j
            }
        }
        return i
    }
}
