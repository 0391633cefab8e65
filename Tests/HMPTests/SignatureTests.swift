import Testing

@testable import HMP

/// Typed arguments with flags that take a value: the parser's rules fill the fields.
@Suite struct SignatureTests {
    struct Values: HMPArgumentValues {
        var timeout: UInt64?
        var count: Int64?
        var quiet = false
        var rest = ""
        static let signature = HMPSignature<Values>(
            .flag("t", "timeout", .duration, \.timeout, help: "how long"),
            .flag("c", "count", .int64, \.count, completion: .values(["1", "10"]), help: "how many"),
            .flag("q", "quiet", \.quiet, help: "say less"),
            .argument("rest", .rest, \.rest, help: "the rest"))
    }

    static let command = HMPCommand("probe", Values.self, help: "h", qmp: "x") { _, _ in .empty }
    static let table = CommandTable(commands: [command], infoCommands: [])

    func values(_ line: String) throws -> Values {
        let parsed = try #require(try HMPLineParser(table: Self.table).parse(line))
        return Values.signature.values(parsed.arguments)
    }

    func error(_ line: String) -> String? {
        do {
            _ = try HMPLineParser(table: Self.table).parse(line)
            return nil
        } catch {
            return error.text
        }
    }

    @Test func valuedFlagsFillTheirFields() throws {
        let v = try values("probe -t 2s -c 0x10 -q a b")
        #expect(v.timeout == 2_000_000_000)
        #expect(v.count == 16)
        #expect(v.quiet)
        #expect(v.rest == "a b")
        let long = try values("probe --count 3 --timeout 500ms x")
        #expect(long.count == 3)
        #expect(long.timeout == 500_000_000)
        #expect(!long.quiet)
        let none = try values("probe x")
        #expect(none.timeout == nil && none.count == nil)
    }

    @Test func theSignatureDeclaresTheRow() {
        let flags = Self.command.flags
        #expect(flags.map(\.name) == ["timeout", "count", "quiet"])
        #expect(flags.map(\.valueKind) == [.duration, .int64, nil])
        #expect(flags[1].completion == .values(["1", "10"]))
        #expect(Self.command.params == "[-t timeout] [-c count] [-q] rest")
    }

    @Test func badValuesAreRefused() {
        #expect(error("probe -t") != nil)
        #expect(error("probe -t soon x") != nil)
        #expect(error("probe -c many x") != nil)
    }
}
