/// Cuts a byte stream into JSON messages the way QEMU's json-lexer and json-streamer do:
/// a message ends when its braces and brackets balance (or a scalar token stands alone), so
/// several messages may arrive in one read, one message over many reads, and no separator
/// is needed between them.
///
/// A lexical error (a byte no token may start or contain, a control character or impossible
/// byte in a string, a bad escape) gives one error, drops the message in progress and skips
/// input until a promising place to start again: a brace or bracket, an ASCII control
/// character other than tab, or the bytes 0xFE and 0xFF (QEMU's `IN_RECOVERY`).
public struct JSONStreamer {
    /// What the stream yields, in order.
    public enum Item: Sendable, Equatable {
        case value(JSONValue)
        case error(JSONParseError)
    }

    /// QEMU's limits per message (`MAX_TOKEN_COUNT`, `MAX_NESTING` in json-streamer.c).
    public static let maxTokenCount = 2 << 20
    public static let maxNesting = 1024

    private enum State {
        case start
        case recovery
        case string(quote: UInt8)
        case escape(quote: UInt8)
        /// Inside `\uXXXX`, with this many hex digits still to come.
        case hex(quote: UInt8, left: Int)
        case number
        case keyword
    }

    private var buffer: [UInt8] = []
    /// Next byte to look at.
    private var position = 0
    /// Where the current token began.
    private var tokenStart = 0
    /// Where the message in progress began (its first token), if one is in progress.
    private var messageStart: Int?
    private var state = State.start
    private var braces = 0
    private var brackets = 0
    private var tokens = 0

    public init() {}

    /// Bytes held for a message (or token) not yet complete: what a peer has sent that could
    /// not be acted on yet.
    public var pendingByteCount: Int { buffer.count - (messageStart ?? keepFrom) }

    /// True when bytes are buffered that have not been looked at yet.
    public var hasUnscannedInput: Bool { position < buffer.count }

    /// Adds bytes read from the peer.
    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message or error, or nil when more input is needed.
    public mutating func next() -> Item? {
        while position < buffer.count {
            let byte = buffer[position]
            switch state {
            case .start:
                if let item = start(byte) { return item }
            case .recovery:
                if byte == 0x7B || byte == 0x7D || byte == 0x5B || byte == 0x5D || (byte < 0x20 && byte != 0x09) || byte >= 0xFE {
                    state = .start  // looked at again from the start state
                } else {
                    position += 1
                }
            case .string(let quote):
                if byte == quote {
                    position += 1
                    state = .start
                    if let item = endToken() { return item }
                } else if byte == 0x5C {
                    position += 1
                    state = .escape(quote: quote)
                } else if byte < 0x20 || byte >= 0xFE {
                    return lexicalError()
                } else {
                    position += 1
                }
            case .escape(let quote):
                switch byte {
                case 0x22, 0x27, 0x5C, 0x2F, UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 1
                    state = .string(quote: quote)
                case UInt8(ascii: "u"):
                    position += 1
                    state = .hex(quote: quote, left: 4)
                default:
                    return lexicalError()
                }
            case .hex(let quote, let left):
                guard Self.isHexDigit(byte) else { return lexicalError() }
                position += 1
                state = left == 1 ? .string(quote: quote) : .hex(quote: quote, left: left - 1)
            case .number:
                if (byte >= 0x30 && byte <= 0x39) || byte == 0x2E || byte == 0x2B || byte == 0x2D || byte == 0x65 || byte == 0x45 {
                    position += 1
                } else {
                    state = .start  // the byte ending the number is looked at again
                    if let item = endToken() { return item }
                }
            case .keyword:
                if byte >= 0x61 && byte <= 0x7A {
                    position += 1
                } else {
                    state = .start
                    if let item = endToken() { return item }
                }
            }
        }
        return nil
    }

