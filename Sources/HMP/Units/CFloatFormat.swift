/// Exact `printf` conversions `%.<p>f` and `%.<p>g` for Double.
///
/// QEMU's human output is full of `%0.3g` (sizes) and `%0.2f` (rates); a
/// Swift `description` followed by rounding would round the *shortest* decimal
/// form rather than the true binary value (2.675 is really 2.67499…), and
/// half-way cases must go to even as glibc does (100.5 → `100`). So the value
/// is expanded to its exact decimal digits first, then rounded once.
public enum CFloatFormat {
    /// `%.<precision>f`.
    public static func fixed(_ value: Double, precision: Int) -> String {
        if let special = nonFinite(value) { return special }
        let precision = max(0, precision)
        let sign = value.sign == .minus ? "-" : ""
        let exact = ExactDecimal(magnitudeOf: value)
        let rounded = exact.rounded(keeping: exact.pointPosition + precision)
        return sign + rounded.fixedString(decimals: precision)
    }

    /// `%.<precision>g`: `precision` significant digits, trailing zeros
    /// removed, exponent form only when the exponent is < -4 or ≥ precision.
    public static func general(_ value: Double, precision: Int) -> String {
        if let special = nonFinite(value) { return special }
        let p = max(1, precision)
        let sign = value.sign == .minus ? "-" : ""
        let exact = ExactDecimal(magnitudeOf: value)
        if exact.digits.isEmpty { return sign + "0" }
        let rounded = exact.rounded(keeping: p)
        let x = rounded.pointPosition - 1  // the %e exponent after rounding
        if x >= -4 && x < p {
            return sign + stripZeros(rounded.fixedString(decimals: p - 1 - x))
        }
        var mantissa = rounded.fixedString(decimals: p - 1, pointPosition: 1)
        mantissa = stripZeros(mantissa)
        let exponent = abs(x) < 10 ? "0\(abs(x))" : "\(abs(x))"
        return sign + mantissa + (x < 0 ? "e-" : "e+") + exponent
    }

    static func nonFinite(_ value: Double) -> String? {
        if value.isNaN { return value.sign == .minus ? "-nan" : "nan" }
        if value.isInfinite { return value.sign == .minus ? "-inf" : "inf" }
        return nil
    }

    /// `%g` drops trailing zeros of the fraction, and the point if nothing is left.
    static func stripZeros(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = Substring(s)
        while t.last == "0" { t.removeLast() }
        if t.last == "." { t.removeLast() }
        return String(t)
    }
}

/// A non-negative decimal `0.d1d2d3… × 10^pointPosition`, exact.
struct ExactDecimal: Equatable {
    /// Digits 0...9, no leading or trailing zeros; empty means zero.
    var digits: [UInt8]
    var pointPosition: Int

    init(digits: [UInt8], pointPosition: Int) {
        var d = digits[...]
        var pp = pointPosition
        while d.first == 0 { d.removeFirst(); pp -= 1 }
        while d.last == 0 { d.removeLast() }
        self.digits = Array(d)
        self.pointPosition = d.isEmpty ? 0 : pp
    }

    /// The exact value of |value| (finite).
    init(magnitudeOf value: Double) {
        let m = value.magnitude
        guard m != 0 else { self.init(digits: [], pointPosition: 0); return }
        var significand = m.significandBitPattern
        var exponent: Int
        if m.exponentBitPattern == 0 {
            exponent = -1074  // subnormal
        } else {
            significand |= 1 << 52
            exponent = Int(m.exponentBitPattern) - 1075
        }
        var n = BigUnsigned(significand)
        if exponent >= 0 {
            n.shiftLeft(exponent)
            let d = n.decimalDigits()
            self.init(digits: d, pointPosition: d.count)
        } else {
            // M × 2^-k = M × 5^k / 10^k
            n.multiply(byPowerOfFive: -exponent)
            let d = n.decimalDigits()
            self.init(digits: d, pointPosition: d.count + exponent)
        }
    }

