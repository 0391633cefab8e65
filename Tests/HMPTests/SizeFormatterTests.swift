import Testing
@testable import HMP

@Suite("Size and float formatting")
struct SizeFormatterTests {
    @Test(
        "size_to_str",
        arguments: [
            (0, "0 B"), (1, "1 B"), (999, "999 B"),
            (1000, "0.977 KiB"), (1023, "0.999 KiB"), (1024, "1 KiB"), (1536, "1.5 KiB"), (4096, "4 KiB"),
            (10_240, "10 KiB"), (102_400, "100 KiB"),
            (102_912, "100 KiB"),  // 100.5 exactly: half to even
            (103_936, "102 KiB"),  // 101.5 exactly: half to even
            (1_023_693, "1e+03 KiB"),  // 999.7 KiB: QEMU prints the exponent form too
            (1_048_576, "1 MiB"), (67_108_864, "64 MiB"), (1_073_741_824, "1 GiB"),
            (1_610_612_736, "1.5 GiB"), (1_099_511_627_776, "1 TiB"),
            (1 << 50, "1 PiB"), (1 << 60, "1 EiB"), (UInt64.max, "16 EiB"),
            (123_456_789, "118 MiB"), (1_000_000_000, "954 MiB"), (999_999_999_999, "931 GiB"),
        ] as [(UInt64, String)])
    func sizes(bytes: UInt64, text: String) {
        #expect(SizeFormatter.string(fromBytes: bytes) == text)
    }

    /// Expected strings produced by C's printf (glibc) for the same doubles.
    @Test(
        "%g and %f against glibc",
        arguments: [
            (100.5, 3, "100", "100.50"), (101.5, 3, "102", "101.50"), (2.675, 3, "2.67", "2.67"),
            (0.9765625, 3, "0.977", "0.98"), (999.7001953125, 3, "1e+03", "999.70"),
            (9.996, 3, "10", "10.00"), (0.0001, 3, "0.0001", "0.00"), (0.00001234, 3, "1.23e-05", "0.00"),
            (123456789, 3, "1.23e+08", "123456789.00"), (0.125, 3, "0.125", "0.12"), (0.375, 3, "0.375", "0.38"),
            (0, 3, "0", "0.00"), (-1.5, 3, "-1.5", "-1.50"), (-0.001, 3, "-0.001", "-0.00"),
            (Double.leastNonzeroMagnitude, 3, "4.94e-324", "0.00"), (1e100, 3, "1e+100", nil),
            (1.7976931348623157e308, 17, "1.7976931348623157e+308", nil),
            (0.1, 17, "0.10000000000000001", "0.10"), (1234567, 7, "1234567", "1234567.00"),
            (1234567, 6, "1.23457e+06", "1234567.00"), (0.5, 1, "0.5", "0.50"), (2.5, 1, "2", "2.50"),
            (3.5, 1, "4", "3.50"), (1e-5, 3, "1e-05", "0.00"), (12345.678, 3, "1.23e+04", "12345.68"),
        ] as [(Double, Int, String, String?)])
    func printfConversions(value: Double, precision: Int, g: String, f: String?) {
        #expect(CFloatFormat.general(value, precision: precision) == g)
        if let f { #expect(CFloatFormat.fixed(value, precision: 2) == f) }
    }

    @Test func fixedEdges() {
        #expect(CFloatFormat.fixed(0.5, precision: 0) == "0")
        #expect(CFloatFormat.fixed(1.5, precision: 0) == "2")
        #expect(CFloatFormat.fixed(2.5, precision: 0) == "2")
        #expect(CFloatFormat.fixed(0.045, precision: 2) == "0.04")  // 0.04499999…
        #expect(CFloatFormat.fixed(99.995, precision: 2) == "100.00")  // 99.99500000000000454…
        #expect(CFloatFormat.fixed(1e-10, precision: 3) == "0.000")
        #expect(CFloatFormat.fixed(.infinity, precision: 2) == "inf")
        #expect(CFloatFormat.fixed(-.infinity, precision: 2) == "-inf")
        #expect(CFloatFormat.general(.nan, precision: 3) == "nan")
        #expect(CFloatFormat.fixed(1e22, precision: 0) == "10000000000000000000000")
    }
}
