import Foundation
import Testing

/// Two hmp processes migrating to each other over real sockets (unix: in a temp folder, tcp:
/// on loopback), on the real clock.
@Suite(.serialized) struct SocketMigrationTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hmp-sock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// A destination hmp started in the background: `--incoming URI`, then `script` once the
    /// load is over. Killed when the test ends.
    final class Destination {
        let process = Process()
        let out: URL
        let err: URL

        init(_ arguments: [String], directory: URL) throws {
            out = directory.appendingPathComponent("dest-\(UUID().uuidString).out")
            err = directory.appendingPathComponent("dest-\(UUID().uuidString).err")
            _ = FileManager.default.createFile(atPath: out.path, contents: nil)
            _ = FileManager.default.createFile(atPath: err.path, contents: nil)
            process.executableURL = URL(fileURLWithPath: hmpBinary)
            process.arguments = arguments
            var environment = ProcessInfo.processInfo.environment
            environment["HOME"] = directory.path
            process.environment = environment
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle(forWritingAtPath: out.path)
            process.standardError = FileHandle(forWritingAtPath: err.path)
            try process.run()
        }

        deinit {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }

        func finish() -> (status: Int32, stdout: String, stderr: String) {
            process.waitUntilExit()
            return (
                process.terminationStatus,
                (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                (try? String(contentsOf: err, encoding: .utf8)) ?? ""
            )
        }
    }

    func waitForListener(_ check: () -> Bool) {
        let deadline = Date().addingTimeInterval(10)
        while !check() && Date() < deadline { usleep(10_000) }
    }

    static func digest(_ text: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix("RAM digest") }.map { String($0.split(separator: " ").last ?? "") }
    }

    @Test func unixRoundTripIsPacedAndDeliversEveryPage() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let socket = directory.appendingPathComponent("m.sock").path
        let destination = try Destination(
            ["--ram", "16M", "--incoming", "unix:\(socket)", "-c", "info status; info migrate; info guest"], directory: directory)
        waitForListener { FileManager.default.fileExists(atPath: socket) }
        let started = Date()
        let source = try runHMP([
            "--ram", "16M", "--dirty-rate", "2000", "-c",
            "migrate_set_parameter max-bandwidth 8M; migrate unix:\(socket); info guest",
        ])
        let seconds = Date().timeIntervalSince(started)
        #expect(source.status == 0, "\(source.stderr)")
        let dest = destination.finish()
        #expect(dest.status == 0, "\(dest.stderr)")
        #expect(dest.stdout.hasPrefix("VM status  running\nStatus        completed\n"), "\(dest.stdout)")
        // 16 MiB at 8 MiB/s: about two seconds, paced on the real clock.
        #expect(seconds > 1.5 && seconds < 8, "\(seconds) s")
        // The guest dirtied pages while it was copied; they were sent again and arrived.
        let sent = try #require(Self.digest(source.stdout))
        #expect(Self.digest(dest.stdout) == sent)
    }

    @Test func tcpRoundTripUnlimited() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = 20_000 + Int.random(in: 0..<20_000)
        let destination = try Destination(
            ["--ram", "64M", "--zero-pages", "50", "--incoming", "tcp:127.0.0.1:\(port)", "-c", "info status; info guest"],
            directory: directory)
        usleep(300_000)
        let source = try runHMP(["--ram", "64M", "--zero-pages", "50", "-c", "migrate tcp:127.0.0.1:\(port); info status; info guest"])
        #expect(source.status == 0, "\(source.stderr)")
        #expect(source.stdout.contains("VM status  postmigrate\n"))
        let dest = destination.finish()
        #expect(dest.stdout.hasPrefix("VM status  running\n"), "\(dest.stdout) \(dest.stderr)")
        #expect(Self.digest(dest.stdout) == Self.digest(source.stdout))
        #expect(Self.digest(dest.stdout) != nil)
    }

    @Test func execRunsTheCommandBothWays() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("e.bin").path
        let source = try runHMP(["--ram", "8M", "--zero-pages", "30", "--allow-exec", "-c", "migrate \"exec:cat > \(file)\"; info guest"])
        #expect(source.status == 0, "\(source.stderr)")
        let destination = try runHMP(["--ram", "8M", "--allow-exec", "--incoming", "exec:cat \(file)", "-c", "info status; info guest"])
        #expect(destination.stdout.hasPrefix("VM status  running\n"), "\(destination.stdout) \(destination.stderr)")
        #expect(Self.digest(destination.stdout) == Self.digest(source.stdout))
        let broken = try runHMP(["--ram", "8M", "--allow-exec", "-c", "migrate \"exec:head -c 100 >/dev/null\""])
        #expect(broken.stderr == "Error: Migration failed: Unable to write to command: Broken pipe\n")
    }

    /// A documentation address is unreachable on purpose: the migration is rehearsed, no bytes.
    @Test func documentationAddressesStayRehearsals() throws {
        let run = try runHMP(["--ram", "64M", "-c", "migrate_set_parameter max-bandwidth 1G; migrate tcp:192.0.2.1:4444; info status"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasSuffix("VM status  postmigrate\n"), "\(run.stdout)")
    }

    @Test func refusedConnectionFailsLikeQEMU() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let socket = directory.appendingPathComponent("nobody.sock").path
        let source = try runHMP(["--ram", "16M", "-c", "migrate unix:\(socket); info status"])
        #expect(source.status == 1)
        #expect(source.stderr == "command 1: Error: Migration failed: Failed to connect to '\(socket)': No such file or directory\n")
        #expect(source.stdout == "VM status  running\n")
    }

    @Test func cancelMakesTheDestinationFail() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let socket = directory.appendingPathComponent("c.sock").path
        let destination = try Destination(
            ["--ram", "64M", "--incoming", "unix:\(socket)", "-c", "info status; info migrate"], directory: directory)
        waitForListener { FileManager.default.fileExists(atPath: socket) }
        let source = try runHMP([
            "--ram", "64M", "-c",
            "migrate_set_parameter max-bandwidth 16M; migrate -d unix:\(socket); sleep 500ms; migrate_cancel; sleep 100ms; info status; info migrate",
        ])
        #expect(source.status == 0, "\(source.stderr)")
        #expect(source.stdout.contains("VM status  running\nStatus            cancelled\nFigures           last seen "), "\(source.stdout)")
        let dest = destination.finish()
        #expect(dest.stdout.hasPrefix("VM status  inmigrate\nStatus        failed\n"), "\(dest.stdout)")
        #expect(dest.stdout.contains("the stream ends early"), "\(dest.stdout)")
    }

    @Test func destinationKilledMidStreamFailsTheSource() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let socket = directory.appendingPathComponent("k.sock").path
        let destination = try Destination(["--ram", "64M", "--incoming", "unix:\(socket)", "-c", "info status"], directory: directory)
        waitForListener { FileManager.default.fileExists(atPath: socket) }
        let pid = destination.process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.6) { kill(pid, SIGKILL) }
        let source = try runHMP(["--ram", "64M", "-c", "migrate_set_parameter max-bandwidth 16M; migrate unix:\(socket); info status"])
        #expect(source.status == 1)
        #expect(source.stderr.hasPrefix("command 2: Error: Migration failed: Unable to write to socket: "), "\(source.stderr)")
        #expect(source.stderr.contains("Broken pipe") || source.stderr.contains("Connection reset by peer"))
        #expect(source.stdout.hasSuffix("VM status  running\n"))
    }
}