    /// One byte in the start state: whitespace, a one-byte token, or the first byte of a longer one.
    private mutating func start(_ byte: UInt8) -> Item? {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D:
            position += 1
            return nil
        case 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A:  // { } [ ] , :
            beginToken()
            position += 1
            switch byte {
            case 0x7B: braces += 1
            case 0x7D: braces -= 1
            case 0x5B: brackets += 1
            case 0x5D: brackets -= 1
            default: break
            }
            return endToken()
        case 0x22, 0x27:
            beginToken()
            position += 1
            state = .string(quote: byte)
        case 0x2D, 0x30...0x39:
            beginToken()
            position += 1
            state = .number
        case 0x61...0x7A:
            beginToken()
            position += 1
            state = .keyword
        default:
            tokenStart = position
            return lexicalError()
        }
        return nil
    }

    private mutating func beginToken() {
        tokenStart = position
        if messageStart == nil { messageStart = position }
    }

    /// A token is complete: the message ends when nothing is left open (json_message_process_token()).
    private mutating func endToken() -> Item? {
        tokens += 1
        if tokens > Self.maxTokenCount { return abandon("JSON token count limit exceeded") }
        if braces + brackets > Self.maxNesting { return abandon("JSON nesting depth limit exceeded") }
        if (braces > 0 || brackets > 0) && braces >= 0 && brackets >= 0 { return nil }
        let start = messageStart ?? tokenStart
        let bytes = Array(buffer[start..<position])
        resetMessage()
        if !Self.isValidUTF8(bytes) {
            return .error(JSONParseError(detail: "invalid UTF-8 sequence in string", offset: start))
        }
        do {
            return .value(try JSONParser.parse(bytes: bytes))
        } catch {
            return .error(error)
        }
    }

    /// The byte at `position` cannot be part of the token: report the token so far and resync.
    private mutating func lexicalError() -> Item {
        let text = String(decoding: buffer[tokenStart...position], as: UTF8.self)
        position += 1
        state = .recovery
        resetMessage()
        return .error(JSONParseError(detail: "stray '\(text)'", offset: tokenStart))
    }

    private mutating func abandon(_ detail: String) -> Item {
        let offset = messageStart ?? tokenStart
        resetMessage()
        return .error(JSONParseError(detail: detail, offset: offset))
    }

    private mutating func resetMessage() {
        messageStart = nil
        braces = 0
        brackets = 0
        tokens = 0
    }

    /// The first byte still needed when no message is in progress.
    private var keepFrom: Int {
        switch state {
        case .start, .recovery: position
        default: tokenStart
        }
    }

    /// Drops bytes no message needs any more, once they are a good share of the buffer.
    private mutating func compact() {
        let keep = messageStart ?? keepFrom
        guard keep > 0, keep >= 4096 || keep == buffer.count else { return }
        guard keep * 2 >= buffer.count || keep >= 1 << 20 else { return }
        if keep == buffer.count && buffer.capacity > 1 << 20 {
            buffer = []  // a big message has gone: give its memory back
        } else {
            buffer.removeSubrange(0..<keep)
        }
        position -= keep
        tokenStart = max(0, tokenStart - keep)
        if let start = messageStart { messageStart = start - keep }
    }

    static func isHexDigit(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46)
    }

    /// Bytes above 0x7F occur only inside strings (the lexer refuses them elsewhere); QEMU's
    /// parser refuses a string that is not UTF-8 (parse_string()).
    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var scalar: UInt32
            switch lead {
            case 0xC2...0xDF: length = 2; scalar = UInt32(lead & 0x1F)
            case 0xE0...0xEF: length = 3; scalar = UInt32(lead & 0x0F)
            case 0xF0...0xF4: length = 4; scalar = UInt32(lead & 0x07)
            default: return false
            }
            guard index + length <= count else { return false }
            for offset in 1..<length {
                let b = bytes[index + offset]
                guard b & 0xC0 == 0x80 else { return false }
                scalar = scalar << 6 | UInt32(b & 0x3F)
            }
            // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
            let smallest: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
            guard scalar >= smallest, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return false }
            index += length
        }
        return true
    }
}
