/// Errors of the HMP integer calculator. `description` is QEMU's text where
/// QEMU has one.
public enum ExpressionError: Error, Equatable, Sendable, CustomStringConvertible {
    case closingParenthesisExpected
    case unexpectedEnd
    case numberTooLarge
    case invalidCharacter(Unicode.Scalar)
    case divisionByZero
    case characterConstantExpected
    case missingTerminatingQuote
    /// `$name` (a CPU register in QEMU); this console has no registers.
    case unknownRegister
    /// Our own guard against pathological input such as 10 000 `(`.
    case tooDeeplyNested
    /// `evaluate(_:)` only: something other than whitespace follows.
    case extraneousCharacters
    /// `i` arguments: bits 32..63 are not all zero (negatives included). The
    /// argument parser prefixes `'<cmd>' has failed: `.
    case integerIsFor32Bit
    /// `M` arguments: the value is negative.
    case negativeValue

    public var description: String {
        switch self {
        case .closingParenthesisExpected: "')' expected"
        case .unexpectedEnd: "unexpected end of expression"
        case .numberTooLarge: "number too large"
        case .invalidCharacter(let c): "invalid char '\(c)' in expression"
        case .divisionByZero: "division by zero"
        case .characterConstantExpected: "character constant expected"
        case .missingTerminatingQuote: "missing terminating ' character"
        case .unknownRegister: "unknown register"
        case .tooDeeplyNested: "expression too deeply nested"
        case .extraneousCharacters: "extraneous characters at the end of expression"
        case .integerIsFor32Bit: "integer is for 32-bit values"
        case .negativeValue: "enter a positive value"
        }
    }
}

/// The HMP argument letters that take an integer expression.
public enum IntegerArgumentKind: Sendable {
    /// `i`: must fit in 32 bits (0 ... 0xFFFF_FFFF; negatives are rejected).
    case int32
    /// `l`: any 64-bit value.
    case int64
    /// `M`: must be ≥ 0; the result is the value × 2^20.
    case mebibytes
}

/// The small calculator behind HMP's numeric arguments.
///
/// Grammar and precedence follow QEMU (highest first): unary `+ - ~`, then
/// `* / %`, then `& | ^`, then binary `+ -`; parentheses; `'c'` character
/// constants; numbers read like `strtoull(..., 0)` (`0x` hex, a leading `0`
/// means octal). Arithmetic is 64-bit two's complement and wraps.
///
/// One deliberate difference: QEMU lets an expression run on into the next
/// argument, so `set_vcpu_dirty_limit 10 -1` became the single value 9. Here,
/// at the top level, whitespace followed by a `+` or `-` that is glued to a
/// digit ends the expression, leaving `-1` for the next argument. `10 - 1`
/// and `10-1` are still 9, and inside parentheses nothing changes.
public enum IntegerExpression {
    /// Reads one expression from the scanner, leaving the cursor after it
    /// (and after any whitespace that follows it, as QEMU does). On error the
    /// scanner is left unchanged.
    public static func parse(_ scanner: inout HMPScanner) throws(ExpressionError) -> Int64 {
        var parser = Parser(bytes: scanner.bytes, position: scanner.position)
        parser.skipSpace()
        let value = try parser.sum()
        scanner.advance(to: parser.position)
        return value
    }

    /// Evaluates a whole string; only whitespace may follow the expression.
    public static func evaluate(_ text: some StringProtocol) throws(ExpressionError) -> Int64 {
        var scanner = HMPScanner(text)
        let value = try parse(&scanner)
        guard scanner.isBlankToEnd else { throw .extraneousCharacters }
        return value
    }

    /// Reads an `i`, `l` or `M` argument and applies that letter's check.
    public static func parseArgument(
        _ scanner: inout HMPScanner, kind: IntegerArgumentKind
    ) throws(ExpressionError) -> Int64 {
        var copy = scanner
        let value = try parse(&copy)
        let checked = try check(value, kind: kind)
        scanner = copy
        return checked
    }

