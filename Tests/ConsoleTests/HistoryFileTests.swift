import Testing
@testable import Console

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The history file is only ever replaced when it is a regular file holding hmp's history.
@Suite("History file safety")
struct HistoryFileTests {
    static func text(_ path: String) -> String { String(decoding: readWholeFile(path) ?? [], as: UTF8.self) }

    static func saved(_ file: HistoryFile, _ lines: [String]) throws {
        for line in lines { file.record(line) }
        try file.save(capacity: 1000)
    }

    @Test func devicesAreLeftAlone() throws {
        let null = HistoryFile(path: "/dev/null")
        #expect(null.refusal == .notRegularFile(path: "/dev/null"))
        #expect(throws: HistoryFileError.notRegularFile(path: "/dev/null")) { try Self.saved(null, ["x"]) }
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
    }

    /// A FIFO is never opened: start-up does not block on it, and it stays a FIFO.
    @Test func fifoNeitherBlocksNorIsReplaced() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fifo = dir.path + "/history"
        #expect(mkfifo(fifo, 0o600) == 0)
        let file = HistoryFile(path: fifo)
        #expect(throws: HistoryFileError.notRegularFile(path: fifo)) { try file.load(into: LineHistory()) }
        #expect(throws: HistoryFileError.self) { try Self.saved(file, ["x"]) }
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
    }

    @Test func notesAreNotOverwritten() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let notes = dir.path + "/notes.txt"
        writeWholeFile(notes, "remember the milk\n")
        let file = HistoryFile(path: notes)
        #expect(throws: HistoryFileError.notHistory(path: notes)) { try file.load(into: LineHistory()) }
        #expect(throws: HistoryFileError.notHistory(path: notes)) { try Self.saved(file, ["info status"]) }
        #expect(Self.text(notes) == "remember the milk\n")
        #expect(HistoryFileError.notHistory(path: notes).description == "\(notes) is not an hmp history file; it is left alone")
    }

    @Test func symlinkIsWrittenThrough() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        #expect(mkdir(dir.path + "/real", 0o700) == 0)
        let link = dir.path + "/history"
        #expect(symlink("real/hmp-history", link) == 0)
        try Self.saved(HistoryFile(path: link), ["info migrate"])
        var info = stat()
        #expect(lstat(link, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK)
        let reloaded = LineHistory()
        try HistoryFile(path: link).load(into: reloaded)
        #expect(reloaded.entries == ["info migrate"])
        #expect(Self.text(dir.path + "/real/hmp-history").hasPrefix("_HiStOrY_V2_\n"))
    }

    @Test func hardLinksAndOtherOwnersAreLeftAlone() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/history"
        try Self.saved(HistoryFile(path: path), ["one"])
        #expect(link(path, dir.path + "/other") == 0)
        #expect(HistoryFile(path: path).refusal == .hardLinked(path: path))
        unlink(dir.path + "/other")
        #expect(HistoryFile(path: path).refusal == nil)
        if geteuid() == 0 {
            #expect(chown(path, 65534, 65534) == 0)
            let file = HistoryFile(path: path)
            #expect(file.refusal == .otherOwner(path: path))
            #expect(throws: HistoryFileError.otherOwner(path: path)) { try Self.saved(file, ["two"]) }
            var info = stat()
            #expect(stat(path, &info) == 0 && info.st_uid == 65534)
        }
    }

    /// Two consoles on one file: each save merges what is on disk with its own new lines.
    @Test func concurrentConsolesKeepBothTheirLines() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/history"
        let first = HistoryFile(path: path)
        let second = HistoryFile(path: path)
        try first.load(into: LineHistory())
        try second.load(into: LineHistory())
        try Self.saved(first, ["a1"])
        try Self.saved(second, ["b1"])
        try Self.saved(first, ["a2"])
        let reloaded = LineHistory()
        try HistoryFile(path: path).load(into: reloaded)
        #expect(reloaded.entries == ["a1", "b1", "a2"])
    }

    @Test func leftoverTemporaryFilesAreRemoved() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/history"
        try Self.saved(HistoryFile(path: path), ["one"])
        let old = dir.path + "/.history.Ab12Cd"
        let fresh = dir.path + "/.history.Zz99Yy"
        let unrelated = dir.path + "/.history.keep-me"
        for file in [old, fresh, unrelated] { writeWholeFile(file, "_HiStOrY_V2_\n") }
        var times = [timeval(tv_sec: 1_000_000, tv_usec: 0), timeval(tv_sec: 1_000_000, tv_usec: 0)]
        #expect(utimes(old, &times) == 0 && utimes(unrelated, &times) == 0)
        try HistoryFile(path: path).load(into: LineHistory())
        #expect(dir.names() == [".history.Zz99Yy", ".history.keep-me", "history"])
    }
}
