import Testing
import TestSupport
@testable import HMP

extension SeededGenerator {
    /// Values spread over every magnitude, not just huge ones.
    mutating func anyMagnitude() -> UInt64 {
        let bits = UInt64.random(in: 0...64, using: &self)
        return bits == 64 ? next() : next() & ((1 << bits) - 1)
    }
}

@Suite("Properties")
struct PropertyTests {
    @Test func sizesWithEverySuffixRoundTrip() throws {
        var rng = SeededGenerator(seed: 0x5EED_0001)
        let letters: [Character] = ["B", "K", "M", "G", "T", "P", "E"]
        for _ in 0..<1000 {
            let n = rng.anyMagnitude()
            for variant in [SizeParser.Variant.bytes, .mebibytes, .metric] {
                let unit: UInt64 = variant == .metric ? 1000 : 1024
                for (power, letter) in letters.enumerated() {
                    var multiplier: UInt64 = 1
                    for _ in 0..<power { multiplier *= unit }
                    let text = "\(n)\(Bool.random(using: &rng) ? letter : Character(letter.lowercased()))"
                    let (expected, overflow) = n.multipliedReportingOverflow(by: multiplier)
                    if overflow {
                        #expect(throws: SizeError.outOfRange) { try SizeParser.parse(text, as: variant) }
                    } else {
                        let size = try SizeParser.parse(text, as: variant)
                        #expect(size.bytes == expected, "\(text)")
                        #expect(size.hasSuffix)
                    }
                }
                // No suffix: the variant's default unit.
                let scale: UInt64 = variant == .mebibytes ? 1 << 20 : 1
                let (expected, overflow) = n.multipliedReportingOverflow(by: scale)
                if overflow {
                    #expect(throws: SizeError.outOfRange) { try SizeParser.parse("\(n)", as: variant) }
                } else {
                    let size = try SizeParser.parse("\(n)", as: variant)
                    #expect(size.bytes == expected && !size.hasSuffix)
                }
            }
        }
    }

    @Test func hexSizesRoundTrip() throws {
        var rng = SeededGenerator(seed: 0x5EED_0002)
        for _ in 0..<2000 {
            let n = rng.anyMagnitude()
            let hex = "0x" + String(n, radix: 16, uppercase: Bool.random(using: &rng))
            #expect(try SizeParser.parse(hex).bytes == n)
            #expect(throws: SizeError.invalid) { try SizeParser.parse(hex + "K") }
        }
    }

    /// Fractions are rounded through a double, as in QEMU, so compare with
    /// the exact decimal value within the double's precision.
    @Test func fractionalSizesAreClose() throws {
        var rng = SeededGenerator(seed: 0x5EED_0003)
        let letters: [Character] = ["K", "M", "G", "T", "P", "E"]
        for _ in 0..<3000 {
            let power = Int.random(in: 1...6, using: &rng)
            let whole = UInt64.random(in: 0...(power == 6 ? 15 : 1000), using: &rng)
            let digits = Int.random(in: 1...6, using: &rng)
            var denominator: UInt64 = 1
            for _ in 0..<digits { denominator *= 10 }
            let numerator = UInt64.random(in: 0..<denominator, using: &rng)
            var fraction = String(numerator)
            fraction = String(repeating: "0", count: digits - fraction.count) + fraction
            let text = "\(whole).\(fraction)\(letters[power - 1])"
            let multiplier = UInt64(1) << (10 * power)
            // exact = whole*m + numerator*m/denominator
            let (q, r) = denominator.dividingFullWidth(multiplier.multipliedFullWidth(by: numerator))
            let exact = whole * multiplier + q + (2 * r >= denominator ? 1 : 0)
            let parsed = try SizeParser.parse(text).bytes
            let tolerance = max(UInt64(1), multiplier >> 50)
            let difference = parsed > exact ? parsed - exact : exact - parsed
            #expect(difference <= tolerance, "\(text): \(parsed) vs \(exact)")
        }
    }

