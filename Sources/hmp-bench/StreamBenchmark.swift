#if canImport(Glibc)
import Glibc
#endif
import Machine
import MigrationStream
import QAPI

// MARK: - Section: migration streams through a file

/// A 1 GiB guest with 10% non-zero pages written to a stream file, loaded back by another
/// VM (digests compared), and read by the decipherer.
func benchStreamFile() {
    print("== Migration stream of a 1 GiB guest, 10% non-zero pages, through a file")
    let directory = "/tmp/hmp-bench-\(getpid())"
    mkdir(directory, 0o700)
    let path = directory + "/stream.bin"
    defer {
        unlink(path)
        rmdir(directory)
    }
    let source = VirtualMachine(configuration: MachineConfiguration(ramSize: 1 << 30, workload: .idle(zeroPercent: 90)))

    var start = wallSeconds()
    let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
    var bytes: UInt64 = 0
    source.writeMigrationStream(runState: .running) { piece in
        _ = piece.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        bytes += UInt64(piece.count)
    }
    close(fd)
    let writeSeconds = wallSeconds() - start
    line(
        "write (stream into the page cache)",
        "\(format(writeSeconds * 1000, decimals: 1)) ms, \(format(Double(bytes) / writeSeconds / 1e9, decimals: 2)) GB/s of stream")
    line("stream size", "\(format(Double(bytes) / Double(1 << 20), decimals: 1)) MiB")

    start = wallSeconds()
    let destination = VirtualMachine(
        configuration: MachineConfiguration(
            ramSize: 1 << 30, workload: .idle(zeroPercent: 90), startState: .inmigrate, incomingURI: "file:\(path)"))
    let readSeconds = wallSeconds() - start
    let same = destination.ramDigest == source.ramDigest && destination.migration.incoming.status == .completed
    line("read and load (hashing every page)", "\(format(readSeconds * 1000, decimals: 1)) ms, digests \(same ? "equal" : "DIFFER")")

    start = wallSeconds()
    let summary = try? StreamFile.summarize(path: path)
    let decipherSeconds = wallSeconds() - start
    line(
        "decipherer (info migration_stream)", "\(format(decipherSeconds * 1000, decimals: 1)) ms, \(summary?.sections.count ?? 0) sections")
}
