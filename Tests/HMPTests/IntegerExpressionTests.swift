import Testing
@testable import HMP

@Suite("IntegerExpression")
struct IntegerExpressionTests {
    @Test(
        "values",
        arguments: [
            ("0", 0), ("42", 42), ("  7  ", 7),
            ("1+2*3", 7), ("(1+2)*3", 9), ("2*(3+4)*5", 70),
            ("10/3", 3), ("10%3", 1), ("-7/2", -3), ("-7%2", -1),
            ("-5", -5), ("+5", 5), ("--5", 5), ("~0", -1), ("-~0", 1), ("~~5", 5),
            ("6&3", 2), ("6|3", 7), ("6^3", 5),
            ("1|2&3", 3),  // & | ^ share one level, left to right
            ("2+3&1", 3),  // & binds tighter than +
            ("2*3|1", 7),  // * binds tighter than |
            ("0x10", 16), ("0X1f", 31), ("0xFFFFFFFF", 4_294_967_295),
            ("010", 8), ("0", 0), ("00", 0), ("0777", 511),
            ("'a'", 97), ("' '", 32), ("'''", 39), ("'é'", 0xE9), ("'a'+1", 98),
            ("18446744073709551615", -1),  // strtoull wraps into int64
            ("9223372036854775807+1", Int64.min),  // arithmetic wraps
            ("-9223372036854775808/-1", Int64.min),
            ("-9223372036854775808%-1", 0),
            ("10 - 1", 9), ("10-1", 9), ("10 -  1", 9), ("10- 1", 9),
            ("10 - -1", 11), ("10 --1", 11),
            ("( 10 -1 )", 9), ("(10 +1)", 11),  // no argument boundary inside ( )
            ("1 + 2 * 3", 7), (" ( 1 + 2 ) ", 3),
        ] as [(String, Int64)])
    func evaluates(text: String, value: Int64) throws {
        #expect(try IntegerExpression.evaluate(text) == value)
    }

    @Test(
        "errors",
        arguments: [
            ("", ExpressionError.unexpectedEnd),
            ("   ", .unexpectedEnd),
            ("1+", .unexpectedEnd),
            ("-", .unexpectedEnd),
            ("(1+2", .closingParenthesisExpected),
            ("(1+2]", .closingParenthesisExpected),
            ("()", .invalidCharacter(")")),
            ("abc", .invalidCharacter("a")),
            ("1+*2", .invalidCharacter("*")),
            ("é", .invalidCharacter("é")),
            ("99999999999999999999", .numberTooLarge),
            ("0x10000000000000000", .numberTooLarge),
            ("02000000000000000000000", .numberTooLarge),
            ("1/0", .divisionByZero),
            ("1%(2-2)", .divisionByZero),
            ("'", .characterConstantExpected),
            ("'ab'", .missingTerminatingQuote),
            ("'a", .missingTerminatingQuote),
            ("$pc", .unknownRegister),
            ("1+$eax", .unknownRegister),
            ("08", .extraneousCharacters),  // octal: reads 0, then 8 is left over
            ("1 2", .extraneousCharacters),
            ("5x", .extraneousCharacters),
            ("0x", .extraneousCharacters),  // strtoull reads the 0 and stops at x
        ])
    func fails(text: String, error: ExpressionError) {
        #expect(throws: error) { try IntegerExpression.evaluate(text) }
    }

    @Test func errorTexts() {
        #expect(ExpressionError.closingParenthesisExpected.description == "')' expected")
        #expect(ExpressionError.unexpectedEnd.description == "unexpected end of expression")
        #expect(ExpressionError.numberTooLarge.description == "number too large")
        #expect(ExpressionError.invalidCharacter("q").description == "invalid char 'q' in expression")
        #expect(ExpressionError.divisionByZero.description == "division by zero")
        #expect(ExpressionError.characterConstantExpected.description == "character constant expected")
        #expect(ExpressionError.missingTerminatingQuote.description == "missing terminating ' character")
        #expect(ExpressionError.unknownRegister.description == "unknown register")
        #expect(ExpressionError.integerIsFor32Bit.description == "integer is for 32-bit values")
        #expect(ExpressionError.negativeValue.description == "enter a positive value")
    }

