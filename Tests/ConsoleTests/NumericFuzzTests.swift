import Foundation
import Testing
import HMP
import TestSupport
@testable import Console

/// Every number typed reaches arithmetic only after a range check: extreme values, with and
/// without units, in every argument position of every command, and sequences of huge waits.
/// `HMP_FUZZ_LINES` raises the line count for a longer run.
@Suite("Numeric extremes")
struct NumericFuzzTests {
    static let numbers: [String] = [
        "18446744073709551615ns", "18446744073709551615", "18446744073709551616", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "-1", "0", "1ns", "1", "4294967295", "4294967296", "2147483648",
        "1e308", "1e19", "-1e19", "0.0000001", "8760h", "8761h", "1h", "2s", "500ms", "1k", "16E", "7E", "1E", "8E",
        "20GiB", "1GiB/s", "10M", "100000B", "0x7fffffffffffffff", "0xffffffffffffffff", "99999999999999999999999h",
        "1.5", "inf", "-inf", "nan", "1.7976931348623157e308",
    ]

    static let parameters: [String] = {
        // Every parameter name `migrate_set_parameter` completes.
        let completer = HMPCompleter(session: makeTestSession())
        return completer.complete("migrate_set_parameter ").candidates
    }()

    static var lineCount: Int { ProcessInfo.processInfo.environment["HMP_FUZZ_LINES"].flatMap(Int.init) ?? 3000 }

    @Test func hugeSleepsNeverTrap() {
        let lines = [
            "sleep 18446744073709551615ns", "sleep 1ns", "sleep 1s", "sleep 18446744073709551615ns",
            "sleep 8760h", "sleep 8760h", "migrate -d tcp:1.2.3.4:5", "sleep 8760h", "info migrate", "info status",
        ]
        let result = runBatch(
            Array(
                (lines + Array(repeating: "sleep 8760h", count: 200) + ["info migrate", "savevm x", "info snapshots"]).joined(
                    separator: "\n"
                ).utf8))
        #expect(result.status == .failure)
        #expect(result.errors.contains("line 1: "))
        #expect(result.errors.contains("at most 8760h"))
    }

    @Test func extremeNumbersInEveryPosition() {
        var rng = SeededGenerator(seed: 0x4E_55_4D)
        let table = CommandTable.standard
        let names = table.allNames.filter { $0 != "quit" && $0 != "q" } + table.infoCommands.map { "info " + $0.name }
        let devices = ["virtio0", "virtio1", "ide1-cd0", "virtio0-fmt"]
        var lines: [String] = []
        for _ in 0..<Self.lineCount {
            var words = [names.randomElement(using: &rng)!]
            if words[0].hasPrefix("migrate_set_parameter") || words[0] == "migrate_set_parameter" {
                words.append(Self.parameters.randomElement(using: &rng) ?? "max-bandwidth")
            } else if Bool.random(using: &rng) {
                words.append(devices.randomElement(using: &rng)!)
            }
            for _ in 0..<Int.random(in: 0...3, using: &rng) { words.append(Self.numbers.randomElement(using: &rng)!) }
            lines.append(words.joined(separator: " "))
        }
        // Chunks keep one model's history short enough to read when something fails.
        for chunk in stride(from: 0, to: lines.count, by: 500) {
            let part = Array(lines[chunk..<min(chunk + 500, lines.count)])
            let result = runBatch(Array(part.joined(separator: "\n").utf8))
            #expect(result.status == .success || result.status == .failure)
            #expect(errorLinesAreLabelled(result.errors, lineCount: part.count), "\(result.errors.prefix(300))")
        }
    }
}
