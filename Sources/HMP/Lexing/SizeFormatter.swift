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
        let divisor = Double(UInt64(1) << (10 * index))
        let number = CFloatFormat.general(Double(bytes) / divisor, precision: 3)
        return number + " " + prefixes[index] + "B"
    }
}
