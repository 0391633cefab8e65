import Foundation
import Testing

@Suite("hmp --qmp options")
struct QMPOptionTests {
    @Test(arguments: [
        (["--no-console"], "--no-console needs --qmp ADDRESS"),
        (["--qmp", "stdio"], "invalid --qmp 'stdio': 'stdio' is not a transport"),
        (["--qmp", "tcp:1.2.3.4"], "invalid --qmp 'tcp:1.2.3.4': tcp: needs a port"),
        (["--qmp", "unix:/tmp/x", "--no-console", "-c", "info status"], "--no-console cannot be combined with -c"),
        (["--qmp", "unix:/nonexistent-dir/vm.qmp", "--no-console"], "cannot serve QMP: cannot bind '/nonexistent-dir/vm.qmp'"),
    ])
    func mistakesAreOneLineAndStatusTwo(arguments: [String], message: String) throws {
        let run = try runHMP(arguments, script: "")
        #expect(run.status == 2)
        #expect(run.stderrLines.count == 1)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    /// A batch on standard input with --qmp: the socket is served while the batch runs and
    /// removed when it ends.
    @Test func batchServesAndCleansUp() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "hmp-qmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("vm.qmp").path
        let run = try runHMP(["--clock", "virtual", "--format", "qemu", "--qmp", "unix:\(path)"], script: "stop\ninfo status\n")
        #expect(run.status == 0)
        #expect(run.stdout == "VM status: paused\n")
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
