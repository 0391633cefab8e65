// Byte classes used by the HMP lexers.
//
// QEMU's monitor parses a C string with <ctype.h> in the "C" locale, so the
// rules are byte rules: whitespace is exactly the six ASCII space characters
// and every byte ≥ 0x80 is "not a space, not a digit, not graphic".
// Keeping the same classes keeps tokenisation identical for ASCII input and
// harmless (never splitting a UTF-8 sequence) for everything else.

@inline(__always)
func isCSpace(_ b: UInt8) -> Bool {
    b == 0x20 || (b >= 0x09 && b <= 0x0D)  // ' ' \t \n \v \f \r
}

@inline(__always)
func isCDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

@inline(__always)
func isCHexDigit(_ b: UInt8) -> Bool {
    isCDigit(b) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46)
}

/// `isgraph` in the C locale: printable and not a space.
@inline(__always)
func isCGraph(_ b: UInt8) -> Bool { b >= 0x21 && b <= 0x7E }

@inline(__always)
func hexValue(_ b: UInt8) -> UInt64 {
    switch b {
    case 0x30...0x39: UInt64(b - 0x30)
    case 0x61...0x66: UInt64(b - 0x61 + 10)
    default: UInt64(b - 0x41 + 10)
    }
}

@inline(__always)
func asciiLower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }

/// Decodes the Unicode scalar that starts at `index`, returning it and the
/// number of bytes it occupies. Malformed input yields U+FFFD for one byte, so
/// callers always make progress.
func decodeScalar(_ bytes: [UInt8], at index: Int) -> (scalar: Unicode.Scalar, length: Int) {
    let lead = bytes[index]
    if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
    let length: Int
    switch lead {
    case 0xC2...0xDF: length = 2
    case 0xE0...0xEF: length = 3
    case 0xF0...0xF4: length = 4
    default: return ("\u{FFFD}", 1)
    }
    guard index + length <= bytes.count else { return ("\u{FFFD}", 1) }
    var decoder = UTF8()
    var iterator = bytes[index..<(index + length)].makeIterator()
    if case .scalarValue(let scalar) = decoder.decode(&iterator) {
        return (scalar, length)
    }
    return ("\u{FFFD}", 1)
}
