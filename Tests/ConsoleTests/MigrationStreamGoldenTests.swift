import Foundation
import Testing

/// `info migration_stream` against golden files (Tests/Fixtures/streams), one-shot.
@Suite struct MigrationStreamGoldenTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/streams")

    func golden(_ name: String) throws -> String {
        try String(contentsOf: Self.fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func qemuMachineNoneStream() throws {
        let stream = Self.fixtures.appendingPathComponent("qemu-7.2-none.bin").path
        let text = try runHMP(["info", "migration_stream", "-v", stream])
        #expect(text.status == 0)
        #expect(text.stdout.replacingOccurrences(of: stream, with: "qemu-7.2-none.bin") == (try golden("qemu-7.2-none.txt")))
        let json = try runHMP(["--format", "json", "info", "migration_stream", stream])
        #expect(json.stdout.replacingOccurrences(of: stream, with: "qemu-7.2-none.bin") == (try golden("qemu-7.2-none.json")))
    }

    @Test func modelStream() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hmp-golden-\(UUID().uuidString).bin").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let run = try runHMP([
            "--clock", "virtual", "--ram", "1M", "--zero-pages", "50", "--dirty-rate", "100", "-c", "sleep 1s; migrate file:\(file)",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try runHMP(["info", "migration_stream", "-v", file])
        #expect(text.stdout.replacingOccurrences(of: file, with: "g.bin") == (try golden("hmp-1M.txt")))
    }

    @Test func completionOffersFileNames() throws {
        let prefix = Self.fixtures.appendingPathComponent("qemu-7.2-n").path
        let run = try runHMP(["--complete", "--", "info", "migration_stream", prefix])
        #expect(run.stdout.split(separator: "\n").contains { $0.hasSuffix("qemu-7.2-none.bin") }, "\(run.stdout)")
    }

    /// migrate_incoming file: loads at once, before the next command.
    @Test func migrateIncomingFileLoadsBeforeTheNextCommand() throws {
        let stream = Self.fixtures.appendingPathComponent("qemu-7.2-none.bin").path
        let run = try runHMP([
            "--clock", "virtual", "--machine", "none", "--incoming", "defer", "-c",
            "info status; migrate_incoming file:\(stream); info status",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.stdout == "VM status  inmigrate\nWaiting for the incoming migration on file:\(stream)\nVM status  prelaunch\n",
            "\(run.stdout)")
    }

    @Test func errorsNameTheOffset() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hmp-bad-\(UUID().uuidString).bin").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let good = try Data(contentsOf: Self.fixtures.appendingPathComponent("qemu-7.2-none.bin"))
        _ = FileManager.default.createFile(atPath: file, contents: good.prefix(100))
        let run = try runHMP(["info", "migration_stream", file])
        #expect(run.status == 1)
        #expect(
            run.stderr
                == "Error: migration stream at offset 100 (0x64): the stream ends early: expected 8 bytes of field 'unused' of 'timer'\n")
        let missing = try runHMP(["info", "migration_stream", file + ".none"])
        #expect(missing.stderr == "Error: migration stream at offset 0 (0x0): cannot open \(file).none: No such file or directory\n")
    }
}
