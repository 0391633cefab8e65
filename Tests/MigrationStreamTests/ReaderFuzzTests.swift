import Foundation
import MigrationStream
import SeededRandom
import Testing

/// Mutated streams: the reader never crashes, never loops, and answers each with either the
/// records or one error whose offset lies within the input.
@Suite struct ReaderFuzzTests {
    @Test func mutatedStreamsGiveOneClearErrorEach() throws {
        let good = StreamSamples.rich()
        let qemu = [UInt8](try Data(contentsOf: QEMUStreamTests.fixtures.appendingPathComponent("qemu-7.2-none.bin")))
        var rng = SeededGenerator(seed: 42)
        var errors = 0
        var accepted = 0
        for round in 0..<3000 {
            var b = round % 3 == 0 ? qemu : good
            switch rng.below(5) {
            case 0:  // flip bytes
                for _ in 0...rng.below(4) { b[rng.below(b.count)] ^= UInt8(1 + rng.below(255)) }
            case 1:  // cut
                b = Array(b.prefix(rng.below(b.count)))
            case 2:  // insert garbage
                let at = rng.below(b.count)
                b.insert(contentsOf: (0..<(1 + rng.below(16))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
            case 3:  // delete a run
                let at = rng.below(b.count)
                b.removeSubrange(at..<min(b.count, at + 1 + rng.below(32)))
            default:  // big-endian lengths set to large values
                let at = rng.below(b.count - 4)
                b[at] = 0xFF; b[at + 1] = 0xFF
            }
            do throws(StreamError) {
                _ = try StreamSamples.decode(b, chunk: 1 + rng.below(9000))
                accepted += 1
            } catch {
                errors += 1
                #expect(error.offset <= UInt64(b.count), "\(error)")
                #expect(!error.message.isEmpty)
                #expect(
                    error.message.contains("expected") || error.message.hasPrefix("unknown") || error.message.hasPrefix("page at")
                        || error.message.hasPrefix("mismatched") || error.message.hasPrefix("more than")
                        || error.message.hasPrefix("RAM block")
                        || error.message.hasPrefix("VM description") || error.message.hasPrefix("record larger"), "\(error)")
            }
        }
        #expect(errors > 1500)
        #expect(errors + accepted == 3000)
    }

    /// The file reader too (it looks for the description at the end first): mutated files of
    /// a stream with RAM and devices, read whole.
    @Test func mutatedFilesGiveOneClearErrorEach() throws {
        let good = StreamSamples.rich()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hmp-fuzz-\(UUID().uuidString).bin").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<300 {
            var b = good
            // Mostly inside the description and the device sections, where the file reader
            // looks first.
            let from = rng.below(2) == 0 ? max(0, b.count - 2000) : 0
            for _ in 0...rng.below(3) { b[from + rng.below(b.count - from)] ^= UInt8(1 + rng.below(255)) }
            if rng.below(4) == 0 { b = Array(b.prefix(rng.below(b.count))) }
            _ = FileManager.default.createFile(atPath: path, contents: Data(b))
            do throws(StreamError) {
                _ = try StreamFile.summarize(path: path)
            } catch {
                #expect(error.offset <= UInt64(b.count), "\(error)")
                #expect(!error.message.isEmpty)
            }
        }
    }
}