    /// The fix for QEMU's trap: a signed number after blanks is the next argument.
    @Test(
        "argument boundary",
        arguments: [
            ("10 -1", 10, "-1"),
            ("10 +1", 10, "+1"),
            ("10\t-1 x", 10, "-1 x"),
            ("0x10 -0x1", 16, "-0x1"),
            ("(1+2) -3", 3, "-3"),
            ("5 tcp:x", 5, "tcp:x"),
            ("5 -x", 5, "-x"),  // a flag standing alone is the line parser's (calc_dirty_rate 2 -b)
            ("5 -- x", 5, "-- x"),
            ("5 -xy", 5, nil),  // -xy is not a flag: still an operator (→ error)
        ] as [(String, Int64, String?)])
    func boundary(line: String, value: Int64, rest: String?) throws {
        var s = HMPScanner(line)
        if let rest {
            #expect(try IntegerExpression.parse(&s) == value)
            #expect(s.remainder == rest)
        } else {
            #expect(throws: ExpressionError.invalidCharacter("x")) { try IntegerExpression.parse(&s) }
        }
    }

    @Test func twoNumericArguments() throws {
        var s = HMPScanner("set_vcpu_dirty_limit 10 -1")
        #expect(s.readCommandName() == "set_vcpu_dirty_limit")
        #expect(try IntegerExpression.parseInt64(&s) == 10)
        #expect(try IntegerExpression.parseInt64(&s) == -1)
        #expect(s.isAtEnd)
    }

    @Test func scannerUnchangedOnError() {
        var s = HMPScanner("  (1+")
        #expect(throws: ExpressionError.unexpectedEnd) { try IntegerExpression.parse(&s) }
        #expect(s.position == 0)
    }

    @Test(
        "i: 32-bit",
        arguments: [
            ("0", 0 as Int64?), ("4294967295", 4_294_967_295), ("0xffffffff", 0xFFFF_FFFF),
            ("4294967296", nil), ("-1", nil), ("0x100000000", nil),
        ])
    func int32(text: String, value: Int64?) throws {
        var s = HMPScanner(text)
        if let value {
            #expect(try IntegerExpression.parseInt32(&s) == UInt32(value))
        } else {
            #expect(throws: ExpressionError.integerIsFor32Bit) { try IntegerExpression.parseInt32(&s) }
            #expect(s.position == 0)
        }
    }

    @Test func int64() throws {
        var s = HMPScanner("-9223372036854775808")
        #expect(try IntegerExpression.parseInt64(&s) == Int64.min)
    }

    @Test(
        "M: mebibytes",
        arguments: [
            ("0", 0 as Int64?), ("1", 1 << 20), ("2*3", 6 << 20), ("0x10", 16 << 20),
            ("8796093022207", 8_796_093_022_207 << 20),
        ])
    func mebibytes(text: String, bytes: Int64?) throws {
        var s = HMPScanner(text)
        #expect(try IntegerExpression.parseMebibytes(&s) == bytes)
    }

    @Test func mebibytesErrors() {
        var s = HMPScanner("-1")
        #expect(throws: ExpressionError.negativeValue) { try IntegerExpression.parseMebibytes(&s) }
        var big = HMPScanner("8796093022208")  // 2^43 MiB = 2^63 bytes
        #expect(throws: ExpressionError.numberTooLarge) { try IntegerExpression.parseMebibytes(&big) }
    }

    @Test func deepNesting() throws {
        let ok = String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100)
        #expect(try IntegerExpression.evaluate(ok) == 1)
        let tooDeep = String(repeating: "-", count: 5000) + "1"
        #expect(throws: ExpressionError.tooDeeplyNested) { try IntegerExpression.evaluate(tooDeep) }
        let parens = String(repeating: "(", count: 5000) + "1"
        #expect(throws: ExpressionError.tooDeeplyNested) { try IntegerExpression.evaluate(parens) }
    }
}
