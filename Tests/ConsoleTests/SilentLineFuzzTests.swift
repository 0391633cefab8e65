import HMP
import Machine
import QAPI
import Testing
import TestSupport

@testable import Console

/// Every command line that is not blank or a comment gets output or an error: a command that
/// succeeded says what it did (in the table format; QEMU's HMP is silent after many). Random
/// lines from the command table's vocabulary, mostly well formed, some junk, on the model on
/// the virtual clock.
@Suite("Silent lines")
struct SilentLineFuzzTests {
    /// Values an argument of each kind may take; strings name the model's things and their
    /// near misses.
    static let strings = [
        "virtio0", "virtio1", "ide1-cd0", "virtio0-fmt", "nosuch", "s1", "s2", "tcp:192.0.2.1:4444", "unix:/nonexistent/hmp.sock",
        "downtime-limit", "max-bandwidth", "tls-creds", "multifd-compression", "cpu-throttle-initial", "x-checkpoint-delay", "mode",
        "xbzrle", "events", "postcopy-ram", "auto-converge", "multifd", "dirty-bitmaps", "pause-before-switchover",
        "pre-switchover", "active", "completed", "zstd", "on", "off", "dirty-rate", "zero-pages", "hot-set", "bandwidth",
        "latency", "drop-link", "refuse-connection", "clear", "migration", "status", "job", "running", "paused", "qcow2", "raw",
        "/tmp/hmp-silent/target.qcow2", "1", "0", "300", "\"\"", "\"quoted value\"",
    ]
    static let junk = ["\"unterminated", "\"a\\qb\"", "{", "-z", "--", "18446744073709551616", "-1", "1e400", "é", "\u{1B}[31m"]

    static func value(_ kind: HMPArgumentKind, _ rng: inout SeededGenerator) -> String {
        switch kind {
        case .string, .filename, .blockDevice, .rest: strings.randomElement(using: &rng)!
        case .int32, .int64: ["0", "1", "2", "5", "10", "100", "0x10", "-1", "4096"].randomElement(using: &rng)!
        case .bytesPerSecond: ["0", "1", "10M", "10MiB/s", "4096"].randomElement(using: &rng)!
        case .displayFormat: ["/x", "/d", "/u", "/c"].randomElement(using: &rng)!
        case .size: ["0", "1", "1M", "1G", "20G", "512", "64k", "100000B", "1GiB"].randomElement(using: &rng)!
        case .float: ["0", "0.5", "1", "300ms", "2"].randomElement(using: &rng)!
        case .onOff: ["on", "off"].randomElement(using: &rng)!
        case .duration: ["1ms", "10ms", "100ms", "1s", "0"].randomElement(using: &rng)!
        case .jsonObject:
            [
                "{\"execute\": \"query-status\"}", "{\"execute\": \"stop\"}", "{\"execute\": \"cont\"}",
                "{\"execute\": \"query-migrate\"}", "{\"execute\": \"nope\"}",
            ].randomElement(using: &rng)!
        }
    }

    /// A line for `command`: each flag now and then, each argument mostly (optional ones
    /// half the time), sometimes a junk word.
    static func line(_ command: HMPCommand, name: String, _ rng: inout SeededGenerator) -> String {
        var words = [name]
        for flag in command.flags where Int.random(in: 0..<4, using: &rng) == 0 {
            words.append("-\(flag.letter)")
            if let kind = flag.valueKind { words.append(value(kind, &rng)) }
        }
        for argument in command.arguments {
            if argument.optional, Bool.random(using: &rng) { break }
            if Int.random(in: 0..<12, using: &rng) == 0 { break }
            words.append(value(argument.kind, &rng))
        }
        if Int.random(in: 0..<10, using: &rng) == 0 { words.append(junk.randomElement(using: &rng)!) }
        return words.joined(separator: " ")
    }

    /// Commands that end or hold the session: `quit` ends it (as QEMU's, silently), `watch`
    /// and `wait` are covered by their own tests.
    static let skipped: Set<String> = ["quit", "q", "watch", "wait"]

    /// The table format only: `--format qemu` is as silent as QEMU, and json prints QMP's
    /// replies (and `info events` a stream of events, which may be empty).
    @Test func everyLineGetsOutputOrAnError() {
        let format = OutputFormat.table
        var rng = SeededGenerator(seed: 0x5113_E7)
        let table = CommandTable.standard
        let commands = table.commands.filter { !Self.skipped.contains($0.name) && $0.subTable == nil }
        let infos = table.infoCommands
        // Small RAM: `info guest` digests all of it.
        var configuration = MachineConfiguration()
        configuration.ramSize = 16 << 20
        var model = ModelSession(format: format, configuration: configuration)
        var silent: [String] = []
        var lines = 0
        for round in 0..<2_000 {
            // A fresh VM now and then, so that runs do not all end in the same state.
            if round % 200 == 0 { model = ModelSession(format: format, configuration: configuration) }
            for _ in 0..<10 {
                let text: String
                let kind = Int.random(in: 0..<10, using: &rng)
                if kind == 0 {
                    // Junk: words from anywhere, controls, separators.
                    let words = Self.strings + Self.junk + ["\u{B}", "\r", "/", "@all", "@", ";", "#", "\u{0}", "\u{A0}", "info"]
                    text = (0..<Int.random(in: 1...4, using: &rng)).map { _ in words.randomElement(using: &rng)! }.joined(separator: " ")
                } else if kind <= 2 {
                    let info = infos.randomElement(using: &rng)!
                    text = Self.line(info, name: "info \(info.name)", &rng)
                } else {
                    let command = commands.randomElement(using: &rng)!
                    text = Self.line(command, name: ([command.name] + command.aliases).randomElement(using: &rng)!, &rng)
                }
                for command in BatchRunner.commands(in: text) where !BatchRunner.isBlank(command) {
                    lines += 1
                    let result = model.run(command)
                    if result.output.isEmpty && result.error == nil { silent.append(command) }
                }
            }
        }
        #expect(lines >= 19_000)
        #expect(silent.isEmpty, "\(silent.count) silent lines, e.g. \(Array(Set(silent)).sorted().prefix(40))")
    }
}
