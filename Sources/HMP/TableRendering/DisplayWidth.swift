/// Terminal columns a text takes, as `wcwidth()` counts them in a UTF-8 locale, without
/// depending on the process's locale (batch runs never set one): East Asian wide and
/// fullwidth characters and emoji take two columns, combining marks and zero-width format
/// characters none, control characters two (line editors show them as `^X`). Tables, the
/// completion lists and the prompt are all measured with this.
public enum DisplayWidth {
    public static func of(_ text: String) -> Int {
        // Nearly everything printed is printable ASCII: one column a byte. Scanning the bytes
        // in place (not through the view's iterator) showed in batch profiles.
        let printableASCII =
            text.utf8.withContiguousStorageIfAvailable { isPrintableASCII(UnsafeRawBufferPointer($0)) }
            ?? text.utf8.allSatisfy { $0 < 0x7F && $0 >= 0x20 }
        if printableASCII { return text.utf8.count }
        var width = 0
        for character in text {
            // An emoji sequence (skin tone, ZWJ family, keycap, flag) is drawn as one glyph.
            let scalars = character.unicodeScalars
            if scalars.count > 1, scalars.contains(where: { $0.properties.isEmojiPresentation || $0.value == 0xFE0F }) {
                width += 2
                continue
            }
            for scalar in scalars { width += of(scalar) }
        }
        return width
    }

    /// True when every byte is in 0x20...0x7E, eight bytes at a time: a word holds a byte at
    /// or above 0x80, below 0x20, or equal to 0x7F exactly when the matching test below sets
    /// a high bit (the classic "has byte less than" and "has zero byte" word tricks).
    static func isPrintableASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var i = 0
        while i + 8 <= bytes.count {
            let x = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let del = x ^ (ones &* 0x7F)
            if (x | ((x &- ones &* 0x20) & ~x) | ((del &- ones) & ~del)) & highs != 0 { return false }
            i += 8
        }
        while i < bytes.count {
            let byte = bytes[i]
            if byte >= 0x7F || byte < 0x20 { return false }
            i += 1
        }
        return true
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return 2 }
        if v < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return 0
        case .format: return v == 0xAD ? 1 : 0
        default: break
        }
        if (0x1160...0x11FF).contains(v) { return 0 }  // Hangul jamo vowels and finals join the syllable
        if scalar.properties.isEmojiPresentation { return 2 }
        for range in wide where range.contains(v) { return 2 }
        return 1
    }

    /// Wide and fullwidth blocks (Unicode's East Asian Width W and F) beyond the emoji.
    private static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
        0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18AFF, 0x1B000...0x1B2FF, 0x1F200...0x1F2FF,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
