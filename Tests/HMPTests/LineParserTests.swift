import QAPI
import Testing

@testable import HMP

/// The parser core on a small table of its own, so every argument kind and rule is covered
/// independently of the real commands.
@Suite struct LineParserTests {
    struct Migrate: HMPArgumentValues {
        var detach = false
        var resume = false
        var uri = ""
        static let signature = HMPSignature<Self>(
            .flag("d", "detach", \.detach, help: "d"), .flag("r", "resume", \.resume, help: "r"),
            .argument("uri", .string, \.uri, help: "u"))
    }
    struct Limit: HMPArgumentValues {
        var rate: Int64 = 0
        var cpu: Int64?
        static let signature = HMPSignature<Self>(.argument("rate", .int64, \.rate, help: "r"), .argument("cpu", .int64, \.cpu, help: "c"))
    }
    struct Resize: HMPArgumentValues {
        var force = false
        var device = ""
        var size = ParsedSize(bytes: 0)
        static let signature = HMPSignature<Self>(
            .flag("f", "force", \.force, help: "f"), .argument("device", .blockDevice, \.device, help: "d"),
            .argument("size", .size(.mebibytes), \.size, help: "s"))
    }
    struct SetParameter: HMPArgumentValues {
        var name = ""
        var value = ""
        static let signature = HMPSignature<Self>(
            .argument("name", .string, \.name, help: "n"), .argument("value", .rest, \.value, help: "v"))
    }
    struct Capability: HMPArgumentValues {
        var name = ""
        var state = false
        static let signature = HMPSignature<Self>(
            .argument("name", .string, \.name, help: "n"), .argument("state", .onOff, \.state, help: "s"))
    }
    struct Small: HMPArgumentValues {
        var n: Int64 = 0
        static let signature = HMPSignature<Self>(.argument("n", .int32, \.n, help: "n"))
    }
    struct Nap: HMPArgumentValues {
        var d: UInt64 = 0
        static let signature = HMPSignature<Self>(.argument("d", .duration, \.d, help: "d"))
    }
    struct Raw: HMPArgumentValues {
        var cmd = ""
        var args: JSONValue?
        static let signature = HMPSignature<Self>(
            .argument("cmd", .string, \.cmd, help: "c"), .argument("args", .jsonObject, \.args, help: "a"))
    }
    struct Info: HMPArgumentValues {
        var item: String?
        static let signature = HMPSignature<Self>(.argument("item", .string, \.item, help: "i"))
    }
    struct InfoMigrate: HMPArgumentValues {
        var all = false
        static let signature = HMPSignature<Self>(.flag("a", "all", \.all, help: "a"))
    }

    static func row<Values: HMPArgumentValues>(_ name: String, _ values: Values.Type, qmp: String = "x") -> HMPCommand {
        HMPCommand(name, values, help: "h", qmp: qmp, handler: { _, _ in .empty })
    }

    static let table = CommandTable(
        commands: [
            row("migrate", Migrate.self, qmp: "migrate"), row("limit", Limit.self), row("resize", Resize.self),
            row("setp", SetParameter.self), row("cap", Capability.self), row("small", Small.self), row("nap", Nap.self),
            row("raw", Raw.self), HMPCommand("quit", aliases: ["q"], help: "h", qmp: "quit", handler: { _ in .empty }),
            row("info", Info.self),
        ],
        infoCommands: [row("migrate", InfoMigrate.self, qmp: "query-migrate")])

    func parse(_ line: String) throws(HMPError) -> HMPLineParser.Parsed? { try HMPLineParser(table: Self.table).parse(line) }

    /// The typed values a line fills, as the command's handler receives them.
    func values<Values: HMPArgumentValues>(_ line: String, _ type: Values.Type) throws(HMPError) -> Values? {
        try parse(line).map { Values.signature.values($0.arguments) }
    }

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
            #expect(Migrate.signature.values(p.arguments).uri == "tcp:h:1")
        }
        #expect(try values("migrate -- -d", Migrate.self)?.uri == "-d")
        #expect(try values("migrate -file", Migrate.self)?.uri == "-file")
    }

    @Test func negativeNumbersStaySeparate() throws {
        let p = try #require(try values("limit 10 -1", Limit.self))
        #expect(p.rate == 10)
        #expect(p.cpu == -1)
        #expect(try values("limit 10 - 1", Limit.self)?.rate == 9)
        #expect(try values("limit 0x10", Limit.self)?.rate == 16)
    }

    @Test func sizesKeepTheirUnit() throws {
        let bare = try #require(try values("resize virtio0 10", Resize.self)?.size)
        #expect(bare.bytes == 10 << 20 && !bare.hasSuffix)
        let giga = try #require(try values("resize virtio0 1.5G", Resize.self)?.size)
        #expect(giga.bytes == 3 << 29 && giga.hasSuffix)
    }

    @Test func restOfLineHonoursQuotes() throws {
        #expect(try values("setp tls-creds \"my creds\"", SetParameter.self)?.value == "my creds")
        #expect(try values("setp tls-creds \"\"", SetParameter.self)?.value == "")
        #expect(try values("setp cpr-exec-command a b  c  ", SetParameter.self)?.value == "a b  c")
    }

    @Test func infoSubcommands() throws {
        let p = try #require(try parse("info migrate -a"))
        #expect(p.typedName == "info migrate")
        #expect(InfoMigrate.signature.values(p.arguments).all)
        #expect(try parse("q")?.command.name == "quit")
        #expect(try parse("   ") == nil)
    }

    @Test func jsonArguments() throws {
        #expect(try values(#"raw x {"a": [1, 2]}"#, Raw.self)?.args == ["a": [1, 2]])
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
