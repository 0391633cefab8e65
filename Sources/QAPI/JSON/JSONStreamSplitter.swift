/// Cuts a byte stream (a QMP socket) into complete top-level JSON values as bytes arrive,
/// the way QEMU's json-streamer does: it counts braces and brackets outside strings and hands
/// each finished value to `JSONParser`. Bytes of a value not yet complete are kept for the
/// next `append`. Whitespace between values is skipped.
public struct JSONStreamSplitter {
    private var buffer: [UInt8] = []
    /// Where scanning resumes in `buffer`, and the scanner's state there.
    private var scanned = 0
    private var depth = 0
    private var inString = false
    private var quote: UInt8 = 0
    private var escaped = false
    private var started = false

    public init() {}

    /// Bytes waiting for the rest of their value.
    public var pendingByteCount: Int { buffer.count }

    /// Adds bytes; answers the values they completed, in order, each parsed or with its error.
    public mutating func append(_ bytes: some Sequence<UInt8>) -> [Result<JSONValue, JSONParseError>] {
        buffer.append(contentsOf: bytes)
        var values: [Result<JSONValue, JSONParseError>] = []
        var start = 0
        var index = scanned
        while index < buffer.count {
            let byte = buffer[index]
            index += 1
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == quote {
                    inString = false
                }
                continue
            }
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D:
                if !started { start = index }
                if started && depth == 0 { finish(&values, start, index - 1, &start) }
                continue
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                inString = true
                quote = byte
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            default:
                break
            }
            started = true
            // A value ends when its outermost bracket closes (or, for a scalar, at whitespace).
            if depth <= 0 && (byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || depth < 0) {
                finish(&values, start, index, &start)
            }
        }
        buffer.removeFirst(start)
        scanned = buffer.count
        return values
    }

    private mutating func finish(_ values: inout [Result<JSONValue, JSONParseError>], _ from: Int, _ to: Int, _ start: inout Int) {
        let slice = Array(buffer[from..<to])
        do {
            values.append(.success(try JSONParser.parse(bytes: slice)))
        } catch {
            values.append(.failure(error))
        }
        depth = 0
        started = false
        start = to
    }
}
