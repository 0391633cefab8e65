import HMP
import Testing

@testable import hmp

/// Shell completion builds the VM the options already typed describe (`hmp --disk ...
/// block_resize <TAB>` offers that disk, `--no-disks` none), and offers only the devices the
/// command can act on.
@Suite("completion of devices from the typed options")
struct CompletionDeviceTests {
    /// What `hmp --complete -- WORDS` prints.
    static func offers(_ words: [String]) throws -> [String] {
        guard case .options(let options) = try CommandLineParser.parse(["--complete", "--"] + words) else { return [] }
        let settings = try Settings(options)
        let backend = try BackendFactory.make(settings.machine)
        return ShellCompletion.candidates(words: words, session: HMPSession(backend: backend))
    }

    @Test func defaultDisksWithoutOptions() throws {
        #expect(try Self.offers(["block_resize", ""]).sorted() == ["virtio0", "virtio0-file", "virtio0-fmt"])
        #expect(try Self.offers(["eject", ""]) == ["ide1-cd0"])
    }

    @Test func typedDisksReplaceTheDefaults() throws {
        #expect(try Self.offers(["--disk", "data0:qcow2:10G", "block_resize", ""]).sorted() == ["data0", "data0-file", "data0-fmt"])
        #expect(try Self.offers(["--disk", "data0:qcow2:10G", "--disk", "cd0:cdrom", "eject", ""]) == ["cd0"])
        #expect(
            try Self.offers(["--disk=data0:raw:1G:ro", "--disk", "data1:qcow2:1G", "block_stream", ""]).sorted() == ["data0", "data1"])
        // The value of -c completes on the same VM.
        #expect(
            try Self.offers(["--disk", "data0:qcow2:10G", "-c", "block_resize d"]).sorted() == [
                "block_resize data0", "block_resize data0-file", "block_resize data0-fmt",
            ])
    }

    @Test func noDisksAndMachineNoneOfferNone() throws {
        #expect(try Self.offers(["--no-disks", "block_resize", ""]).isEmpty)
        #expect(try Self.offers(["--machine", "none", "info", "block", ""]).isEmpty)
        #expect(try !Self.offers(["info", "block", ""]).isEmpty)
    }

    /// Options that do not read yet leave the default VM, and nothing listens or runs.
    @Test func unreadableOptionsKeepTheDefaults() throws {
        #expect(try Self.offers(["--disk", "bogus", "block_resize", ""]).contains("virtio0"))
        #expect(try Self.offers(["--ram", "lots", "eject", ""]) == ["ide1-cd0"])
        guard case .options(let options) = try CommandLineParser.parse(["--complete", "--", "--incoming", "tcp:0:4444", "eject", ""])
        else { return }
        let settings = try Settings(options)
        #expect(settings.machine.incoming == nil && settings.machine.clock == .virtual)
    }
}
