import Testing
@testable import HMP

private let KiB: UInt64 = 1 << 10
private let MiB: UInt64 = 1 << 20
private let GiB: UInt64 = 1 << 30
private let TiB: UInt64 = 1 << 40
private let PiB: UInt64 = 1 << 50
private let EiB: UInt64 = 1 << 60

@Suite("SizeParser")
struct SizeParserTests {
    @Test(
        "qemu_strtosz (bytes default)",
        arguments: [
            ("0", 0 as UInt64, nil as Character?),
            ("12345", 12345, nil),
            ("08", 8, nil),  // never octal
            ("  42", 42, nil), ("+42", 42, nil),  // strtoull accepts blanks and +
            ("1B", 1, "B"), ("1b", 1, "b"),
            ("1K", KiB, "K"), ("1k", KiB, "k"), ("1M", MiB, "M"), ("1m", MiB, "m"),
            ("1G", GiB, "G"), ("1T", TiB, "T"), ("1P", PiB, "P"), ("1E", EiB, "E"), ("1e", EiB, "e"),
            ("15E", 15 * EiB, "E"),
            ("1.5G", GiB + GiB / 2, "G"),
            ("0.5E", EiB / 2, "E"),
            ("1.k", KiB, "k"),  // a dot without digits
            ("1.", 1, nil),
            ("1.0B", 1, "B"),  // a zero fraction is fine even for bytes
            (".5K", 512, "K"), (" .5K", 512, "K"), ("+.5K", 512, "K"),
            ("12.345M", 12_944_671, "M"),  // 12.345 MiB, rounded half up
            ("0.0009765625k", 1, "k"),  // 1/1024 KiB = exactly 1 byte
            ("0.00048828125k", 1, "k"),  // half a byte rounds up
            ("0.00048828124k", 0, "k"),
            ("0x10", 16, nil), ("0X1f", 31, nil), ("0xffffffffffffffff", .max, nil),
            ("18446744073709551615", .max, nil),
        ])
    func bytesDefault(text: String, bytes: UInt64, suffix: Character?) throws {
        let size = try SizeParser.parse(text)
        #expect(size.bytes == bytes)
        #expect(size.suffix == suffix)
        #expect(size.hasSuffix == (suffix != nil))
    }

    @Test(
        "qemu_strtosz_MiB (MiB default)",
        arguments: [
            ("10", 10 * MiB, false), ("0", 0, false), ("1.5", MiB + MiB / 2, false),
            ("0x10", 16 * MiB, false),  // hex still takes the default unit
            ("10G", 10 * GiB, true), ("512K", 512 * KiB, true), ("100B", 100, true),
        ])
    func mebibyteDefault(text: String, bytes: UInt64, suffixed: Bool) throws {
        let size = try SizeParser.parse(text, as: .mebibytes)
        #expect(size.bytes == bytes)
        #expect(size.hasSuffix == suffixed)
    }

    @Test(
        "qemu_strtosz_metric (1000 steps)",
        arguments: [
            ("1", 1 as UInt64), ("1K", 1000), ("1M", 1_000_000), ("1G", 1_000_000_000),
            ("1T", 1_000_000_000_000), ("1P", 1_000_000_000_000_000), ("1E", 1_000_000_000_000_000_000),
            ("1.5k", 1500), ("12.5M", 12_500_000),
        ])
    func metric(text: String, bytes: UInt64) throws {
        #expect(try SizeParser.parse(text, as: .metric).bytes == bytes)
    }

    @Test(
        "invalid",
        arguments: [
            "", " \t ", ".", " .", " .k", "k", "abc", "1KiB", "1KB", "1k ", " 1 x",
            "inf", "nan", "NaN", "infinity",
            "1.1B", "1.1",  // a fraction needs a unit above bytes
            "0x20M", "0x1.8k", "0x1.k", "0x1p3", "0x",  // hex: no fraction, no suffix
            "1e3", "1.5e1k", "1.5E+0k",  // e is exabytes, not an exponent
            "1,5G", "1 G", "--1", "-", "+-1",
            // Negative with a tail: QEMU's leftover check turns ERANGE into EINVAL.
            "-1k", "-1.5G", "-.5K", "-0.0k",
        ])
    func invalid(text: String) {
        #expect(throws: SizeError.invalid) { try SizeParser.parse(text) }
    }

    @Test(
        "out of range",
        arguments: [
            "-0", "-1", " -1", "-.5", "-.0",
            "18446744073709551616", "99999999999999999999999",
            "0x10000000000000000",
            "16E", "16384P", "17179869184G",
            "15.99999999999999999999E",  // the fraction rounds up to 16 EiB
        ])
    func overflow(text: String) {
        #expect(throws: SizeError.outOfRange) { try SizeParser.parse(text) }
    }

    @Test func biggestValues() throws {
        #expect(try SizeParser.parse("16383.999999999999P").bytes < UInt64.max)
        #expect(try SizeParser.parse("15.5E").bytes == 15 * EiB + EiB / 2)
        #expect(try SizeParser.parse("18446744073709551615B").bytes == .max)
        #expect(try SizeParser.parse("18014398509481983K").bytes == 18_014_398_509_481_983 * KiB)
        #expect(throws: SizeError.outOfRange) { try SizeParser.parse("18014398509481984K") }
        #expect(try SizeParser.parse("17592186044415M", as: .mebibytes).bytes == 17_592_186_044_415 * MiB)
    }

    @Test func errorText() {
        #expect(SizeError.invalid.description == "invalid size")
        #expect(SizeError.outOfRange.description == "invalid size")
    }

    /// The `o` argument: MiB default, ≤ INT64_MAX, the cursor stops after the suffix.
    @Test func sizeArgument() throws {
        var s = HMPScanner(" drive0 10G rest")
        _ = try s.readString()
        let size = try SizeParser.parseArgument(&s)
        #expect(size == ParsedSize(bytes: 10 * GiB, suffix: "G"))
        #expect(s.remainder == " rest")

        var bare = HMPScanner("10")
        #expect(try SizeParser.parseArgument(&bare).bytes == 10 * MiB)

        var tail = HMPScanner("10x")
        #expect(try SizeParser.parseArgument(&tail).bytes == 10 * MiB)
        #expect(tail.remainder == "x")  // the argument parser reports "extraneous characters"

        var huge = HMPScanner("8E")
        #expect(throws: SizeError.outOfRange) { try SizeParser.parseArgument(&huge) }
        #expect(huge.position == 0)
        var max = HMPScanner("8796093022207M")  // 2^63 - 2^20
        #expect(try SizeParser.parseArgument(&max).bytes == 8_796_093_022_207 * MiB)

        var bad = HMPScanner("  0x20M")
        #expect(throws: SizeError.invalid) { try SizeParser.parseArgument(&bad) }
        #expect(bad.position == 0)
        var none = HMPScanner("   ")
        #expect(throws: SizeError.invalid) { try SizeParser.parseArgument(&none) }
    }
}
