import Testing
@testable import HMP

@Suite("Bool, float and duration parsers")
struct ScalarParserTests {
    @Test func onOff() throws {
        var s = HMPScanner("  on rest")
        #expect(try BoolParser.parseOnOff(&s) == true)
        #expect(s.remainder == " rest")
        var t = HMPScanner("off")
        #expect(try BoolParser.parseOnOff(&t) == false)
        #expect(try BoolParser.parseOnOff("on"))
        #expect(try !BoolParser.parseOnOff("off"))
    }

    @Test("on/off errors", arguments: ["", "  ", "On", "ON", "yes", "true", "1", "onx", "of", "offf", "on,"])
    func onOffErrors(text: String) {
        var s = HMPScanner(text)
        #expect(throws: BoolError.expectedOnOff) { try BoolParser.parseOnOff(&s) }
        #expect(s.position == 0)
        #expect(throws: BoolError.expectedOnOff) { try BoolParser.parseOnOff(text) }
        #expect(BoolError.expectedOnOff.description == "Expected 'on' or 'off'")
    }

    @Test(
        "lenient bools",
        arguments: [
            ("on", true), ("yes", true), ("true", true), ("y", true),
            ("off", false), ("no", false), ("false", false), ("n", false),
        ])
    func lenient(text: String, value: Bool) throws {
        #expect(try BoolParser.parseLenient(text, parameter: "direct-io") == value)
    }

    @Test("lenient errors", arguments: ["", "On", "YES", "1", "0", "yes ", "t", "enable"])
    func lenientErrors(text: String) {
        let error = BoolError.parameterExpectsOnOff(parameter: "cpu-throttle-tailslow")
        #expect(throws: error) { try BoolParser.parseLenient(text, parameter: "cpu-throttle-tailslow") }
        #expect(error.description == "Parameter 'cpu-throttle-tailslow' expects 'on' or 'off'")
    }

    @Test(
        "T values",
        arguments: [
            ("1", 1.0), ("1.5", 1.5), (" 2.5", 2.5), ("-3", -3), ("+.5", 0.5), ("1.", 1),
            ("1e3", 1000), ("1E-3", 0.001),
            ("100ms", 0.1), ("250us", 0.00025), ("2ns", 2e-9), ("1e3ms", 1),
            ("0x10", 16), ("0x1p4", 16), ("0x.8", 0.5), ("1.5 next", 1.5),
        ])
    func floats(text: String, value: Double) throws {
        var s = HMPScanner(text)
        #expect(try FloatParser.parse(&s) == value)
    }

    @Test(
        "T errors",
        arguments: [
            ("", FloatError.numberExpected), ("  ", .numberExpected), ("abc", .numberExpected),
            (".", .numberExpected), ("-", .numberExpected), ("e5", .numberExpected),
            ("inf", .badNumber), ("-infinity", .badNumber), ("nan", .badNumber), ("NAN(123)", .badNumber),
            ("1e999", .badNumber),
            ("1s", .unknownUnitSuffix), ("1x", .unknownUnitSuffix), ("1xs", .unknownUnitSuffix),
            ("5msec", .unknownUnitSuffix),
            ("1e", .unknownUnitSuffix), ("1e+", .unknownUnitSuffix), ("0x", .unknownUnitSuffix), ("1,5", .unknownUnitSuffix),
            ("0x1g", .unknownUnitSuffix),
        ])
    func floatErrors(text: String, error: FloatError) {
        var s = HMPScanner(text)
        #expect(throws: error) { try FloatParser.parse(&s) }
        #expect(s.position == 0)
    }

    @Test func floatTexts() throws {
        #expect(FloatError.numberExpected.description == "Number expected")
        #expect(FloatError.badNumber.description == "Bad number")
        #expect(FloatError.unknownUnitSuffix.description == "Unknown unit suffix")
        #expect(try FloatParser.parse(" 10ms  ") == 0.01)
        #expect(throws: FloatError.unknownUnitSuffix) { try FloatParser.parse("10ms x") }
    }

    @Test(
        "durations",
        arguments: [
            ("500ms", 500_000_000 as UInt64), ("2s", 2_000_000_000), ("1m", 60_000_000_000),
            ("1.5s", 1_500_000_000), ("250us", 250_000), ("250µs", 250_000), ("10ns", 10),
            ("1h", 3_600_000_000_000), ("3", 3_000_000_000), ("0.1", 100_000_000), (".5s", 500_000_000),
            ("0", 0), (" 2s ", 2_000_000_000), ("1.", 1_000_000_000),
            ("0.0000000005s", 1), ("0.0000000004s", 0), ("1.0000000015", 1_000_000_002),
            ("0.333333333333333333333333m", 20_000_000_000),
            ("8760h", 31_536_000_000_000_000), ("31536000000000000ns", 31_536_000_000_000_000),
        ])
    func durations(text: String, nanoseconds: UInt64) throws {
        #expect(try DurationParser.parse(text) == nanoseconds)
    }

    @Test(
        "duration errors",
        arguments: [
            "", " ", "s", "ms", "-1s", "+1s", "1 s", "1sec", "1S", "1e3", "1.5.3s", ".s", "1,5s", "abc", "1d",
        ])
    func durationErrors(text: String) {
        #expect(throws: DurationError.invalid(text)) { try DurationParser.parse(text) }
    }

    @Test func durationOverflowAndText() throws {
        #expect(throws: DurationError.tooLarge("18446744074s")) { try DurationParser.parse("18446744074s") }
        // Within UInt64 but beyond a year: refused before the model's clock sees it.
        for text in ["18446744073709551615ns", "18446744073s", "8760.000001h", "31536000000000001ns"] {
            #expect(throws: DurationError.tooLarge(text)) { try DurationParser.parse(text) }
        }
        #expect(throws: DurationError.tooLarge("18446744073709551616ns")) {
            try DurationParser.parse("18446744073709551616ns")
        }
        let text = DurationError.invalid("5x").description
        #expect(text.hasPrefix("invalid duration '5x'"))
        for form in ["ns", "us", "ms", "s", "m", "h", "500ms", "bare number means seconds"] {
            #expect(text.contains(form))
        }
        var s = HMPScanner("  1.5s next")
        #expect(try DurationParser.parse(&s) == 1_500_000_000)
        #expect(s.remainder == " next")
    }
}
