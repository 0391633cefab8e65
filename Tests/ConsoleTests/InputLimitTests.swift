import Testing
@testable import Console

#if canImport(Glibc)
import Glibc
#endif

/// Input is bounded per line, and what comes from the input is shown escaped in errors.
@Suite("Input limits and escaping")
struct InputLimitTests {
    /// Lines and the overlong marks the reader gives for `bytes`, with a small maximum.
    func read(_ bytes: [UInt8], maximum: Int) -> [String] {
        let path = "/tmp/hmp-limit-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0o600)
        precondition(fd >= 0)
        defer {
            close(fd)
            unlink(path)
        }
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, bytes.count) }
        lseek(fd, 0, SEEK_SET)
        var reader = InputLineReader(fileDescriptor: fd)
        reader.maximumLineBytes = maximum
        var lines: [String] = []
        while let line = reader.next() { lines.append(reader.overlongLineBytes.map { "<\($0) bytes>" } ?? line) }
        return lines
    }

    @Test func overlongLinesAreSkippedNotHeld() {
        let long = String(repeating: "x", count: 300_000)
        #expect(
            read(Array("info status\n\(long)\nstop\n\(long)".utf8), maximum: 1000)
                == ["info status", "<300000 bytes>", "stop", "<300000 bytes>"])
        #expect(
            read(Array("\(String(repeating: "y", count: 1000))\nz\n".utf8), maximum: 1000) == [String(repeating: "y", count: 1000), "z"])
        #expect(read(Array("\(String(repeating: "y", count: 1001))\nz\n".utf8), maximum: 1000) == ["<1001 bytes>", "z"])
    }

    @Test func overlongLineIsOneClearError() {
        let line = String(repeating: "a", count: 5 << 20)
        let result = runBatch(Array("info status\n\(line)\ninfo status\n".utf8))
        #expect(result.status == .failure)
        #expect(result.errors == "line 2: Error: line too long (5242880 bytes); at most 4194304 bytes are read\n")
        #expect(result.output.split(separator: "\n").count == 2)
    }

    @Test func controlCharactersAreEscapedInErrors() {
        let result = runBatch(Array("info \u{1B}[31mred\u{7}\ninfo \u{202E}x\n".utf8))
        #expect(
            result.errors == "line 1: Error: unknown command: 'info \\x1B[31mred\\x07'\nline 2: Error: unknown command: 'info \\u{202E}x'\n"
        )
        #expect(!result.errors.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    }
}
