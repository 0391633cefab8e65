/// A JSON syntax error, worded the way QEMU's QMP parser words it.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var detail: String
    /// Byte offset where the parser stopped.
    public var offset: Int

    public var description: String { "JSON parse error, \(detail)" }
}

/// Parses QMP's JSON dialect: RFC 8259 plus single-quoted strings (a QEMU extension, handy
/// when typing JSON inside a double-quoted shell string). Duplicate keys are refused, as QEMU does.
public struct JSONParser {
    /// QEMU's limits on nesting and on the size of one token.
    public static let maxDepth = 1024
    public static let maxTokenSize = 64 << 20

    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { buffer -> Result<JSONValue, JSONParseError> in
            var parser = Cursor(bytes: buffer)
            do throws(JSONParseError) { return .success(try parser.parseDocument()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    public static func parse(bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBufferPointer { buffer -> Result<JSONValue, JSONParseError> in
            var parser = Cursor(bytes: buffer)
            do throws(JSONParseError) { return .success(try parser.parseDocument()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var depth = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        func fail(_ detail: String) -> JSONParseError { JSONParseError(detail: detail, offset: index) }

        mutating func parseDocument() throws(JSONParseError) -> JSONValue {
            skipWhitespace()
            if index >= bytes.count { throw fail("expecting value") }
            let value = try parseValue()
            skipWhitespace()
            if index < bytes.count { throw fail("stray '\(tokenText(at: index))'") }
            return value
        }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        func tokenText(at position: Int) -> String {
            var end = position
            while end < bytes.count, end - position < 32 {
                let b = bytes[end]
                if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == UInt8(ascii: ",") || b == UInt8(ascii: "}")
                    || b == UInt8(ascii: "]") || b == UInt8(ascii: ":"), end > position
                {
                    break
                }
                end += 1
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<end]), as: UTF8.self)
        }

        mutating func parseValue() throws(JSONParseError) -> JSONValue {
            skipWhitespace()
            guard index < bytes.count else { throw fail("expecting value") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try parseObject()
            case UInt8(ascii: "["): return try parseArray()
            case UInt8(ascii: "\""), UInt8(ascii: "'"): return .string(try parseString())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
            case UInt8(ascii: "t"):
                try expectKeyword("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try expectKeyword("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try expectKeyword("null")
                return .null
            default:
                throw fail("stray '\(tokenText(at: index))'")
            }
        }

        mutating func expectKeyword(_ word: StaticString) throws(JSONParseError) {
            let length = word.utf8CodeUnitCount
            guard index + length <= bytes.count else { throw fail("invalid keyword '\(tokenText(at: index))'") }
            let ok = word.withUTF8Buffer { w in
                for i in 0..<length where bytes[index + i] != w[i] { return false }
                return true
            }
            // A keyword must end at a delimiter: "nullx" is not null.
            if !ok || (index + length < bytes.count && Self.isIdentifierByte(bytes[index + length])) {
                throw fail("invalid keyword '\(tokenText(at: index))'")
            }
            index += length
        }

        static func startsValue(_ b: UInt8) -> Bool {
            switch b {
            case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                true
            default: false
            }
        }

        static func isIdentifierByte(_ b: UInt8) -> Bool {
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_")
        }

        mutating func enter() throws(JSONParseError) {
            depth += 1
            if depth > JSONParser.maxDepth { throw fail("nesting depth limit exceeded") }
        }

        mutating func parseObject() throws(JSONParseError) -> JSONValue {
            try enter()
            defer { depth -= 1 }
            index += 1
            var object = JSONObject()
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(object)
            }
            while true {
                skipWhitespace()
                guard index < bytes.count else { throw fail("expecting value") }
                guard bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                    // QEMU parses the key as a value first (parse_pair()), so `{]` is "expecting value".
                    throw fail(Self.startsValue(bytes[index]) ? "key is not a string in object" : "expecting value")
                }
                let key = try parseString()
                if object.contains(key) { throw fail("duplicate key") }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("missing : in object pair") }
                index += 1
                let value = try parseValue()
                object.append(key, value)
                skipWhitespace()
                guard index < bytes.count else { throw fail("expecting value") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return .object(object)
                }
                throw fail("expected separator in dict")
            }
        }

        mutating func parseArray() throws(JSONParseError) -> JSONValue {
            try enter()
            defer { depth -= 1 }
            index += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                elements.append(try parseValue())
                skipWhitespace()
                guard index < bytes.count else { throw fail("expecting value") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array(elements)
                }
                throw fail("expected separator in list")
            }
        }

        mutating func parseString() throws(JSONParseError) -> String {
            let quote = bytes[index]
            index += 1
            let start = index
            // Fast path: no escapes.
            while index < bytes.count {
                let b = bytes[index]
                if b == quote {
                    let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return s
                }
                if b == UInt8(ascii: "\\") { break }
                if b < 0x20 { throw fail("control character in string") }
                index += 1
            }
            var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<index]))
            while index < bytes.count {
                let b = bytes[index]
                if b == quote {
                    index += 1
                    if out.count > JSONParser.maxTokenSize { throw fail("token size limit exceeded") }
                    return String(decoding: out, as: UTF8.self)
                }
                if b < 0x20 { throw fail("control character in string") }
                if b != UInt8(ascii: "\\") {
                    out.append(b)
                    index += 1
                    continue
                }
                index += 1
                guard index < bytes.count else { break }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "'"): out.append(0x27)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if scalar >= 0xD800 && scalar < 0xDC00 {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                        else { throw fail("invalid escape sequence in string") }
                        index += 2
                        let low = try parseHex4()
                        guard low >= 0xDC00 && low < 0xE000 else { throw fail("invalid escape sequence in string") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if scalar >= 0xDC00 && scalar < 0xE000 {
                        throw fail("invalid escape sequence in string")
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw fail("invalid escape sequence in string") }
                    out.append(contentsOf: Array(String(Character(unicode)).utf8))
                default:
                    throw fail("invalid escape sequence in string")
                }
            }
            throw fail("missing terminating \(quote == UInt8(ascii: "'") ? "'" : "\"") in string")
        }

        mutating func parseHex4() throws(JSONParseError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw fail("invalid hex escape sequence in string") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[index]
                let digit: UInt32
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
                default: throw fail("invalid hex escape sequence in string")
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }

        mutating func parseNumber() throws(JSONParseError) -> JSONValue {
            let start = index
            var negative = false
            if bytes[index] == UInt8(ascii: "-") {
                negative = true
                index += 1
            }
            let digitsStart = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            if index == digitsStart { throw fail("stray '\(tokenText(at: start))'") }
            if index - digitsStart > 1, bytes[digitsStart] == UInt8(ascii: "0") { throw fail("stray '\(tokenText(at: start))'") }
            var isFloat = false
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                isFloat = true
                index += 1
                let fracStart = index
                while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
                if index == fracStart { throw fail("stray '\(tokenText(at: start))'") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                isFloat = true
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                let expStart = index
                while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
                if index == expStart { throw fail("stray '\(tokenText(at: start))'") }
            }
            if index < bytes.count, Self.isIdentifierByte(bytes[index]) { throw fail("stray '\(tokenText(at: start))'") }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            if !isFloat {
                if let i = Int64(text) { return .int(i) }
                if !negative, let u = UInt64(text) { return .uint(u) }
                // Too large for any integer type: QEMU falls back to a double as well.
            }
            guard let d = Double(text) else { throw fail("invalid number '\(text)'") }
            return .double(d)
        }
    }
}
