import Foundation
import Testing

/// A real QEMU (Debian's qemu-system-x86_64, 7.2 in CI) driven over QMP on its standard input
/// and output. Stopped when the test ends, whatever happened.
final class RealQEMU {
    static let binary = "/usr/bin/qemu-system-x86_64"
    let process = Process()
    let input = Pipe()
    let output = Pipe()
    var pending = Data()

    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["-nodefaults", "-display", "none", "-qmp", "stdio"] + arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        _ = try line()  // greeting
        _ = try execute("qmp_capabilities")
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// The next line of QMP output, within 20 seconds.
    func line() throws -> String {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let newline = pending.firstIndex(of: 0x0A) {
                let text = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending = Data(pending[(newline + 1)...])
                return text
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw QMPFailure(text: "QEMU closed its QMP output") }
            pending.append(chunk)
        }
        throw QMPFailure(text: "no answer from QEMU")
    }

    struct QMPFailure: Error { var text: String }

    /// Runs a command and answers its `return` value (events are skipped).
    func execute(_ command: String, _ arguments: [String: Any] = [:]) throws -> Any {
        var request: [String: Any] = ["execute": command]
        if !arguments.isEmpty { request["arguments"] = arguments }
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: request) + Data([0x0A]))
        while true {
            let object = try JSONSerialization.jsonObject(with: Data(try line().utf8)) as? [String: Any] ?? [:]
            if object["event"] != nil { continue }
            if let error = object["error"] { throw QMPFailure(text: "\(command): \(error)") }
            return object["return"] ?? [:]
        }
    }

    /// Polls `query` until `done` says yes, for up to 20 seconds.
    func wait(for command: String, until done: ([String: Any]) -> Bool) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(20)
        var last: [String: Any] = [:]
        while Date() < deadline {
            last = try execute(command) as? [String: Any] ?? [:]
            if done(last) { return last }
            usleep(20_000)
        }
        return last
    }

    func quit() {
        _ = try? execute("quit")
        process.waitUntilExit()
    }
}

/// Compatibility with real QEMU 7.2, measured: QEMU loads what hmp writes, hmp loads what
/// QEMU writes.
@Suite(.serialized) struct QEMUInteropTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hmp-qemu-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        #expect(FileManager.default.isExecutableFile(atPath: RealQEMU.binary), "QEMU is installed by scripts/install-deps.sh")
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    @Test func qemuLoadsTheStreamOfMachineNoneToRunning() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = path("hmp-none.bin")
        let run = try runHMP(["--clock", "virtual", "--machine", "none", "-c", "migrate file:\(file); info status"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasSuffix("VM status  postmigrate\n"))
        let qemu = try RealQEMU(["-M", "none", "-incoming", "exec:cat \(file)"])
        let status = try qemu.wait(for: "query-status") { ($0["status"] as? String) == "running" }
        #expect(status["status"] as? String == "running")
        let migrate = try qemu.execute("query-migrate") as? [String: Any]
        #expect(migrate?["status"] as? String == "completed")
        qemu.quit()
    }

    /// QEMU writes a stream with `migrate "exec:cat > FILE"`.
    func qemuStream(_ machine: [String], to file: String) throws {
        let qemu = try RealQEMU(machine + ["-S"])
        _ = try qemu.execute("migrate", ["uri": "exec:cat > \(file)"])
        let info = try qemu.wait(for: "query-migrate") { ["completed", "failed"].contains($0["status"] as? String ?? "") }
        #expect(info["status"] as? String == "completed")
        qemu.quit()
    }

    @Test func hmpLoadsTheStreamOfQEMUMachineNone() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = path("qemu-none.bin")
        try qemuStream(["-M", "none"], to: file)
        let run = try runHMP(["--clock", "virtual", "--machine", "none", "--incoming", "file:\(file)", "-c", "info status; info migrate"])
        #expect(run.status == 0, "\(run.stderr)")
        // QEMU stopped with -S sends "prelaunch", which the destination takes on.
        #expect(run.stdout.hasPrefix("VM status  prelaunch\nStatus  completed\n"), "\(run.stdout)")
    }

    @Test func hmpLoadsAndDeciphersTheStreamOfQEMUMachinePC() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = path("qemu-pc.bin")
        try qemuStream(["-M", "pc", "-m", "32"], to: file)
        let run = try runHMP(["--clock", "virtual", "--ram", "32M", "--incoming", "file:\(file)", "-c", "info status; info migrate"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("VM status  prelaunch\nStatus  completed\n"), "\(run.stdout)")

        let json = try runHMP(["--format", "json", "info", "migration_stream", file])
        #expect(json.status == 0, "\(json.stderr)")
        let reply = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let result = try #require(reply?["return"] as? [String: Any])
        #expect(result["machine"] as? String == "pc-i440fx-7.2")
        let sections = (result["sections"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        let described = ((result["description"] as? [String: Any])?["devices"] as? [[String: Any]] ?? []).compactMap {
            $0["name"] as? String
        }
        // Every section QEMU wrote is listed: RAM, then each device the description lists, in order.
        #expect(sections == ["ram"] + described)
        #expect(described.count > 20 && described.contains("cpu") && described.contains("globalstate"))
        let blocks = (result["ram-blocks"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(blocks.first == "pc.ram" && blocks.contains("pc.bios"))
        let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int
        #expect(result["size"] as? Int == size)

        let text = try runHMP(["info", "migration_stream", "-v", file])
        #expect(text.status == 0)
        #expect(text.stdout.contains("machine       pc-i440fx-7.2\n"))
        #expect(text.stdout.contains("\ncpu (instance 0, version 12):\n"))
    }
}
