/// Rates in bytes per second as the table format reads them (`block_set_io_throttle`): the
/// sizes hmp prints, `10M`, `10MiB`, `10MiB/s`, `1.5G`, steps of 1024, no suffix meaning bytes
/// (`qemu_strtosz`). Plain numbers and expressions stay with QEMU's `l` reading.
enum RateParser {
    static let accepted = "give bytes per second, or a size with a unit such as 10M, 10MiB or 10MiB/s"

    /// Reads the next word as a rate when it carries a unit; nil (nothing consumed) when it is
    /// a number or expression for the integer reading.
    static func readSized(_ scanner: inout HMPScanner, typedName: String) throws(HMPError) -> Int64? {
        var copy = scanner
        copy.skipWhitespace()
        let start = copy.position
        var end = start
        while end < copy.bytes.count, !isHMPBlank(copy.bytes[end]) { end += 1 }
        let word = String(decoding: copy.bytes[start..<end], as: UTF8.self)
        guard let rate = try rate(word, typedName: typedName) else { return nil }
        copy.advance(to: end)
        scanner = copy
        return rate
    }

    /// `word` in bytes per second when it has a unit; nil when it has none (a number, `0x10`).
    static func rate(_ word: String, typedName: String) throws(HMPError) -> Int64? {
        let perSecond = word.hasSuffix("/s")
        let body = IECSizeText.asQEMU(word, perSecond: true)
        guard let first = body.first, first.isNumber || first == "." else {
            if perSecond { throw .usage("\(typedName): invalid rate '\(word)': \(accepted)", command: typedName) }
            return nil
        }
        let hex = body.hasPrefix("0x") || body.hasPrefix("0X")
        guard perSecond || (!hex && body.last?.isLetter == true) else { return nil }
        guard let size = try? SizeParser.parse(body, as: .bytes), size.bytes <= UInt64(Int64.max) else {
            throw .usage("\(typedName): invalid rate '\(word)': \(accepted)", command: typedName)
        }
        return Int64(size.bytes)
    }
}