    indirect enum Expr {
        case number(Int64, text: String)
        case unary(UInt8, Expr)
        case binary(UInt8, Expr, Expr)

        /// 3: unary/atom, 2: * / %, 1: & | ^, 0: + -
        var precedence: Int {
            switch self {
            case .number, .unary: 3
            case .binary(let op, _, _):
                switch op {
                case UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "%"): 2
                case UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "^"): 1
                default: 0
                }
            }
        }

        struct DivisionByZero: Error {}

        func value() throws(DivisionByZero) -> Int64 {
            switch self {
            case .number(let v, _): return v
            case .unary(let op, let e):
                let v = try e.value()
                switch op {
                case UInt8(ascii: "-"): return 0 &- v
                case UInt8(ascii: "~"): return ~v
                default: return v
                }
            case .binary(let op, let l, let r):
                let a = try l.value(), b = try r.value()
                switch op {
                case UInt8(ascii: "+"): return a &+ b
                case UInt8(ascii: "-"): return a &- b
                case UInt8(ascii: "*"): return a &* b
                case UInt8(ascii: "&"): return a & b
                case UInt8(ascii: "|"): return a | b
                case UInt8(ascii: "^"): return a ^ b
                default:
                    if b == 0 { throw DivisionByZero() }
                    return op == UInt8(ascii: "/")
                        ? a.dividedReportingOverflow(by: b).partialValue
                        : a.remainderReportingOverflow(dividingBy: b).partialValue
                }
            }
        }

        func render(_ rng: inout SeededGenerator) -> String {
            func pad() -> String { ["", " ", "  ", "\t"][Int.random(in: 0...3, using: &rng)] }
            switch self {
            case .number(_, let text):
                return text
            case .unary(let op, let e):
                let inner = e.precedence < 3 ? "(" + pad() + e.render(&rng) + pad() + ")" : e.render(&rng)
                return String(UnicodeScalar(op)) + pad() + inner
            case .binary(let op, let l, let r):
                var left = l.render(&rng)
                if l.precedence < precedence { left = "(" + left + ")" }
                var right = r.render(&rng)
                if r.precedence <= precedence { right = "(" + right + ")" }
                let symbol = String(UnicodeScalar(op))
                // Never " -5": that would (rightly) start a new argument.
                let spaced = [symbol, " " + symbol + " ", symbol + " ", " " + symbol + "\t"]
                let pick = spaced[Int.random(in: 0..<spaced.count, using: &rng)]
                return left + pick + right
            }
        }
    }

    static func randomExpr(_ rng: inout SeededGenerator, depth: Int) -> Expr {
        if depth == 0 || Int.random(in: 0..<4, using: &rng) == 0 {
            switch Int.random(in: 0..<5, using: &rng) {
            case 0:
                let v = UInt64.random(in: 0...255, using: &rng)
                return .number(Int64(v), text: "0x" + String(v, radix: 16))
            case 1:
                let v = UInt64.random(in: 1...511, using: &rng)
                return .number(Int64(v), text: "0" + String(v, radix: 8))
            case 2:
                let c = UInt8.random(in: UInt8(ascii: "a")...UInt8(ascii: "z"), using: &rng)
                return .number(Int64(c), text: "'" + String(UnicodeScalar(c)) + "'")
            case 3:
                let v = rng.next()
                return .number(Int64(bitPattern: v), text: String(v))
            default:
                let v = UInt64.random(in: 0...1000, using: &rng)
                return .number(Int64(v), text: String(v))
            }
        }
        if Int.random(in: 0..<4, using: &rng) == 0 {
            let ops = "-~+".utf8.map { $0 }
            return .unary(ops[Int.random(in: 0..<3, using: &rng)], randomExpr(&rng, depth: depth - 1))
        }
        let ops = "+-*/%&|^".utf8.map { $0 }
        return .binary(
            ops[Int.random(in: 0..<ops.count, using: &rng)],
            randomExpr(&rng, depth: depth - 1), randomExpr(&rng, depth: depth - 1))
    }

    @Test func expressionsMatchReference() throws {
        var rng = SeededGenerator(seed: 0x5EED_0004)
        var divisions = 0
        for _ in 0..<5000 {
            let expr = Self.randomExpr(&rng, depth: 5)
            let text = expr.render(&rng)
            do {
                let expected = try expr.value()
                #expect(try IntegerExpression.evaluate(text) == expected, "\(text)")
            } catch {
                divisions += 1
                #expect(throws: ExpressionError.divisionByZero, "\(text)") { try IntegerExpression.evaluate(text) }
            }
        }
        #expect(divisions > 0)
    }

    /// An expression followed by a signed number: two values, never one.
    @Test func signedSecondArgumentIsSeparate() throws {
        var rng = SeededGenerator(seed: 0x5EED_0005)
        for _ in 0..<2000 {
            let first = Self.randomExpr(&rng, depth: 3)
            guard let a = try? first.value() else { continue }
            let b = Int64.random(in: -1_000_000...1_000_000, using: &rng)
            let second = b < 0 ? "\(b)" : "+\(b)"
            var s = HMPScanner(first.render(&rng) + " " + second)
            #expect(try IntegerExpression.parse(&s) == a)
            #expect(try IntegerExpression.parse(&s) == b)
            #expect(s.isAtEnd)
        }
    }

    /// No input may crash a lexer or stall the scanner.
    @Test func lexersSurviveRandomBytes() {
        var rng = SeededGenerator(seed: 0x5EED_0006)
        let alphabet: [UInt8] =
            Array(" \t\"\\'-+~*/%&|^()0123456789xXabcdefkKmMgGeE.$,onf".utf8) + [0x00, 0xC3, 0xA9, 0xFF, 0xE6, 0x97, 0xA5, 0x80]
        var misbehaved: [[UInt8]] = []
        for _ in 0..<3000 {
            let length = Int.random(in: 0...24, using: &rng)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                bytes.append(
                    Bool.random(using: &rng)
                        ? alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
                        : UInt8.random(in: 0...255, using: &rng))
            }
            var s = HMPScanner(bytes: bytes)
            var steps = 0
            while !s.isBlankToEnd && steps <= bytes.count {
                let before = s.position
                switch Int.random(in: 0..<8, using: &rng) {
                case 0: _ = try? s.readString()
                case 1: _ = try? IntegerExpression.parse(&s)
                case 2: _ = try? SizeParser.parseArgument(&s)
                case 3: _ = try? FloatParser.parse(&s)
                case 4: _ = try? BoolParser.parseOnOff(&s)
                case 5: s.consumeFlag(); _ = s.peekFlag()
                case 6: _ = try? DurationParser.parse(&s)
                default: _ = s.readCommandName()
                }
                if s.position < before || s.position > bytes.count { misbehaved.append(bytes) }
                if s.position == before { s.advance(to: before + 1) }  // skip what nobody accepts
                steps += 1
            }
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? SizeParser.parse(text)
            _ = try? IntegerExpression.evaluate(text)
            _ = try? DurationParser.parse(text)
            var rest = HMPScanner(bytes: bytes)
            _ = rest.readRest()
        }
        #expect(misbehaved.isEmpty)
    }

    @Test func generalFormatRoundTripsAtSeventeenDigits() {
        var rng = SeededGenerator(seed: 0x5EED_0007)
        for i in 0..<1500 {
            // Mostly everyday magnitudes; every tenth value anywhere in range.
            let value =
                i % 10 == 0
                ? Double(bitPattern: rng.next())
                : Double(
                    sign: .plus, exponent: Int.random(in: -40...70, using: &rng),
                    significand: Double.random(in: 1..<2, using: &rng))
            guard value.isFinite else { continue }
            let text = CFloatFormat.general(value, precision: 17)
            #expect(Double(text) == value, "\(text)")
        }
    }

    @Test func sizeStringsAreCloseAndShort() throws {
        var rng = SeededGenerator(seed: 0x5EED_0008)
        let units: [String: Double] = [
            "B": 1, "KiB": 0x1p10, "MiB": 0x1p20, "GiB": 0x1p30,
            "TiB": 0x1p40, "PiB": 0x1p50, "EiB": 0x1p60,
        ]
        for _ in 0..<2000 {
            let n = rng.anyMagnitude()
            let text = SizeFormatter.string(fromBytes: n)
            let parts = text.split(separator: " ")
            #expect(parts.count == 2)
            let number = try #require(Double(parts[0]))
            let unit = try #require(units[String(parts[1])])
            let shown = number * unit
            #expect(abs(shown - Double(n)) <= Double(n) * 0.005 + 0.5, "\(n) → \(text)")
            #expect(parts[0].count <= 5 || parts[0] == "1e+03")
        }
    }
}
