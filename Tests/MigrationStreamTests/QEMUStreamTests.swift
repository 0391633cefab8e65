import Foundation
import MigrationStream
import Testing

/// Streams written by real QEMU 7.2, read by the strict reader.
@Suite struct QEMUStreamTests {
    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/streams")
    }

    @Test func readsQEMUMachineNoneStream() throws {
        let path = Self.fixtures.appendingPathComponent("qemu-7.2-none.bin").path
        let summary = try StreamFile.summarize(path: path)
        #expect(summary.version == 3)
        #expect(summary.machine == "none")
        #expect(summary.sections.map(\.name) == ["ram", "timer", "globalstate"])
        #expect(summary.sections.map(\.id) == [2, 0, 4])
        #expect(summary.sections[0].parts == [.start, .end])
        #expect(summary.blocks.isEmpty)
        #expect(summary.devices.map(\.name) == ["timer", "globalstate"])
        #expect(summary.devices.last.flatMap(StandardDevices.runState) == "prelaunch")
        #expect(summary.totalBytes == 747)
        #expect(summary.description?.devices == StandardDevices.all)
    }
}