    /// The per-letter check on an already evaluated value.
    public static func check(_ value: Int64, kind: IntegerArgumentKind) throws(ExpressionError) -> Int64 {
        switch kind {
        case .int64:
            return value
        case .int32:
            // QEMU tests `(val >> 32) & 0xffffffff`, which also rejects
            // every negative number.
            guard UInt64(bitPattern: value) <= 0xFFFF_FFFF else { throw .integerIsFor32Bit }
            return value
        case .mebibytes:
            guard value >= 0 else { throw .negativeValue }
            // QEMU lets this multiplication wrap; we refuse instead.
            let (bytes, overflow) = value.multipliedReportingOverflow(by: 1 << 20)
            guard !overflow else { throw .numberTooLarge }
            return bytes
        }
    }

    /// `i`: a 32-bit value.
    public static func parseInt32(_ scanner: inout HMPScanner) throws(ExpressionError) -> UInt32 {
        UInt32(truncatingIfNeeded: try parseArgument(&scanner, kind: .int32))
    }

    /// `l`: a 64-bit value.
    public static func parseInt64(_ scanner: inout HMPScanner) throws(ExpressionError) -> Int64 {
        try parseArgument(&scanner, kind: .int64)
    }

    /// `M`: a non-negative count of MiB, returned in bytes.
    public static func parseMebibytes(_ scanner: inout HMPScanner) throws(ExpressionError) -> Int64 {
        try parseArgument(&scanner, kind: .mebibytes)
    }

    /// Recursive descent over the bytes; `position` always rests on the next
    /// unread, non-blank byte (QEMU's `next()` skips blanks after each token).
    struct Parser {
        let bytes: [UInt8]
        var position: Int
        /// Parenthesis depth: the "next argument" rule applies only at 0.
        var depth = 0
        /// Recursion guard.
        var nesting = 0
        static let maxNesting = 256

        var current: UInt8 { position < bytes.count ? bytes[position] : 0 }

        mutating func skipSpace() {
            while position < bytes.count, isCSpace(bytes[position]) { position += 1 }
        }

        /// QEMU's `next()`: step over the current byte, then over blanks.
        mutating func next() {
            if position < bytes.count {
                position += 1
                skipSpace()
            }
        }

        mutating func sum() throws(ExpressionError) -> Int64 {
            var value = try logic()
            while true {
                let op = current
                guard op == UInt8(ascii: "+") || op == UInt8(ascii: "-") else { break }
                if startsNextArgument() { break }
                next()
                let rhs = try logic()
                value = op == UInt8(ascii: "+") ? value &+ rhs : value &- rhs
            }
            return value
        }

        /// True for ` -1` / ` +1` at the top level: a blank before the sign
        /// and a digit right after it mean the sign belongs to a new argument.
        /// So does a flag standing alone after the number (` -b`, ` --`), which
        /// the line parser accepts anywhere: `calc_dirty_rate 2 -b`; and a flag by its
        /// name (` --interval`), which no expression could go on with: `watch --count 3 --interval 1`.
        func startsNextArgument() -> Bool {
            guard depth == 0, position > 0, isCSpace(bytes[position - 1]), position + 1 < bytes.count else { return false }
            let after = bytes[position + 1]
            if isCDigit(after) { return true }
            func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") }
            guard bytes[position] == UInt8(ascii: "-") else { return false }
            let standsAlone = position + 2 >= bytes.count || isCSpace(bytes[position + 2])
            if standsAlone { return isLetter(after) || after == UInt8(ascii: "-") }
            return after == UInt8(ascii: "-") && isLetter(bytes[position + 2])
        }

