import Foundation
import Testing

@testable import HMP

/// Runs a tool with `input` on standard input; nil when the tool is not installed.
enum Tool {
    static func path(_ name: String) -> String? {
        for dir in ["/usr/bin", "/usr/local/bin", "/bin", "/opt/homebrew/bin"]
        where FileManager.default.isExecutableFile(atPath: dir + "/" + name) {
            return dir + "/" + name
        }
        return nil
    }

    static func run(
        _ name: String, _ arguments: [String], input: String, environment: [String: String] = [:]
    )
        throws -> (stdout: String, stderr: String, status: Int32)?
    {
        guard let path = path(name) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Read both pipes while the tool runs, so a long page cannot fill one and stall it.
        nonisolated(unsafe) var out = Data()
        nonisolated(unsafe) var err = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            out = stdout.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            err = stderr.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        group.wait()
        process.waitUntilExit()
        return (String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self), process.terminationStatus)
    }

    /// Writes `text` to a temporary file for tools that want a path.
    static func withFile<T>(_ text: String, _ body: (String) throws -> T) throws -> T {
        let path = NSTemporaryDirectory() + "hmp-manpage-\(UUID().uuidString).1"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }
}

@Suite("Man page")
struct ManPageTests {
    static let page = ManPage.render()

    /// The version the committed page was generated with (`hmp` passes its own).
    static func committedVersion(_ text: String) -> String? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(".Os ") }) else { return nil }
        let words = line.split(separator: " ")
        return words.count > 2 ? String(words[2]) : nil
    }

    @Test("man/hmp.1 is what `make docs` would write")
    func fresh() throws {
        let committed = try #require(RepositoryRoot.read("man/hmp.1"), "man/hmp.1 is missing: run `make docs`")
        let rendered = ManPage.render(version: Self.committedVersion(committed))
        #expect(committed == rendered, "man/hmp.1 is stale: run `make docs`")
    }

    @Test func everyCommandHasAnEntry() {
        let table = CommandTable.standard
        #expect(!table.commands.isEmpty)
        for command in table.commands {
            #expect(Self.page.contains("\n.It " + ManPage.usage(command, prefix: nil) + "\n"), "no entry for \(command.name)")
            for alias in command.aliases {
                #expect(Self.page.contains("`\(alias)`") || Self.page.contains(".Ql " + MdocWriter.code(alias)))
            }
        }
        for command in table.infoCommands {
            #expect(Self.page.contains("\n.It " + ManPage.usage(command, prefix: "info") + "\n"), "no entry for info \(command.name)")
        }
    }

    @Test func everyVisibleOptionIsDocumented() {
        for spec in CommandLineOptions.all {
            let head =
                ".It " + (spec.short != nil ? ManPage.optionUsage(spec, short: true) + " , " : "") + ManPage.optionUsage(spec, short: false)
            #expect(Self.page.contains("\n" + head + "\n") == !spec.hidden, "--\(spec.long)")
            if let value = spec.defaultValue, !spec.hidden { #expect(Self.page.contains("Default:\n.Ql \(MdocWriter.code(value))")) }
        }
    }

    @Test func sections() {
        let titles = Self.page.split(separator: "\n").filter { $0.hasPrefix(".Sh ") }.map { String($0.dropFirst(4)) }
        #expect(
            titles == [
                "NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "OUTPUT FORMATS", "ENVIRONMENT", "FILES",
                "EXIT STATUS", "EXAMPLES", "SEE ALSO",
            ])
        for variable in ["XDG_STATE_HOME", "HOME", "NO_COLOR", "TERM"] { #expect(Self.page.contains(".It Ev \(variable)\n")) }
        for reference in [".Xr qemu-system 1", ".Xr qemu-qmp-ref 7", ".Xr virsh 1"] { #expect(Self.page.contains(reference)) }
        #expect(Self.page.contains(".It 0\n") && Self.page.contains(".It 1\n") && Self.page.contains(".It 2\n"))
    }

    @Test func noTextLineCanBeReadAsARequest() {
        var literal = false
        for line in Self.page.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix(".Bd -literal") { literal = true }
            if line == ".Ed" { literal = false }
            #expect(!line.hasPrefix("'"), "\(line)")
            if literal { continue }
            #expect(!line.isEmpty, "a blank line in the page")
            #expect(!line.hasPrefix(" "), "\(line)")
        }
        #expect(Self.page.hasSuffix("\n"))
    }

    // MARK: Escaping

    @Test func minusSignsForOptionsHyphensInWords() {
        #expect(MdocWriter.prose("use --format json or -c") == "use \\-\\-format json or \\-c")
        #expect(MdocWriter.prose("max-bandwidth and x-checkpoint-delay") == "max-bandwidth and x-checkpoint-delay")
        #expect(MdocWriter.prose("(-d) and a back\\slash") == "(\\-d) and a back\\eslash")
        #expect(MdocWriter.code("query-migrate") == "query\\-migrate")
    }

    @Test func macroWordsAndDelimitersAreProtected() {
        #expect(MdocWriter.code("?") == "\\&?")
        #expect(MdocWriter.code("Op") == "\\&Op")
        #expect(MdocWriter.code("Error:") == "Error\\&:")
        #expect(MdocWriter.code("virtio0") == "virtio0")
        #expect(MdocWriter.protectLineStart(".hidden") == "\\&.hidden")
        #expect(MdocWriter.protectLineStart("'quoted") == "\\&'quoted")
    }

    @Test func proseLines() {
        var writer = MdocWriter()
        writer.text("Run `help info`, then `info mi`. Next (`quit`) ends it; e.g. this.")
        #expect(writer.lines == ["Run", ".Ql help info ,", "then", ".Ql info mi .", "Next", ".Ql ( quit )", "ends it; e.g. this."])
        #expect(MdocWriter.sentences("One. Two? e.g. three. 4 items") == ["One.", "Two? e.g. three.", "4 items"])
        #expect(MdocWriter.wrap(String(repeating: "word ", count: 40)).allSatisfy { $0.utf8.count <= 80 })
        #expect(MdocWriter.wrap("see e.g.", width: 5) == ["see", "e.g.\\&"])
    }

    @Test func helpSentences() {
        #expect(ManPage.sentence("resize a block image") == "Resize a block image.")
        #expect(ManPage.sentence("bps_rd: bytes per second") == "bps_rd: bytes per second.")
        #expect(ManPage.sentence("Done?") == "Done?")
        #expect(ManPage.qmpText("migrate {uri, resume}") == "`migrate` {uri, resume}.")
        #expect(ManPage.qmpText("none (local)") == "none (local).")
    }

    // MARK: The page through real formatters

    static let hasMandoc = Tool.path("mandoc") != nil
    static let hasMan = Tool.path("man") != nil

    @Test("mandoc -T lint -W warning finds nothing", .enabled(if: hasMandoc))
    func mandocLint() throws {
        let result = try #require(try Tool.withFile(Self.page) { try Tool.run("mandoc", ["-T", "lint", "-W", "warning", $0], input: "") })
        #expect(result.stdout + result.stderr == "")
        #expect(result.status == 0)
    }

    @Test("a table with awkward text still lints clean", .enabled(if: hasMandoc))
    func awkwardText() throws {
        struct Odd: HMPArgumentValues {
            var mode: String?
            var path = ""
            var rest: String?
            static let signature = HMPSignature<Self>(
                .flag("x", "mode", .string, \.mode, help: ".starts with a dot"),
                .argument("path", .filename, \.path, help: "'starts with a quote\\ and a backslash"),
                .argument("rest", .rest, \.rest, help: "--long -s \"quoted\""))
        }
        let table = CommandTable(
            commands: [
                HMPCommand(
                    "odd_cmd", aliases: ["?", "Op"], Odd.self,
                    help: "do `odd` things, e.g. `a.b`.", qmp: "query-status; then something",
                    details: "Line one. .Sh NOT A SECTION\n'also not a request. A `code span`: `Error:` (`x`).",
                    handler: { _, _ in .empty })
            ],
            infoCommands: [])
        let page = ManPage.render(table: table, options: CommandLineOptions.all, version: "9.9")
        #expect(page.contains("\\&.Sh NOT A SECTION") || page.contains("\n\\&.Sh") || !page.contains("\n.Sh NOT"))
        let result = try #require(try Tool.withFile(page) { try Tool.run("mandoc", ["-T", "lint", "-W", "warning", $0], input: "") })
        #expect(result.stdout + result.stderr == "")
        let text = try #require(try Tool.withFile(page) { try Tool.run("mandoc", ["-T", "ascii", "-O", "width=300", $0], input: "") })
        #expect(Self.plain(text.stdout).contains("odd_cmd"))
        #expect(Self.plain(text.stdout).contains("Line one. .Sh NOT A SECTION 'also not a request."))
    }

    /// mandoc's terminal text without the overstrike it uses for bold and underline (a
    /// character and a backspace before the shown one).
    static func plain(_ text: String) -> String {
        text.replacingOccurrences(of: ".\u{8}", with: "", options: .regularExpression)
    }

    @Test("man -l renders without a message", .enabled(if: hasMan))
    func manRenders() throws {
        let result = try #require(
            try Tool.withFile(Self.page) {
                try Tool.run("man", ["-l", $0], input: "", environment: ["MANWIDTH": "80", "MANPAGER": "cat", "PAGER": "cat"])
            })
        #expect(result.stderr == "")
        #expect(result.status == 0)
        #expect(result.stdout.contains("SYNOPSIS"))
    }

    @Test("every command shows up in the rendered text", .enabled(if: hasMandoc))
    func renderedCommands() throws {
        let result = try #require(
            try Tool.withFile(Self.page) { try Tool.run("mandoc", ["-T", "ascii", "-O", "width=80", $0], input: "") })
        let text = Self.plain(result.stdout)
        for command in CommandTable.standard.commands { #expect(text.contains(command.name), "\(command.name)") }
        for command in CommandTable.standard.infoCommands { #expect(text.contains("info " + command.name), "info \(command.name)") }
        for spec in CommandLineOptions.all where !spec.hidden { #expect(text.contains("--" + spec.long), "--\(spec.long)") }
    }
}
