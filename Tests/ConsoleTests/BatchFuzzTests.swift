import Testing
import TestSupport
import HMP
@testable import Console

#if canImport(Glibc)
import Glibc
#endif

/// Runs `bytes` as a batch in-process; answers the status and the captured streams.
func runBatch(_ bytes: [UInt8], stopOnError: Bool = false) -> (status: Console.ExitStatus, output: String, errors: String) {
    let path = "/tmp/hmp-batch-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
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
    let output = OutputSink.capturing()
    let errors = OutputSink.capturing()
    let session = makeTestSession()
    let runner = CommandRunner(
        session: session, output: output, errors: errors, events: EventFormatter(format: session.format, originMicroseconds: 0))
    let batch = BatchRunner(runner: runner, stopOnError: stopOnError)
    var reader = InputLineReader(fileDescriptor: fd)
    let status = batch.run(reader: &reader)
    return (status, output.captured, errors.captured)
}

/// Every error line names an input line that exists.
func errorLinesAreLabelled(_ errors: String, lineCount: Int) -> Bool {
    for line in errors.split(separator: "\n") {
        guard line.hasPrefix("line "), let colon = line.firstIndex(of: ":"),
            let n = Int(line[line.index(line.startIndex, offsetBy: 5)..<colon]), (1...max(lineCount, 1)).contains(n)
        else { return false }
    }
    return true
}

@Suite("Batch robustness")
struct BatchFuzzTests {
    static let words: [String] = {
        let table = CommandTable.standard
        var words = table.allNames.filter { $0 != "quit" && $0 != "q" }
        words += table.infoCommands.map(\.name)
        words += [
            "-d", "-b", "-i", "-r", "-f", "-n", "-", "--", "on", "off", "yes", "0", "-1", "1", "4096", "0x1f", "1e3", "-0",
            "18446744073709551616", "9223372036854775807", "1G", "5X", "0.5M", "1.5", "inf", "nan", "20G", "512", "100ms",
            "10s", "tcp:0:4444", "unix:/tmp/hmp-fuzz", "exec:cat", "file:/tmp/x", "virtio0", "virtio1", "ide1-cd0",
            "virtio0-fmt", "downtime-limit", "max-bandwidth", "multifd-compression", "zstd", "events", "xbzrle",
            "\"quoted words\"", "\"unterminated", "\"esc\\\"aped\"", "'single'", "{\"a\": 1}", "{", "}", "[1,", "{\"x\":",
            ";", ";;", "#", "# comment", "\\", "\\\\", "é", "日本語", "🙂", "e\u{301}", "\u{202E}rtl", "\u{7}", "\t", "\r",
            "\u{0}", String(repeating: "x", count: 300), "$(reboot)", "%s%n", "../../etc/passwd",
        ]
        return words
    }()

    @Test func tokenSoupNeverCrashes() {
        var rng = SeededGenerator(seed: 0x50_0B)
        for _ in 0..<40 {
            var lines: [String] = []
            for _ in 0..<60 {
                let count = Int.random(in: 0...10, using: &rng)
                let tokens = (0..<count).map { _ in Self.words.randomElement(using: &rng)! }
                let separator = Bool.random(using: &rng) ? " " : (Bool.random(using: &rng) ? "  " : "\t")
                lines.append(tokens.joined(separator: separator))
            }
            let result = runBatch(Array(lines.joined(separator: "\n").utf8))
            #expect(result.status == .success || result.status == .failure)
            #expect(errorLinesAreLabelled(result.errors, lineCount: lines.count), "\(result.errors.prefix(500))")
        }
    }

    @Test func randomBytesNeverCrash() {
        var rng = SeededGenerator(seed: 0xB17E5)
        for _ in 0..<60 {
            let length = Int.random(in: 0...4096, using: &rng)
            let bytes = (0..<length).map { _ -> UInt8 in
                // Newlines and separators often enough that many short lines reach the parser.
                switch UInt8.random(in: 0...15, using: &rng) {
                case 0: 0x0A
                case 1: UInt8(ascii: ";")
                case 2: UInt8(ascii: " ")
                default: UInt8.random(in: 0...255, using: &rng)
                }
            }
            let result = runBatch(bytes)
            #expect(result.status == .success || result.status == .failure)
            let lineCount = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count
            #expect(errorLinesAreLabelled(result.errors, lineCount: lineCount))
        }
    }

    @Test func megabyteLinesAndNULs() {
        let mega = String(repeating: "a", count: 1 << 20)
        let digits = String(repeating: "9", count: 1 << 20)
        let text = "\(mega)\nmigrate_set_parameter downtime-limit \(digits)\ninfo \"\(mega)\"\ninfo\u{0}status\nhelp \(mega)\n"
        let result = runBatch(Array(text.utf8))
        #expect(result.status == .failure)
        #expect(errorLinesAreLabelled(result.errors, lineCount: 5))
        // A huge bad line is reported, not echoed back in full.
        #expect(result.errors.utf8.count < 8 * 1024)
    }

    @Test func labelsStopOnErrorAndExitStatus() {
        let good = runBatch(Array("help quit\n# only a comment\n\nhelp info ; help help\n".utf8))
        #expect(good.status == .success)
        #expect(good.errors == "")
        let bad = runBatch(Array("help quit\nnope\nhelp quit\nnope again\n".utf8))
        #expect(bad.status == .failure)
        #expect(bad.errors == "line 2: Error: unknown command: 'nope'\nline 4: Error: unknown command: 'nope'\n")
        let stopped = runBatch(Array("nope\nhelp quit\n".utf8), stopOnError: true)
        #expect(stopped.status == .failure)
        #expect(stopped.output == "")
    }
}
