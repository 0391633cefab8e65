/// Human-readable sizes, byte-for-byte like QEMU's `size_to_str`.
///
/// The value is scaled by 1024 and printed as `%0.3g <prefix>B`. The unit
/// steps up once the scaled number would reach 1000, not 1024, so QEMU never
/// prints four integer digits: 1000 → `0.977 KiB`, 1023 → `0.999 KiB`.
/// Values just under a step can still round to `1e+03 KiB` (999.7 KiB); that
/// is what QEMU prints too.
public enum SizeFormatter {
    static let prefixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]

    public static func string(fromBytes bytes: UInt64) -> String {
        // QEMU: frexp(val / (1000.0 / 1024.0), &i); i = (i - 1) / 10;
        // frexp's exponent is Swift's `exponent` + 1.
        let scaled = Double(bytes) / (1000.0 / 1024.0)
        let index = scaled == 0 ? 0 : Int(scaled.exponent) / 10
        let number =
            fastThreeDigits(bytes, shift: 10 * index)
            ?? CFloatFormat.general(Double(bytes) / Double(UInt64(1) << (10 * index)), precision: 3)
        return number + " " + prefixes[index] + "B"
    }

    /// `%0.3g` of bytes / 2^shift with integer arithmetic: the same digits printf gives (the
    /// quotient is exact in a double below 2^53, and ties round to even on the exact value),
    /// without the general formatter's big-number work. Nil for the cases it leaves to that
    /// formatter: huge values and those that round up to 1000 (printed with an exponent).
    static func fastThreeDigits(_ bytes: UInt64, shift: Int) -> String? {
        guard bytes < (1 << 53) else { return nil }
        if bytes == 0 { return "0" }
        let unit = UInt64(1) << shift
        let whole = bytes >> shift
        // Decimal places needed for three significant digits.
        let places = whole >= 100 ? 0 : whole >= 10 ? 1 : whole >= 1 ? 2 : 3
        let scale: UInt64 = [1, 10, 100, 1000][places]
        let product = bytes.multipliedFullWidth(by: scale)
        let (quotient, remainder) = unit.dividingFullWidth(product)
        var digits = quotient
        let twice = remainder.multipliedReportingOverflow(by: 2)
        if twice.overflow || twice.partialValue > unit || (twice.partialValue == unit && digits & 1 == 1) { digits += 1 }
        if places == 3 && digits < 100 { return nil }  // below 0.1: not a case size_to_str produces
        guard digits < 1000 else { return nil }
        // Digits as bytes: at most "0.xyz" or "xyz".
        var bytes: [UInt8] = []
        bytes.reserveCapacity(5)
        let d = [UInt8(digits / 100), UInt8(digits / 10 % 10), UInt8(digits % 10)]
        if places == 3 {
            bytes = [UInt8(ascii: "0"), UInt8(ascii: ".")] + d.map { $0 + UInt8(ascii: "0") }
        } else {
            var started = false
            for (i, digit) in d.enumerated() {
                if i == 3 - places { bytes.append(UInt8(ascii: ".")) }
                // No leading zeros before the point (digits >= 100 when places < 3).
                if digit != 0 || started || i >= 3 - places { started = true }
                if started { bytes.append(digit + UInt8(ascii: "0")) }
            }
        }
        if places > 0 {
            while bytes.last == UInt8(ascii: "0") { bytes.removeLast() }
            if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
