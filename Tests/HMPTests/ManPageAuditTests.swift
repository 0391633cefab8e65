import Foundation
import Testing

@testable import HMP

/// The man page and help must not contradict each other or the commands' behaviour.
@Suite struct ManPageAuditTests {
    static let rendered: String? = {
        guard let result = try? Tool.run("mandoc", ["-T", "utf8"], input: ManPage.render()) else { return nil }
        // mandoc's overstrike (bold, underline) removed: X\bX and _\bX.
        var text = ""
        for scalar in result.stdout.unicodeScalars {
            if scalar == "\u{8}" {
                if !text.isEmpty { text.unicodeScalars.removeLast() }
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return text
    }()

    /// A backslash meant as a line continuation in the source must not reach the page.
    @Test func noStrayBackslashes() throws {
        let text = try #require(Self.rendered, "mandoc is installed by scripts/install-deps.sh")
        let stray = text.split(separator: "\n").filter { $0.contains(" \\ ") || $0.hasSuffix(" \\") }
        #expect(stray.isEmpty, "\(stray)")
    }

    /// An argument is said once: its help and its unit note do not repeat each other.
    @Test func argumentsAreDescribedOnce() {
        func trigrams(_ text: String) -> Set<String> {
            let words = text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
            guard words.count >= 3 else { return [] }
            return Set((0...(words.count - 3)).map { words[$0..<($0 + 3)].joined(separator: " ") })
        }
        for command in CommandTable.standard.commands + CommandTable.standard.infoCommands {
            for argument in command.arguments {
                guard let note = argument.kind.unitNote else { continue }
                let shared = trigrams(argument.help).intersection(trigrams(note))
                #expect(shared.isEmpty, "\(command.name) \(argument.name): '\(argument.help)' repeats '\(note)'")
                #expect(
                    !argument.help.lowercased().contains(note.lowercased().prefix(12)),
                    "\(command.name) \(argument.name): '\(argument.help)' repeats '\(note)'")
            }
        }
    }

    /// What help shows as optional is optional, and what it shows as required is.
    @Test func optionalityAgreesWithTheText() {
        for command in CommandTable.standard.commands + CommandTable.standard.infoCommands {
            for argument in command.arguments where argument.shownOptional {
                #expect(!argument.help.contains("required"), "\(command.name) \(argument.name) is shown optional but says required")
            }
        }
        let snapshot = CommandTable.standard.command(named: "snapshot_blkdev")!
        #expect(snapshot.params == "[-n] device snapshot-file [format]")
    }

    @Test func jobCommandsSayWhatTheyDo() {
        let table = CommandTable.standard
        #expect(table.command(named: "block_job_complete")!.help.hasPrefix("complete "))
        #expect(table.command(named: "block_job_cancel")!.help.hasPrefix("stop "))
        #expect(ManPage.render().contains(".It Ic block_job_complete Ar device\nComplete an active background block operation."))
    }
}
