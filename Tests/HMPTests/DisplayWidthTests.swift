import Testing
@testable import HMP

@Suite("Display width")
struct DisplayWidthTests {
    @Test(arguments: [
        ("disk0", 5), ("", 0), ("é", 1), ("e\u{301}", 1), ("中文", 4), ("ｄｉｓｋ", 8), ("한국어", 6), ("🙂", 2), ("👍🏽", 2),
        ("👨‍👩‍👧", 2), ("🇫🇷", 2), ("a\u{200B}b", 2), ("\u{7}", 2), ("Ω", 1), ("⌚", 2),
    ])
    func columns(text: String, width: Int) {
        #expect(DisplayWidth.of(text) == width, "\(text.debugDescription)")
    }

    /// Each column starts at the same terminal column on every line, whatever the script.
    @Test func tablesAlignWideText() {
        let rows = [["disk0", "1 GiB"], ["磁盘一", "2 GiB"], ["🙂x", "3 GiB"], ["e\u{301}t\u{e9}", "4 GiB"]]
        var table = TextTable(headers: ["device", "size"])
        for row in rows { table.add(row) }
        let lines = table.render().split(separator: "\n").map(String.init)
        let values = ["size", "-"] + rows.map { $0[1] }
        var starts: [Int] = []
        for (line, value) in zip(lines, values) where value != "-" {
            let prefix = line.components(separatedBy: value).first ?? ""
            starts.append(DisplayWidth.of(prefix))
        }
        #expect(starts.count == 5)
        #expect(Set(starts).count == 1, "\(lines)")
    }
}
