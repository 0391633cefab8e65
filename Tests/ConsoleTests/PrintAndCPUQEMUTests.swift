import Foundation
import Testing

/// `print` and `cpu` against real QEMU 7.2's monitor: the same lines give the same text, and on
/// a connected QEMU the default CPU reaches the lines passed through to its monitor.
@Suite(.serialized) struct PrintAndCPUQEMUTests {
    static let lines = [
        "p 10", "p/c 300", "p/c -1", "p/c 39", "p $foo", "p/z 1", "p/o 0", "p/x 0", "p", "p/d -1", "p 3",
        "p/u -1", "p/o 8", "p/x 0x10 * 2 + (7 & 3)", "cpu 5", "cpu -1", "cpu 1",
    ]

    /// QEMU answers each line through human-monitor-command; its display format default is a
    /// process-wide static, so it carries from one line to the next there as in hmp's session.
    @Test func sameTextAsQEMU() throws {
        let qemu = try RealQEMU(["-S", "-smp", "2", "-accel", "tcg"])
        defer { qemu.quit() }
        var results = "", errors: [String] = []
        for line in Self.lines {
            let text = (try qemu.execute("human-monitor-command", ["command-line": line]) as? String ?? "")
                .replacingOccurrences(of: "\r\n", with: "\n")
            if Self.isError(text) { errors += text.split(separator: "\n").map(String.init) } else { results += text }
        }
        let run = try runHMP(["--format", "qemu"], script: Self.lines.joined(separator: "\n") + "\n")
        #expect(run.stdout == results)
        for line in errors { #expect(run.stderr.contains(line), "QEMU said \(line); hmp said:\n\(run.stderr)") }
        #expect(errors.count == 9)
    }

    static func isError(_ text: String) -> Bool {
        ["unknown register", "invalid char", "unexpected end", "invalid CPU", "has failed"].contains { text.contains($0) }
    }

    @Test func connectedQEMUGetsTheDefaultCPU() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hmp-cpu-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let socket = directory.appendingPathComponent("qmp.sock").path
        let qemu = try RealQEMU(["-S", "-smp", "2", "-accel", "tcg", "-qmp", "unix:\(socket),server=on,wait=off"])
        defer { qemu.quit() }
        let run = try runHMP(["--connect", "unix:\(socket)", "--format", "qemu", "-c", "info cpus; cpu 1; info cpus; cpu 7; p/x $eflags"])
        // QEMU's text comes back with its \r\n line ends.
        let lines = run.stdout.replacingOccurrences(of: "\r", with: "").split(separator: "\n").map(String.init)
        let marks = lines.filter { $0.contains("CPU #") }.map { String($0.prefix(8)) }
        #expect(marks == ["* CPU #0", "  CPU #1", "  CPU #0", "* CPU #1"], "cpu 1 moves the mark:\n\(run.stdout)")
        #expect(run.stderr.contains("invalid CPU index"))
        // The register comes from QEMU's monitor (x86 EFLAGS has bit 1 set).
        #expect(lines.last == "0x2", "\(run.stdout)")
    }
}
