import Testing
import HMP
@testable import hmp

@Suite("Option scanning")
struct QuickOptionScannerTests {
    /// Words a command line of hmp is made of: every option in both spellings, values good and
    /// bad, HMP words, and things that look like options.
    static let vocabulary: [String] = {
        var words: [String] = []
        for spec in CommandLineOptions.all {
            words.append("--" + spec.long)
            if let short = spec.short { words.append("-\(short)") }
            if spec.valueName != nil { words.append("--\(spec.long)=x") }
        }
        words += [
            "1G", "512", "5X", "virtual", "real", "json", "table", "qemu", "info", "migrate", "status", "-d", "unix:/tmp/x",
            "virtio2:qcow2:40G", "", "--", "-", "-x", "--frobnicate", "-cinfo", "info status; stop", "-1", "=", "--ram=",
            "/tmp/h", "vm1", "defer", "tcp:0:4444", "bash",
        ]
        return words
    }()

    @Test func readsTheCommonForms() throws {
        let options = try #require(
            QuickOptionScanner.scan(["--ram", "1G", "--clock=virtual", "-c", "info status", "--disk", "a:raw:1G", "--disk", "b:raw:2G", "--stop-on-error"]))
        #expect(options.ram == "1G")
        #expect(options.clock == "virtual")
        #expect(options.command == ["info status"])
        #expect(options.disk == ["a:raw:1G", "b:raw:2G"])
        #expect(options.stopOnError)
        #expect(QuickOptionScanner.scan(["info", "migrate", "--ram", "1G"])?.line == ["info", "migrate", "--ram", "1G"])
        #expect(QuickOptionScanner.scan([]) == RawOptions())
    }

    @Test func leavesEverythingElseToTheArgumentParser() {
        for arguments in [["--help"], ["-h"], ["--frobnicate"], ["--ram"], ["--ram", "--clock"], ["-cinfo"], ["--version=1"],
                          ["--complete", "--", "info"], ["--generate-man-page"], ["--ram", "1G", "--ram", "2G"], ["--", "info"]] {
            #expect(QuickOptionScanner.scan(arguments) == nil, "\(arguments)")
        }
    }

    /// Whatever the scanner accepts, swift-argument-parser reads the same way.
    @Test func agreesWithTheArgumentParser() {
        var rng = SeededGenerator(seed: 0x0971_0115)
        var accepted = 0
        for _ in 0..<3000 {
            let count = Int.random(in: 0...6, using: &rng)
            let arguments = (0..<count).map { _ in Self.vocabulary.randomElement(using: &rng)! }
            // swift-argument-parser answers this one anywhere on the line; hmp takes it out first.
            if arguments.contains(where: { $0.hasPrefix("--generate-completion-script") }) { continue }
            guard let quick = QuickOptionScanner.scan(arguments) else { continue }
            accepted += 1
            do {
                let parsed = try HMPCommandLine.parse(arguments).raw
                #expect(quick == parsed, "\(arguments)")
            } catch {
                Issue.record("swift-argument-parser refused \(arguments) that the scanner read: \(error)")
            }
        }
        #expect(accepted > 300)
    }
}
