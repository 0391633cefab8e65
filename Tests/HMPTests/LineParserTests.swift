import QAPI
import Testing

@testable import HMP

/// The parser core on a small table of its own, so every argument kind and rule is covered
/// independently of the real commands.
@Suite struct LineParserTests {
    static let noop: HMPHandler = { _ in .empty }
    static let table = CommandTable(
        commands: [
            HMPCommand(
                "migrate", flags: [HMPFlag("d", "detach", help: "d"), HMPFlag("r", "resume", help: "r")],
                arguments: [HMPArgument("uri", .string, help: "u")], help: "h", qmp: "migrate", handler: noop),
            HMPCommand(
                "limit", arguments: [HMPArgument("rate", .int64, help: "r"), HMPArgument("cpu", .int64, optional: true, help: "c")],
                help: "h", qmp: "x", handler: noop),
            HMPCommand(
                "resize", flags: [HMPFlag("f", "force", help: "f")],
                arguments: [HMPArgument("device", .blockDevice, help: "d"), HMPArgument("size", .size(.mebibytes), help: "s")],
                help: "h", qmp: "x", handler: noop),
            HMPCommand(
                "setp", arguments: [HMPArgument("name", .string, help: "n"), HMPArgument("value", .rest, help: "v")],
                help: "h", qmp: "x", handler: noop),
            HMPCommand(
                "cap", arguments: [HMPArgument("name", .string, help: "n"), HMPArgument("state", .onOff, help: "s")],
                help: "h", qmp: "x", handler: noop),
            HMPCommand("small", arguments: [HMPArgument("n", .int32, help: "n")], help: "h", qmp: "x", handler: noop),
            HMPCommand("nap", arguments: [HMPArgument("d", .duration, help: "d")], help: "h", qmp: "x", handler: noop),
            HMPCommand(
                "raw", arguments: [HMPArgument("cmd", .string, help: "c"), HMPArgument("args", .jsonObject, optional: true, help: "a")],
                help: "h", qmp: "x", handler: noop),
            HMPCommand("quit", aliases: ["q"], help: "h", qmp: "quit", handler: noop),
            HMPCommand("info", arguments: [HMPArgument("item", .string, optional: true, help: "i")], help: "h", qmp: "x", handler: noop),
        ],
        infoCommands: [HMPCommand("migrate", flags: [HMPFlag("a", "all", help: "a")], help: "h", qmp: "query-migrate", handler: noop)])

    func parse(_ line: String) throws(HMPError) -> HMPLineParser.Parsed? { try HMPLineParser(table: Self.table).parse(line) }

    func error(_ line: String) -> String? {
        do {
            _ = try parse(line)
            return nil
        } catch {
            return error.text
        }
    }

    @Test func flagsInAnyOrderAndPlace() throws {
        for line in ["migrate -d -r tcp:h:1", "migrate -r -d tcp:h:1", "migrate -d tcp:h:1 -r", "  migrate   -r   tcp:h:1  -d "] {
            let p = try #require(try parse(line))
            #expect(p.arguments.flags == ["detach", "resume"], "\(line)")
            #expect(p.arguments.string("uri") == "tcp:h:1")
        }
        #expect(try parse("migrate -- -d")?.arguments.string("uri") == "-d")
        #expect(try parse("migrate -file")?.arguments.string("uri") == "-file")
    }

    @Test func negativeNumbersStaySeparate() throws {
        let p = try #require(try parse("limit 10 -1"))
        #expect(p.arguments.integer("rate") == 10)
        #expect(p.arguments.integer("cpu") == -1)
        #expect(try parse("limit 10 - 1")?.arguments.integer("rate") == 9)
        #expect(try parse("limit 0x10")?.arguments.integer("rate") == 16)
    }

    @Test func sizesKeepTheirUnit() throws {
        let bare = try #require(try parse("resize virtio0 10")?.arguments.size("size"))
        #expect(bare.bytes == 10 << 20 && !bare.hasSuffix)
        let giga = try #require(try parse("resize virtio0 1.5G")?.arguments.size("size"))
        #expect(giga.bytes == 3 << 29 && giga.hasSuffix)
    }

