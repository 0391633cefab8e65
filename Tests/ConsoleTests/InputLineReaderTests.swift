import Testing
@testable import Console

#if canImport(Glibc)
import Glibc
#endif

/// Lines read back from `bytes` written to a pipe (or a file when large).
func readLines(_ bytes: [UInt8]) -> [String] {
    let path = "/tmp/hmp-reader-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0o600)
    precondition(fd >= 0)
    defer {
        close(fd)
        unlink(path)
    }
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
        precondition(n > 0)
        offset += n
    }
    lseek(fd, 0, SEEK_SET)
    var reader = InputLineReader(fileDescriptor: fd)
    var lines: [String] = []
    while let line = reader.next() { lines.append(line) }
    return lines
}

@Suite("Batch input")
struct InputLineReaderTests {
    @Test func linesWithAndWithoutFinalNewline() {
        #expect(readLines(Array("a\nb\n".utf8)) == ["a", "b"])
        #expect(readLines(Array("a\nb".utf8)) == ["a", "b"])
        #expect(readLines(Array("\n\n".utf8)) == ["", ""])
        #expect(readLines([]) == [])
    }

    @Test func carriageReturnsBeforeNewlinesAreDropped() {
        #expect(readLines(Array("info status\r\nquit\r\n".utf8)) == ["info status", "quit"])
        #expect(readLines(Array("x\r".utf8)) == ["x"])
    }

    @Test func invalidUTF8IsRepairedAndNULsKept() {
        let lines = readLines([0x61, 0xFF, 0x62, 0x0A, 0x00, 0x63, 0x0A, 0xC3])
        #expect(lines == ["a\u{FFFD}b", "\u{0}c", "\u{FFFD}"])
    }

    @Test func longLinesAcrossManyReads() {
        let long = String(repeating: "x", count: 1 << 20)
        let lines = readLines(Array((long + "\nshort\n" + long).utf8))
        #expect(lines.count == 3)
        #expect(lines[0].utf8.count == 1 << 20)
        #expect(lines[1] == "short")
        #expect(lines[2].utf8.count == 1 << 20)
    }
}
