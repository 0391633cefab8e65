import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Failed writes and reads are reported, and a signal does not lose finished output.
@Suite("I/O failures and signals")
struct IOFailureTests {
    /// Runs a shell line with `$HMP` set to the binary; answers status and stderr.
    func shell(_ line: String) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", line]
        var environment = ProcessInfo.processInfo.environment
        environment["HMP"] = hmpBinary
        environment["HOME"] = "/nonexistent"
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func failedWritesAreReported() throws {
        let full = try shell(#""$HMP" -c 'info status' > /dev/full"#)
        #expect(full.status == 1)
        #expect(full.stderr == "hmp: Error: cannot write the output: No space left on device\n")
        let closed = try shell(#""$HMP" info status >&-"#)
        #expect(closed.status == 1)
        #expect(closed.stderr == "hmp: Error: cannot write the output: Bad file descriptor\n")
    }

    @Test func failedReadsAreNotAnEmptyInput() throws {
        let directory = try shell(#""$HMP" < /"#)
        #expect(directory.status == 1)
        #expect(directory.stderr == "hmp: Error: cannot read the input: Is a directory\n")
        let closed = try shell(#""$HMP" <&-"#)
        #expect(closed.status == 1)
        #expect(closed.stderr.hasPrefix("hmp: Error: cannot read the input: "))
    }

    /// SIGTERM while a long sleep runs: the results of the 2000 commands before it are all
    /// written (they were still in the output buffer), then hmp dies of the signal.
    @Test(arguments: [SIGTERM, SIGHUP])
    func signalKeepsFinishedOutput(signal: Int32) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hmp-signal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("in").path
        let output = scratch.appendingPathComponent("out").path
        let lines = Array(repeating: "info status", count: 2000) + ["sleep 1h", "info status"]
        _ = FileManager.default.createFile(atPath: input, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: hmpBinary)
        process.environment = ["HOME": scratch.path, "PATH": "/usr/bin:/bin"]
        process.standardInput = FileHandle(forReadingAtPath: input)
        process.standardOutput = FileHandle(forWritingAtPath: output)
        try process.run()
        // The input is a file, so the only place hmp blocks is the sleep.
        let stat = "/proc/\(process.processIdentifier)/stat"
        for _ in 0..<400 {
            let fields = (try? String(contentsOfFile: stat, encoding: .utf8))?.split(separator: ")").last?.split(separator: " ")
            if fields?.first == "S" { break }
            usleep(25_000)
        }
        kill(process.processIdentifier, signal)
        // Never hang the suite: a process that ignores the signal fails the test.
        var waited = 0
        while process.isRunning && waited < 400 {
            usleep(25_000)
            waited += 1
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("hmp did not end on signal \(signal)")
        }
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal)
        let text = String(decoding: FileManager.default.contents(atPath: output) ?? Data(), as: UTF8.self)
        // Every finished result, the cut-short sleep, and nothing after it.
        let expected = String(repeating: "VM status  running\n", count: 2000) + "sleep interrupted\n"
        #expect(text == expected)
    }
}