    /// Rounds to the first `keep` digits (half to even). `keep` may be ≤ 0.
    func rounded(keeping keep: Int) -> ExactDecimal {
        if keep >= digits.count { return self }
        if keep < 0 { return ExactDecimal(digits: [], pointPosition: 0) }
        let next = digits[keep]
        let tail = digits.count > keep + 1
        let lastKeptOdd = keep > 0 && digits[keep - 1] % 2 == 1
        var kept = Array(digits[..<keep])
        let up = next > 5 || (next == 5 && (tail || lastKeptOdd))
        guard up else { return ExactDecimal(digits: kept, pointPosition: pointPosition) }
        var i = kept.count - 1
        while i >= 0 {
            if kept[i] == 9 {
                kept[i] = 0
                i -= 1
            } else {
                kept[i] += 1
                return ExactDecimal(digits: kept, pointPosition: pointPosition)
            }
        }
        // All nines (or nothing kept): carry into a new leading digit.
        return ExactDecimal(digits: [1], pointPosition: pointPosition + 1)
    }

    /// Positional form with exactly `decimals` fraction digits (no rounding:
    /// call `rounded` first). `pointPosition` overrides where the point goes,
    /// which `%e` uses to print one digit before it.
    func fixedString(decimals: Int, pointPosition override: Int? = nil) -> String {
        let pp = override ?? pointPosition
        func digit(_ index: Int) -> UInt8 { index >= 0 && index < digits.count ? digits[index] : 0 }
        var out: [UInt8] = []
        if pp <= 0 {
            out.append(UInt8(ascii: "0"))
        } else {
            for i in 0..<pp { out.append(UInt8(ascii: "0") + digit(i)) }
        }
        if decimals > 0 {
            out.append(UInt8(ascii: "."))
            for i in pp..<(pp + decimals) { out.append(UInt8(ascii: "0") + digit(i)) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Just enough arbitrary-precision arithmetic to expand a Double exactly:
/// little-endian 32-bit limbs.
struct BigUnsigned {
    var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        trim()
    }

    mutating func trim() {
        while limbs.last == 0 { limbs.removeLast() }
    }

    mutating func multiply(bySmall factor: UInt32) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let product = UInt64(limbs[i]) * UInt64(factor) + carry
            limbs[i] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
    }

    mutating func multiply(byPowerOfFive count: Int) {
        var remaining = count
        while remaining >= 13 {
            multiply(bySmall: 1_220_703_125)  // 5^13
            remaining -= 13
        }
        var factor: UInt32 = 1
        for _ in 0..<remaining { factor *= 5 }
        multiply(bySmall: factor)
    }

    mutating func shiftLeft(_ bits: Int) {
        let words = bits / 32
        let shift = UInt32(bits % 32)
        if shift != 0 {
            var carry: UInt32 = 0
            for i in limbs.indices {
                let v = limbs[i]
                limbs[i] = (v << shift) | carry
                carry = v >> (32 - shift)
            }
            if carry != 0 { limbs.append(carry) }
        }
        limbs.insert(contentsOf: repeatElement(0, count: words), at: 0)
    }

    /// Divides in place by `divisor`, returning the remainder.
    mutating func divide(bySmall divisor: UInt32) -> UInt32 {
        var remainder: UInt64 = 0
        for i in limbs.indices.reversed() {
            let current = (remainder << 32) | UInt64(limbs[i])
            limbs[i] = UInt32(current / UInt64(divisor))
            remainder = current % UInt64(divisor)
        }
        trim()
        return UInt32(remainder)
    }

    /// Decimal digits, most significant first; `[]` for zero.
    func decimalDigits() -> [UInt8] {
        var n = self
        var chunks: [UInt32] = []
        while !n.limbs.isEmpty { chunks.append(n.divide(bySmall: 1_000_000_000)) }
        var out: [UInt8] = []
        for (index, chunk) in chunks.reversed().enumerated() {
            var nine = [UInt8](repeating: 0, count: 9)
            var c = chunk
            for j in stride(from: 8, through: 0, by: -1) {
                nine[j] = UInt8(c % 10)
                c /= 10
            }
            if index == 0 {
                out.append(contentsOf: nine.drop(while: { $0 == 0 }))
            } else {
                out.append(contentsOf: nine)
            }
        }
        return out
    }
}
