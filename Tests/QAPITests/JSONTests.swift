import SeededRandom
import Testing

@testable import QAPI

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let v = try JSONParser.parse(#"{"a": [1, -2, 3.5, true, false, null, "s\n\u00e9\ud83d\ude00"], "b": {}}"#)
        #expect(v == .object(["a": [1, -2, 3.5, true, false, nil, "s\né😀"], "b": .object(JSONObject())]))
    }

    @Test func keepsIntegersExact() throws {
        #expect(try JSONParser.parse("9223372036854775807") == .int(Int64.max))
        #expect(try JSONParser.parse("-9223372036854775808") == .int(Int64.min))
        #expect(try JSONParser.parse("18446744073709551615") == .uint(UInt64.max))
        #expect(try JSONParser.parse("18446744073709551616") == .double(18446744073709551616))
        #expect(try JSONParser.parse("1e3") == .double(1000))
    }

    @Test func acceptsSingleQuotesAsQEMUDoes() throws {
        #expect(try JSONParser.parse(#"{'execute': 'it\'s'}"#) == .object(["execute": "it's"]))
    }

    @Test(arguments: [
        ("", "JSON parse error, expecting value"),
        ("{", "JSON parse error, expecting value"),
        ("{\"a\" 1}", "JSON parse error, missing : in object pair"),
        ("{\"a\": 1 \"b\": 2}", "JSON parse error, expected separator in dict"),
        ("[1 2]", "JSON parse error, expected separator in list"),
        ("{\"a\": 1, \"a\": 2}", "JSON parse error, duplicate key"),
        ("{1: 2}", "JSON parse error, key is not a string in object"),
        ("{]", "JSON parse error, expecting value"),
        ("nul", "JSON parse error, invalid keyword 'nul'"),
        ("truex", "JSON parse error, invalid keyword 'truex'"),
        ("01", "JSON parse error, stray '01'"),
        ("1 2", "JSON parse error, stray '2'"),
        ("@", "JSON parse error, stray '@'"),
        ("\"abc", "JSON parse error, missing terminating \" in string"),
        ("\"\\q\"", "JSON parse error, invalid escape sequence in string"),
        ("\"\\u12\"", "JSON parse error, invalid hex escape sequence in string"),
        ("\"\\udc00\"", "JSON parse error, invalid escape sequence in string"),
    ])
    func reportsSyntaxErrors(text: String, expected: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
        do {
            _ = try JSONParser.parse(text)
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 2000) + String(repeating: "]", count: 2000)
        #expect(throws: JSONParseError(detail: "nesting depth limit exceeded", offset: JSONParser.maxDepth)) { try JSONParser.parse(deep) }
    }

    @Test func neverCrashesOnRandomBytes() {
        var rng = SeededGenerator(seed: 7)
        let alphabet = Array("{}[]:,\"'\\ntrufals0123456789.-eE \u{0}é".utf8)
        for _ in 0..<5000 {
            let bytes = (0..<Int(rng.next() % 40)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            _ = try? JSONParser.parse(bytes: bytes)
        }
    }
}

@Suite struct JSONWriterTests {
    @Test func writesQMPStyle() {
        let v: JSONValue = ["return": ["status": "active", "list": [1, 2], "empty": .object(JSONObject()), "none": [], "x": 1.5]]
        #expect(v.description == #"{"return": {"status": "active", "list": [1, 2], "empty": {}, "none": [], "x": 1.5}}"#)
    }

    @Test func escapes() {
        #expect(JSONValue.string("a\"b\\c\n\u{1}é").description == #""a\"b\\c\n\u0001é""#)
        // QEMU writes \u escapes with upper-case digits (to_json()).
        #expect(JSONWriter(asciiOnly: true).string(.string("é😀")) == #""\u00E9\uD83D\uDE00""#)
    }

    @Test func pretty() {
        let v: JSONValue = ["a": [1], "b": "c"]
        #expect(JSONWriter(style: .pretty).string(v) == "{\n    \"a\": [\n        1\n    ],\n    \"b\": \"c\"\n}")
    }

    @Test func roundTripsRandomValues() throws {
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<2000 {
            let value = randomJSON(&rng, depth: 0)
            for writer in [JSONWriter(), JSONWriter(style: .pretty), JSONWriter(asciiOnly: true)] {
                #expect(try JSONParser.parse(writer.string(value)) == value)
            }
        }
    }
}

func randomString(_ rng: inout SeededGenerator) -> String {
    let pieces = ["a", "Z", "-", " ", "\"", "\\", "\n", "é", "😀", "\u{7}", "0", "tcp:127.0.0.1:4444"]
    return (0..<rng.below(6)).map { _ in pieces[rng.below(pieces.count)] }.joined()
}

func randomJSON(_ rng: inout SeededGenerator, depth: Int) -> JSONValue {
    switch rng.below(depth > 3 ? 6 : 8) {
    case 0: return .null
    case 1: return .bool(rng.bool())
    case 2: return .int(Int64(bitPattern: rng.next()))
    case 3: return .uint(UInt64(Int64.max) + 1 + rng.next() % UInt64(Int64.max))
    case 4: return .double(Double(Int64(bitPattern: rng.next()) % 1_000_000) / 64.0 + 0.5)
    case 5: return .string(randomString(&rng))
    case 6: return .array((0..<rng.below(4)).map { _ in randomJSON(&rng, depth: depth + 1) })
    default:
        var o = JSONObject()
        for i in 0..<rng.below(4) { o.append("k\(i)-\(randomString(&rng))", randomJSON(&rng, depth: depth + 1)) }
        return .object(o)
    }
}