    @Test func restOfLineHonoursQuotes() throws {
        #expect(try parse("setp tls-creds \"my creds\"")?.arguments.string("value") == "my creds")
        #expect(try parse("setp tls-creds \"\"")?.arguments.string("value") == "")
        #expect(try parse("setp cpr-exec-command a b  c  ")?.arguments.string("value") == "a b  c")
    }

    @Test func infoSubcommands() throws {
        let p = try #require(try parse("info migrate -a"))
        #expect(p.typedName == "info migrate")
        #expect(p.arguments.flag("all"))
        #expect(try parse("q")?.command.name == "quit")
        #expect(try parse("   ") == nil)
    }

    @Test func jsonArguments() throws {
        #expect(try parse(#"raw x {"a": [1, 2]}"#)?.arguments.json("args") == ["a": [1, 2]])
    }

    @Test(arguments: [
        ("foo", "unknown command: 'foo'"),
        ("info foo", "unknown command: 'info foo'"),
        ("migrate", "migrate: string expected\nTry \"help migrate\" for more information"),
        ("migrate -x tcp:h:1", "migrate: unsupported option -x\nTry \"help migrate\" for more information"),
        ("migrate a b", "migrate: extraneous characters at the end of line\nTry \"help migrate\" for more information"),
        ("migrate \"abc", "unterminated string\nmigrate: string expected\nTry \"help migrate\" for more information"),
        ("migrate \"a\\qb\"", "unsupported escape code: '\\q'\nmigrate: string expected\nTry \"help migrate\" for more information"),
        ("resize", "resize: block device name expected\nTry \"help resize\" for more information"),
        ("resize d", "invalid size\nTry \"help resize\" for more information"),
        ("resize d 10x", "resize: extraneous characters at the end of line\nTry \"help resize\" for more information"),
        ("resize d -5", "invalid size\nTry \"help resize\" for more information"),
        ("resize d 16E", "invalid size\nTry \"help resize\" for more information"),
        ("cap xbzrle yes", "Expected 'on' or 'off'\nTry \"help cap\" for more information"),
        ("cap xbzrle", "Expected 'on' or 'off'\nTry \"help cap\" for more information"),
        ("limit", "unexpected end of expression\nTry \"help limit\" for more information"),
        ("limit 1/0", "division by zero\nTry \"help limit\" for more information"),
        ("small -1", "'small' has failed: integer is for 32-bit values\nTry \"help small\" for more information"),
        ("setp x", "setp: string expected\nTry \"help setp\" for more information"),
        (
            "nap soon",
            "nap: invalid duration 'soon': expected a non-negative number with an optional unit ns, us, ms, s, m or h (for example 500ms, 1.5s, 2m); a bare number means seconds\nTry \"help nap\" for more information"
        ),
        ("raw x [1]", "raw: arguments must be a JSON object, like {\"key\": 1}\nTry \"help raw\" for more information"),
        ("info migrate -z", "info migrate: unsupported option -z\nTry \"help info migrate\" for more information"),
    ])
    func errorTexts(line: String, expected: String) {
        #expect(error(line) == expected)
    }

    @Test func neverTrapsOnRandomInput() {
        var state: UInt64 = 12345
        let pieces = [
            "migrate", "-d", "-r", "\"", "\\", "resize", "10G", "-1", "0x", "(", ")", "'", "info", " ", "limit", "1e9",
            "é", "\u{0}", "setp", "{", "}", "raw", "q", "-", "--", "cap", "on",
        ]
        for _ in 0..<5000 {
            var line = ""
            for _ in 0..<Int(state % 7) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                line += pieces[Int(state >> 33) % pieces.count] + (state & 1 == 0 ? " " : "")
            }
            state = state &* 6364136223846793005 &+ 1442695040888963407
            _ = try? parse(line)
        }
    }
}
