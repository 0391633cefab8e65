import Testing
import TestSupport
@testable import HMP

/// The parser, the completer, the splitter and the quoting of shell words share one set of
/// word rules; these check that they agree.
@Suite("HMP word rules")
struct WordRuleTests {
    static let alphabet: [String] = ["a", "b", " ", "\t", "\"", "\\", ";", "#", "n", "'", "{", "é", "中", "\n", "\r", "-"]

    static func randomWord(_ rng: inout SeededGenerator) -> String {
        (0..<Int.random(in: 0...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
    }

    @Test func aQuotedWordReadsBackAsItself() throws {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<3000 {
            let word = Self.randomWord(&rng)
            let written = HMPWords.quoted(word)
            // Left alone on purpose: JSON values and words already in quotes.
            if written == word, let first = word.first,
                first == "{" || first == "[" || (first == "\"" && word.count >= 2 && word.last == "\"")
            {
                continue
            }
            var scanner = HMPScanner(written + " next")
            #expect(try scanner.readString() == word, "\(word.debugDescription) written as \(written.debugDescription)")
            #expect(try scanner.readString() == "next")
            // The completer reads the same word, and the splitter keeps it in one command.
            #expect(HMPCompleter.words(Array((written + " x").utf8)).map(\.text) == [word, "x"])
            #expect(CommandSplitter.split("cmd " + written + "; x") == ["cmd " + written, " x"])
        }
    }

    @Test func theSplitterAndTheCompleterFindTheSameLastCommand() {
        var rng = SeededGenerator(seed: 12)
        for _ in 0..<3000 {
            let line = (0..<Int.random(in: 0...4, using: &rng)).map { _ in Self.randomWord(&rng) }.joined(separator: " ")
                .replacingOccurrences(of: "#", with: "x").replacingOccurrences(of: "\n", with: " ")
            let last = CommandSplitter.split(line, separators: [";"]).last ?? ""
            let bytes = Array(line.utf8)
            let start = CommandSplitter.lastCommandStart(bytes)
            #expect(String(decoding: bytes[start...], as: UTF8.self) == last, "\(line.debugDescription)")
        }
    }

    @Test func quotesOpenOnlyAtTheStartOfAWord() {
        // The parser reads a"b;c" as a word a"b followed by ;c": the splitter cuts there too.
        #expect(CommandSplitter.split("x a\"b;c\"") == ["x a\"b", "c\""])
        #expect(CommandSplitter.split("x \"b;c\"") == ["x \"b;c\""])
        #expect(CommandSplitter.split("x \"a\"#b") == ["x \"a\"#b"])
    }

    @Test func oneDefinitionOfABlank() {
        for byte in UInt8(0)...UInt8(255) {
            #expect(isHMPBlank(byte) == [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D].contains(byte))
        }
        #expect(HMPWords.isBlank(" \t\r\u{0B}"))
        #expect(!HMPWords.isBlank(" x"))
    }
}
