import Testing
import TestSupport

@testable import HMP

/// `--format qemu` help against QEMU 10.2's: Tests/Golden/qemu-10.2/help.txt holds what QEMU
/// 10.2's `help` and `help info` print (every command, continuation lines included).
@Suite struct QEMUHelpTextTests {
    /// The entries of a help listing by command (`migrate`, `info migrate`), each with its
    /// continuation lines.
    static func entries(_ text: String) -> [String: String] {
        var entries: [String: String] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("\t"), let key = current {
                entries[key, default: ""] += "\n" + line
                continue
            }
            guard !line.isEmpty else { continue }
            let words = line.split(separator: " ").map(String.init)
            let name = words[0] == "info" && words.count > 1 ? "info " + words[1] : words[0]
            let key = String(name.split(separator: "|")[0])
            entries[key] = line
            current = key
        }
        return entries
    }

    /// Where hmp's line differs on purpose: flags hmp adds (shown so that they can be found),
    /// and block_job_complete, whose QEMU text says it stops the job.
    static let differOnPurpose: Set<String> = ["block_resize", "info migrate", "block_job_complete"]

    static func differences() -> (shared: Int, differing: [String: (qemu: String, hmp: String)]) {
        let qemu = entries(GoldenFile.text("qemu-10.2/help.txt"))
        let session = ModelSession(format: .qemu)
        let hmp = entries(session.run("help").output + session.run("help info").output)
        let shared = Set(qemu.keys).intersection(hmp.keys)
        var differing: [String: (String, String)] = [:]
        for key in shared where qemu[key] != hmp[key] { differing[key] = (qemu[key]!, hmp[key]!) }
        return (shared.count, differing)
    }

    @Test func sharedCommandsPrintQEMUText() {
        let (shared, differing) = Self.differences()
        #expect(shared >= 40)
        for (key, lines) in differing.sorted(by: { $0.key < $1.key }) where !Self.differOnPurpose.contains(key) {
            Issue.record(
                "help for \(key) differs from QEMU 10.2's:\nQEMU: \(lines.qemu.debugDescription)\nhmp:  \(lines.hmp.debugDescription)")
        }
        #expect(Set(differing.keys) == Self.differOnPurpose)
    }

    /// `help CMD` in QEMU's format is QEMU's line, continuation lines and all.
    @Test func helpForOneCommand() {
        let session = ModelSession(format: .qemu)
        #expect(session.run("help quit").output == "quit|q  -- quit the emulator\n")
        #expect(session.run("help savevm").output == "savevm tag -- save a VM snapshot. If no tag is provided, a new snapshot is created\n")
        #expect(
            session.run("help migrate").output
                == "migrate [-d] [-r] uri -- migrate to URI (using -d to not wait for completion)\n\t\t\t -r to resume a paused postcopy migration\n"
        )
        #expect(session.run("help info version").output == "info version  -- show the version of QEMU\n")
    }

    /// The table format keeps hmp's one-line wording and says what the command really does.
    @Test func tableFormatKeepsItsOwnWording() {
        let listing = ModelSession().run("help").output
        #expect(listing.contains("quit|q  -- quit the console\n"))
        #expect(listing.contains("savevm [tag] -- "))
        #expect(listing.contains("block_job_complete device -- complete an active background block operation\n"))
        #expect(listing.contains("snapshot_blkdev [-n] device snapshot-file [format] -- "))
        #expect(!listing.contains("\t"))
    }

    /// Every QEMU text names a command of the table (a renamed command cannot leave one behind).
    @Test func everyQEMUTextNamesACommand() {
        let table = CommandTable.standard
        for key in QEMUHelpText.lines.keys {
            let words = key.split(separator: " ").map(String.init)
            let command = table.command(named: words[0])
            let found = words.count == 1 ? command : command?.subcommand(named: words[1])
            #expect(found != nil, "\(key) is not a command")
        }
    }
}
