import Testing
@testable import HMP

@Suite("HMPScanner")
struct ScannerTests {
    @Test(
        "string tokens",
        arguments: [
            ("abc", "abc", ""),
            ("  abc def", "abc", " def"),
            ("a'b'c rest", "a'b'c", " rest"),  // single quotes are plain text
            ("\t-n x", "-n", " x"),  // a dash is just text here
            ("\"hello world\" x", "hello world", " x"),
            ("\"a\\nb\\rc\"", "a\nb\rc", ""),
            ("\"q\\\"q\\'q\\\\q\"", "q\"q'q\\q", ""),
            ("\"\"", "", ""),
            ("\"ab\"cd", "ab", "cd"),  // the closing quote ends the token
            ("wörld 日本", "wörld", " 日本"),
        ])
    func readString(line: String, token: String, rest: String) throws {
        var s = HMPScanner(line)
        #expect(try s.readString() == token)
        #expect(s.remainder == rest)
    }

    @Test(
        "string errors",
        arguments: [
            ("", HMPScanError.missingToken),
            ("   \t", .missingToken),
            ("\"abc", .unterminatedString),
            ("\"abc\\", .unterminatedString),
            ("\"a\\tb\"", .unsupportedEscape("t")),
            ("\"a\\xb\"", .unsupportedEscape("x")),
            ("\"a\\éb\"", .unsupportedEscape("é")),
        ])
    func readStringErrors(line: String, error: HMPScanError) {
        var s = HMPScanner(line)
        #expect(throws: error) { try s.readString() }
        #expect(s.position == 0)  // nothing consumed
    }

    @Test func errorTexts() {
        #expect(HMPScanError.unsupportedEscape("t").description == "unsupported escape code: '\\t'")
        #expect(HMPScanError.unterminatedString.description == "unterminated string")
        #expect(HMPScanError.missingToken.description == "string expected")
    }

    @Test func longTokensAreNotTruncated() throws {
        let long = String(repeating: "x", count: 5000)
        var s = HMPScanner("\(long) y")
        #expect(try s.readString() == long)
        var q = HMPScanner("\"\(long)\"")
        #expect(try q.readString() == long)
    }

    @Test func restOfLine() {
        var s = HMPScanner("  \"x\"  y\\n  ")
        #expect(s.readRest() == "\"x\"  y\\n  ")  // raw: quotes and escapes kept
        #expect(s.isAtEnd)
        var empty = HMPScanner("   ")
        #expect(empty.readRest() == nil)
        #expect(empty.position == 0)
    }

    @Test func commandName() {
        var s = HMPScanner("  x/10x addr")
        #expect(s.readCommandName() == "x")
        #expect(s.remainder == "/10x addr")
        var t = HMPScanner("info migrate")
        #expect(t.readCommandName() == "info")
        #expect(t.readCommandName() == "migrate")
        #expect(t.readCommandName() == nil)
    }

    @Test func flags() throws {
        var s = HMPScanner("  -d -r tcp:host:4444")
        #expect(s.peekFlag() == "d")
        s.consumeFlag()
        #expect(s.peekFlag() == "r")
        s.consumeFlag()
        #expect(s.peekFlag() == nil)
        #expect(try s.readString() == "tcp:host:4444")

        var merged = HMPScanner("-dr x")
        #expect(merged.peekFlag() == "d")
        merged.consumeFlag()
        #expect(merged.remainder == "r x")  // only one letter is taken

        let lone = HMPScanner(" - x")
        #expect(lone.peekFlag() == " ")
        var dashAtEnd = HMPScanner("-")
        #expect(dashAtEnd.peekFlag() == nil)
        dashAtEnd.consumeFlag()
        #expect(dashAtEnd.position == 0)
    }

    @Test func endChecks() {
        var s = HMPScanner("a  ")
        #expect(!s.isBlankToEnd)
        _ = try? s.readString()
        #expect(s.isBlankToEnd)
        #expect(!s.isAtEnd)
        s.skipWhitespace()
        #expect(s.isAtEnd)
        #expect(s.current == nil)
    }
}
