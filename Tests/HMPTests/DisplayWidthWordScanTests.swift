import Testing

@testable import HMP

/// The eight-bytes-at-a-time printable-ASCII test must agree with the byte-by-byte rule at
/// every position of a word and for every byte value.
@Suite struct DisplayWidthWordScanTests {
    static func plain(_ bytes: [UInt8]) -> Bool { bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }

    @Test func everyByteValueAtEveryPosition() {
        var disagreements: [String] = []
        for length in [1, 7, 8, 9, 15, 16, 17, 24] {
            for position in 0..<length {
                for value in 0...255 {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[position] = UInt8(value)
                    let scanned = bytes.withUnsafeBytes { DisplayWidth.isPrintableASCII($0) }
                    if scanned != Self.plain(bytes) { disagreements.append("length \(length), byte \(value) at \(position)") }
                }
            }
        }
        #expect(disagreements.isEmpty)
    }

    @Test func widthsOfMixedText() {
        #expect(DisplayWidth.of("") == 0)
        #expect(DisplayWidth.of("downtime-limit") == 14)
        #expect(DisplayWidth.of("/var/lib/hmp/images/vm0-system.qcow2") == 36)
        #expect(DisplayWidth.of("日本語のファイル名.qcow2") == 24)
        #expect(DisplayWidth.of("tab\there") == 9)
        #expect(DisplayWidth.of("del\u{7F}xxxxxxxxxx") == 15)
    }
}
