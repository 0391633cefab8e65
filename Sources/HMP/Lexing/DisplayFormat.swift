/// The `/fmt` argument of `print` (QEMU's args_type `/`, read in monitor_parse_arguments()):
/// a slash, an optional count, then letters for the format (`o d u x i c`) and the unit size
/// (`b h w g L`). The format and size given become the defaults for later lines.
public struct DisplayFormat: Sendable, Equatable {
    /// `o`, `d`, `u`, `x`, `i` or `c`; nil when only a count or size was given.
    public var format: Character?
    /// The repeat count (QEMU's `x` uses it; `print` ignores it).
    public var count: Int
    /// 1, 2, 4 or 8 bytes; nil when not given.
    public var size: Int?

    public enum Error: Swift.Error, Equatable, Sendable, CustomStringConvertible {
        case invalidCharacter(Unicode.Scalar)
        case countTooLarge

        public var description: String {
            switch self {
            // QEMU's text.
            case .invalidCharacter(let c): "invalid char in format: '\(c)'"
            case .countTooLarge: "count in format too large"
            }
        }
    }

    /// Reads `/fmt` at the cursor (after blanks); nil, with nothing read, when no `/` is there.
    public static func parse(_ scanner: inout HMPScanner) throws(Error) -> DisplayFormat? {
        var copy = scanner
        copy.skipWhitespace()
        guard copy.current == UInt8(ascii: "/") else { return nil }
        let bytes = copy.bytes
        var i = copy.position + 1
        var result = DisplayFormat(format: nil, count: 1, size: nil)
        if i < bytes.count, isDigit(bytes[i]) {
            var count = 0
            while i < bytes.count, isDigit(bytes[i]) {
                let (times, o1) = count.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(Int(bytes[i] - UInt8(ascii: "0")))
                guard !o1, !o2, sum <= Int(Int32.max) else { throw .countTooLarge }
                count = sum
                i += 1
            }
            result.count = count
        }
        letters: while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "o"), UInt8(ascii: "d"), UInt8(ascii: "u"), UInt8(ascii: "x"), UInt8(ascii: "i"), UInt8(ascii: "c"):
                result.format = Character(Unicode.Scalar(bytes[i]))
            case UInt8(ascii: "b"): result.size = 1
            case UInt8(ascii: "h"): result.size = 2
            case UInt8(ascii: "w"): result.size = 4
            case UInt8(ascii: "g"), UInt8(ascii: "L"): result.size = 8
            default: break letters
            }
            i += 1
        }
        if i < bytes.count, !isCSpace(bytes[i]) {
            throw .invalidCharacter(decodeScalar(bytes, at: i).scalar)
        }
        copy.advance(to: i)
        scanner = copy
        return result
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
}