        mutating func logic() throws(ExpressionError) -> Int64 {
            var value = try product()
            while true {
                let op = current
                guard op == UInt8(ascii: "&") || op == UInt8(ascii: "|") || op == UInt8(ascii: "^")
                else { break }
                next()
                let rhs = try product()
                switch op {
                case UInt8(ascii: "&"): value &= rhs
                case UInt8(ascii: "|"): value |= rhs
                default: value ^= rhs
                }
            }
            return value
        }

        mutating func product() throws(ExpressionError) -> Int64 {
            var value = try unary()
            while true {
                let op = current
                guard op == UInt8(ascii: "*") || op == UInt8(ascii: "/") || op == UInt8(ascii: "%")
                else { break }
                next()
                let rhs = try unary()
                switch op {
                case UInt8(ascii: "*"):
                    value = value &* rhs
                default:
                    guard rhs != 0 else { throw .divisionByZero }
                    // Int64.min / -1 wraps instead of trapping.
                    value =
                        op == UInt8(ascii: "/")
                        ? value.dividedReportingOverflow(by: rhs).partialValue
                        : value.remainderReportingOverflow(dividingBy: rhs).partialValue
                }
            }
            return value
        }

        mutating func unary() throws(ExpressionError) -> Int64 {
            nesting += 1
            defer { nesting -= 1 }
            guard nesting <= Self.maxNesting else { throw .tooDeeplyNested }

            switch current {
            case UInt8(ascii: "+"):
                next()
                return try unary()
            case UInt8(ascii: "-"):
                next()
                return 0 &- (try unary())
            case UInt8(ascii: "~"):
                next()
                return ~(try unary())
            case UInt8(ascii: "("):
                next()
                depth += 1
                let value = try sum()
                depth -= 1
                guard current == UInt8(ascii: ")") else { throw .closingParenthesisExpected }
                next()
                return value
            case UInt8(ascii: "'"):
                // No blank skipping inside the quotes: `' '` is a space.
                position += 1
                guard position < bytes.count else { throw .characterConstantExpected }
                let (scalar, length) = decodeScalar(bytes, at: position)
                position += length
                guard current == UInt8(ascii: "'") else { throw .missingTerminatingQuote }
                next()
                return Int64(scalar.value)
            case UInt8(ascii: "$"):
                throw .unknownRegister
            case 0 where position >= bytes.count:
                throw .unexpectedEnd
            default:
                return try number()
            }
        }

        /// `strtoull(p, &end, 0)` without the sign and blank handling, which
        /// `unary()` has already done.
        mutating func number() throws(ExpressionError) -> Int64 {
            var i = position
            var base: UInt64 = 10
            if bytes[i] == UInt8(ascii: "0") {
                if i + 2 < bytes.count, asciiLower(bytes[i + 1]) == UInt8(ascii: "x"),
                    isCHexDigit(bytes[i + 2])
                {
                    base = 16
                    i += 2
                } else {
                    base = 8  // the leading 0 is itself an octal digit
                }
            }
            let start = i
            var value: UInt64 = 0
            var overflow = false
            while i < bytes.count, let digit = Self.digitValue(bytes[i], base: base) {
                let (shifted, o1) = value.multipliedReportingOverflow(by: base)
                let (sum, o2) = shifted.addingReportingOverflow(digit)
                overflow = overflow || o1 || o2
                value = sum
                i += 1
            }
            // strtoull reads every digit first, then reports ERANGE.
            if overflow { throw .numberTooLarge }
            guard i > start else {
                throw .invalidCharacter(decodeScalar(bytes, at: position).scalar)
            }
            position = i
            skipSpace()
            return Int64(bitPattern: value)
        }

        static func digitValue(_ b: UInt8, base: UInt64) -> UInt64? {
            switch base {
            case 16: isCHexDigit(b) ? hexValue(b) : nil
            case 8: (b >= 0x30 && b <= 0x37) ? UInt64(b - 0x30) : nil
            default: isCDigit(b) ? UInt64(b - 0x30) : nil
            }
        }
    }
}
