import Foundation
import QAPI
import Testing

@testable import Machine

/// Migrations that move bytes through files: what the model writes, walked by an independent
/// reader, and loaded back by another model VM with the same RAM content.
@Suite struct ModelStreamTests {
    func scratch(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("hmp-stream-\(UUID().uuidString)-\(name)").path
    }

    func bytes(_ path: String) -> [UInt8] { [UInt8](FileManager.default.contents(atPath: path) ?? Data()) }

    @Test func fileMigrationWritesAStreamAnotherVMLoads() throws {
        let path = scratch("a.bin")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = makeVM(ram: 8 << 20, workload: GuestWorkload(dirtyPagesPerSecond: 500, zeroPercent: 60, hotSetBytes: 1 << 20))
        source.advance(to: .seconds(2))  // the guest writes 1000 pages: its hot set goes round four times
        #expect(source.pagesWritten == 1000)
        try source.migration.migrate(uri: "file:\(path)", channels: nil)
        runMigration(source)
        #expect(source.migration.status == .completed)
        #expect(source.runState == .postmigrate)

        var walker = IndependentStreamWalker(bytes(path))
        try walker.walk()
        #expect(
            walker.records.prefix(5) == [
                "QEVM 3", "configuration hmp-model", "start 2 ram 0 v4", "  blocks pc.ram=8388608", "  eos",
            ])
        let devices = Array(walker.records.drop { !$0.hasPrefix("full") }.prefix(8))
        #expect(
            devices == [
                "full 0 timer 0 v2", "  3 fields, 24 bytes", "full 4 globalstate 0 v1", "  2 fields, 104 bytes",
                "full 5 hmp-guest 0 v1", "  7 fields, 41 bytes", "full 6 hmp-drive 0 v1", "  3 fields, 56 bytes",
            ])
        #expect(walker.records.last?.hasPrefix("description") == true)
        #expect(walker.normalPages == 820 && walker.zeroPages == 1228)  // 2048 pages, 60% zero (rounded down)

        // The same pages, computed independently from the layout, give the same checksum.
        let layout = source.memoryLayout
        var expected: UInt64 = 0
        var page = [UInt8](repeating: 0, count: 4096)
        layout.forEachPage { p, words in
            guard let words else { return }
            page.withUnsafeMutableBytes { GuestMemoryLayout.fill($0, a: words.a, b: words.b) }
            var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ (p * 4096)
            for b in page { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
            expected &+= h
        }
        #expect(walker.pageChecksum == expected)

        let destination = makeVM(ram: 8 << 20, startState: .inmigrate, incomingURI: "file:\(path)")
        #expect(destination.migration.incoming.status == .completed)
        #expect(destination.runState == .running)
        #expect(destination.ramDigest == source.ramDigest)
        #expect(destination.workload == source.workload)
        #expect(destination.pagesWritten == source.pagesWritten && source.pagesWritten > 1000)
        // Its regenerated content is the same, so it can migrate on with it.
        #expect(destination.memoryLayout.digest.text == source.ramDigest)
    }

    @Test func dirtiedPagesChangeTheDigest() {
        let vm = makeVM(ram: 4 << 20, workload: GuestWorkload(dirtyPagesPerSecond: 100, zeroPercent: 0, hotSetBytes: 1 << 20))
        let before = vm.ramDigest
        vm.advance(to: .milliseconds(10))
        #expect(vm.pagesWritten == 1)
        #expect(vm.ramDigest != before)
    }

    @Test func machineNoneWritesOnlyQEMUSections() throws {
        let path = scratch("none.bin")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let vm = VirtualMachine(configuration: .machineNone())
        try vm.migration.migrate(uri: "file:\(path)", channels: nil)
        runMigration(vm)
        var walker = IndependentStreamWalker(bytes(path))
        try walker.walk()
        #expect(
            walker.records == [
                "QEVM 3", "configuration none", "start 2 ram 0 v4", "  blocks ", "  eos", "end 2 ram", "  eos",
                "full 0 timer 0 v2", "  3 fields, 24 bytes", "full 4 globalstate 0 v1", "  2 fields, 104 bytes", "eof",
                "description 486 bytes",
            ])
    }

    @Test func offsetKeepsWhatIsBeforeIt() throws {
        let path = scratch("offset.bin")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data(repeating: 0xAB, count: 4096))
        let vm = makeVM(ram: 1 << 20)
        try vm.migration.migrate(uri: "file:\(path),offset=4096", channels: nil)
        runMigration(vm)
        let all = bytes(path)
        #expect(all.prefix(4096).allSatisfy { $0 == 0xAB })
        var walker = IndependentStreamWalker(Array(all.dropFirst(4096)))
        try walker.walk()
        let destination = makeVM(ram: 1 << 20, startState: .inmigrate, incomingURI: "file:\(path),offset=4096")
        #expect(destination.migration.incoming.status == .completed)
        #expect(destination.ramDigest == vm.ramDigest)
    }

    @Test func badStreamsLeaveTheDestinationWaiting() throws {
        let path = scratch("bad.bin")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = makeVM(ram: 1 << 20)
        try source.migration.migrate(uri: "file:\(path)", channels: nil)
        runMigration(source)
        var b = bytes(path)
        b[5] = 9
        _ = FileManager.default.createFile(atPath: path, contents: Data(b))
        let destination = makeVM(ram: 1 << 20, startState: .inmigrate, incomingURI: "file:\(path)")
        #expect(destination.migration.incoming.status == .failed)
        #expect(destination.runState == .inmigrate)
        #expect(
            destination.migration.errorDescription
                == "load of migration failed: migration stream at offset 4 (0x4): unsupported stream version 589827: expected 3")
        // RAM of another size: QEMU's length check.
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let other = makeVM(ram: 2 << 20)
        try other.migration.migrate(uri: "file:\(path)", channels: nil)
        runMigration(other)
        let small = makeVM(ram: 1 << 20, startState: .inmigrate, incomingURI: "file:\(path)")
        #expect(small.migration.errorDescription?.hasSuffix("Length mismatch: pc.ram: 0x200000 in != 0x100000: Invalid argument") == true)
    }

    @Test func unwritableFileFailsTheMigration() throws {
        let vm = makeVM(ram: 1 << 20)
        #expect(throws: QMPError.generic("Unable to open /nonexistent/dir/x: No such file or directory")) {
            try vm.migration.migrate(uri: "file:/nonexistent/dir/x", channels: nil)
        }
        #expect(vm.migration.status == .failed)
        #expect(vm.runState == .running)
    }
}
