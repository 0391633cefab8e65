import Testing
@testable import Console

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("History")
struct LineHistoryTests {
    @Test func skipsBlankAndRepeatedLines() {
        let history = LineHistory()
        #expect(history.add("info status"))
        #expect(!history.add("info status"))  // same as the previous line
        #expect(!history.add(""))
        #expect(!history.add("   \t"))
        #expect(history.add("stop"))
        #expect(history.add("info status"))  // not adjacent: kept
        #expect(history.entries == ["info status", "stop", "info status"])
        #expect(history.count == 3)
        history.clear()
        #expect(history.entries.isEmpty)
    }

    @Test func capacityDropsOldest() {
        let history = LineHistory(capacity: 3)
        for i in 1...5 { history.add("cmd \(i)") }
        #expect(history.entries == ["cmd 3", "cmd 4", "cmd 5"])
    }

    @Test func saveAndLoadRoundTrip() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/nested/deeper/history"
        let lines = [
            "info migrate", "migrate_set_parameter tls-creds \"x y\"", "héllo wörld 日本語",
            "back\\slash", "tab\there", "  leading", "trailing  ",
        ]
        let history = LineHistory()
        for line in lines { history.add(line) }
        try history.save(to: path)

        #expect(fileMode(path) == 0o600)
        #expect(fileMode(dir.path + "/nested") == 0o700)
        #expect(fileMode(dir.path + "/nested/deeper") == 0o700)
        #expect(listDirectory(dir.path + "/nested/deeper") == ["history"])  // no temp file left

        let reloaded = LineHistory()
        #expect(try reloaded.load(from: path) == lines.count)
        #expect(reloaded.entries == lines)
    }

    @Test func saveReplacesAtomically() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/history"
        let first = LineHistory()
        first.add("one")
        try first.save(to: path)
        first.add("two")
        try first.save(to: path)
        let reloaded = LineHistory()
        try reloaded.load(from: path)
        #expect(reloaded.entries == ["one", "two"])
        #expect(dir.names() == ["history"])
    }

    @Test func missingFileLoadsNothing() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let history = LineHistory()
        #expect(try history.load(from: dir.path + "/absent") == 0)
        #expect(history.entries.isEmpty)
    }

    @Test func damagedFileIsAnError() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let empty = dir.path + "/empty"
        writeWholeFile(empty, "")
        #expect(throws: HistoryFileError.unreadable(path: empty)) { try LineHistory().load(from: empty) }
        let foreign = dir.path + "/bash_history"
        writeWholeFile(foreign, "ls\ncd /\n")
        #expect(throws: HistoryFileError.unreadable(path: foreign)) { try LineHistory().load(from: foreign) }
    }

    @Test func unwritableDirectoryIsAnError() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let blocker = dir.path + "/file"
        writeWholeFile(blocker, "x")
        let history = LineHistory()
        history.add("x")
        #expect(throws: HistoryFileError.self) { try history.save(to: blocker + "/sub/history") }
        let error = HistoryFileError.cannotWrite(path: "/p", errno: EACCES)
        #expect(error.description == "cannot write history file /p: Permission denied")
    }
}
