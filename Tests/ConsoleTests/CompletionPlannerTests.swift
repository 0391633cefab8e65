import Testing
@testable import Console

@Suite("Completion policy")
struct CompletionPlannerTests {
    @Test(
        "plan",
        arguments: [
            ("", [], CompletionAction.beep),
            ("xyz", [], .beep),
            ("qu", ["quit"], .replace(with: "quit ")),
            ("quit", ["quit"], .replace(with: "quit ")),
            ("qu", ["quit", "quit"], .replace(with: "quit ")),  // duplicates collapse
            ("tc", ["tcp:"], .replace(with: "tcp:")),  // URIs continue: no space
            ("/tm", ["/tmp/"], .replace(with: "/tmp/")),  // directories continue
            ("driver", ["driver="], .replace(with: "driver=")),
            ("he", ["hello", "help"], .replace(with: "hel")),  // longer common prefix
            ("hel", ["hello", "help"], .list(["hello", "help"])),  // no progress: list
            ("st", ["stop", "start", "status"], .list(["start", "status", "stop"])),
            ("", ["b", "a"], .list(["a", "b"])),
            ("i", ["info", "info-x"], .replace(with: "info")),
            ("info", ["info", "info-x"], .list(["info", "info-x"])),
            ("FO", ["foo1", "foo2"], .replace(with: "foo")),  // candidates may fix case
            ("ü", ["ünïcode"], .replace(with: "ünïcode ")),
            ("日", ["日本語", "日本"], .replace(with: "日本")),
        ] as [(String, [String], CompletionAction)])
    func plan(word: String, candidates: [String], action: CompletionAction) {
        #expect(CompletionPlanner.plan(word: word, candidates: candidates) == action)
    }

    @Test func commonPrefix() {
        #expect(CompletionPlanner.commonPrefix([]) == "")
        #expect(CompletionPlanner.commonPrefix(["abc"]) == "abc")
        #expect(CompletionPlanner.commonPrefix(["migrate", "migrate_cancel", "migrate_incoming"]) == "migrate")
        #expect(CompletionPlanner.commonPrefix(["a", "b"]) == "")
        #expect(CompletionPlanner.commonPrefix(["e\u{301}x", "e\u{301}y"]) == "e\u{301}")
    }

    @Test func columnsFollowQEMU() {
        // Longest is 6 → width max(8, 10) = 10; 80 / 10 = 8 per row.
        let items = (1...10).map { "cmd\($0)" }
        let lines = CompletionPlanner.columns(items, terminalWidth: 80)
        #expect(lines.count == 2)
        #expect(lines[0] == "cmd1      cmd2      cmd3      cmd4      cmd5      cmd6      cmd7      cmd8")
        #expect(lines[1] == "cmd9      cmd10")
    }

    @Test func columnsWidenForLongNames() {
        let items = ["migrate_set_parameter", "migrate_set_capability", "migrate_incoming"]
        // Longest 22 + 2 = 24; 60 / 24 = 2 per row.
        let lines = CompletionPlanner.columns(items, terminalWidth: 60)
        #expect(lines == ["migrate_set_parameter   migrate_set_capability", "migrate_incoming"])
        // Narrow terminal: one per line, never zero columns.
        #expect(CompletionPlanner.columns(items, terminalWidth: 10).count == 3)
        #expect(CompletionPlanner.columns([], terminalWidth: 80).isEmpty)
    }

    @Test func columnsCountAllLines() {
        for count in 1...40 {
            let items = (0..<count).map { String(repeating: "x", count: $0 % 13 + 1) }
            let lines = CompletionPlanner.columns(items, terminalWidth: 80)
            let longest = items.map(\.count).max()!
            let perRow = 80 / max(longest + 2, 10)
            #expect(lines.count == (count + perRow - 1) / perRow)
            #expect(lines.allSatisfy { $0.count <= 80 && !$0.hasSuffix(" ") })
            #expect(lines.joined(separator: " ").split(separator: " ").map(String.init) == items)
        }
    }

    @Test func hints() {
        #expect(CompletionPlanner.plan(word: "12", candidates: [], hint: "size: 10G, 512M, 4096B") == .hint("size: 10G, 512M, 4096B"))
        #expect(CompletionPlanner.plan(word: "12", candidates: [], hint: "") == .beep)
        #expect(CompletionPlanner.plan(word: "q", candidates: ["quit"], hint: "ignored") == .replace(with: "quit "))
    }

    @Test func resultHelpers() {
        let line = "info mi"
        let word = line[line.index(line.startIndex, offsetBy: 5)...]
        let result = LineCompletion(word: word, candidates: ["migrate"])
        #expect(String(line[result.replacementRange]) == "mi")
        #expect(LineCompletion.none(for: line).candidates.isEmpty)
        #expect(LineCompletion.none(for: line).hint == nil)
    }

    /// Byte offsets (as the HMP completer reports them) become string ranges.
    @Test(
        "UTF-8 offsets",
        arguments: [
            ("info mi", 5, "mi"), ("info mi", 0, "info mi"), ("info mi", 7, ""), ("info mi", 99, ""),
            ("info mi", -3, "info mi"),
            ("cd wörld", 3, "wörld"), ("cd wörld", 5, "örld"),  // inside ö (2 bytes): back to its start
            ("日本 x", 7, "x"), ("日本 x", 4, "本 x"),
        ])
    func utf8Offsets(line: String, offset: Int, word: String) {
        let result = LineCompletion(wordStartUTF8Offset: offset, in: line, candidates: [])
        #expect(String(line[result.replacementRange]) == word)
    }
}
