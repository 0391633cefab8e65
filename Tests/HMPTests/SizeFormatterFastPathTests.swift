import Testing

@testable import HMP

/// The integer fast path of SizeFormatter must give exactly what the general %g formatter gives.
@Suite struct SizeFormatterFastPathTests {
    @Test func takesTheFastPathForOrdinarySizes() {
        #expect(SizeFormatter.fastThreeDigits(1536, shift: 10) == "1.5")
        #expect(SizeFormatter.fastThreeDigits(1000, shift: 10) == "0.977")
        #expect(SizeFormatter.fastThreeDigits(1_288_490_188, shift: 30) == "1.2")
        #expect(SizeFormatter.fastThreeDigits(10_496, shift: 10) == "10.2")  // 10.25 ties to even
        #expect(SizeFormatter.fastThreeDigits(1_048_063, shift: 10) == nil)  // 1e+03: left to %g
    }

    @Test func agreesWithTheGeneralFormatter() {
        var state: UInt64 = 0x1234_5678
        var values: [UInt64] = [0, 1, 999, 1000, 1023, 1024, 1536, 4096, 10_240, 10_496, 1 << 20, 3 << 29, 20 << 30, 1_288_490_188]
        for _ in 0..<20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            values.append(state >> (state % 60))
        }
        for bytes in values {
            let scaled = Double(bytes) / (1000.0 / 1024.0)
            let index = scaled == 0 ? 0 : Int(scaled.exponent) / 10
            let general = CFloatFormat.general(Double(bytes) / Double(UInt64(1) << (10 * index)), precision: 3)
            if let fast = SizeFormatter.fastThreeDigits(bytes, shift: 10 * index) {
                #expect(fast == general, "\(bytes)")
            }
        }
    }
}
