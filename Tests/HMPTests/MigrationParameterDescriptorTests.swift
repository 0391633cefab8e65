import Foundation
import QAPI
import Testing

@testable import HMP

@Suite("Migration parameter descriptors")
struct MigrationParameterDescriptorTests {
    @Test func everyParameterOnce() {
        let names = MigrationParameterDescriptor.all.map(\.name)
        #expect(Set(names) == Set(MigrationParameter.allCases.map(\.rawValue)))
        #expect(names.count == MigrationParameter.allCases.count)
        for descriptor in MigrationParameterDescriptor.all {
            #expect(MigrationParameterDescriptor.named(descriptor.name)?.parameter == descriptor.parameter)
            #expect(!descriptor.help.isEmpty && !descriptor.valueHint.isEmpty)
        }
    }

    /// The release each parameter appeared in is the one the schema's documentation gives.
    @Test func releasesMatchTheSchema() throws {
        let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schema/migration.json")
        let text = try String(contentsOf: schema, encoding: .utf8)
        let start = try #require(text.range(of: "# @MigrationParameter:"))
        let end = try #require(text.range(of: "{ 'enum': 'MigrationParameter'", range: start.upperBound..<text.endIndex))
        // "# @name: ... (since X.Y)", a member's text running over several comment lines.
        let doc = text[start.upperBound..<end.lowerBound].replacingOccurrences(of: "\n#", with: " ")
        for descriptor in MigrationParameterDescriptor.all {
            let member = try #require(doc.range(of: "@\(descriptor.name):"), "\(descriptor.name)")
            let since = try #require(doc.range(of: "(since ", range: member.upperBound..<doc.endIndex))
            let version = doc[since.upperBound...].prefix { $0 != ")" }
            let release = descriptor.introducedIn
            #expect(version == "\(release.major).\(release.minor)", "\(descriptor.name)")
        }
    }

    /// What is set reads back: the value sent is the one the reply would hold, and both formats
    /// show it with the descriptor's unit.
    @Test(arguments: MigrationParameterDescriptor.all.filter { $0.reading != .qmpOnly })
    func setValuesShowInBothFormats(descriptor: MigrationParameterDescriptor) throws {
        let typed: String
        switch descriptor.reading {
        case .bool: typed = "on"
        case .enumeration: typed = descriptor.enumValues.last ?? ""
        case .string: typed = "x"
        default: typed = descriptor.unit == .bytes ? "64M" : "7"
        }
        let read = try descriptor.read(typed)
        // MigrateSetParameters and MigrationParameters share member names on the wire.
        let reply = try MigrationParameters(qapi: read.arguments.qapi)
        let row = try #require(descriptor.tableRows(reply).first)
        #expect(row[0] == descriptor.name)
        let qemu = descriptor.qemuLines(reply)
        if descriptor.qemuListing == .never {
            #expect(qemu.isEmpty)
        } else {
            #expect(qemu.hasPrefix(descriptor.name + ": "))
        }
        switch descriptor.unit {
        case .milliseconds: #expect(row[2] == "ms" && qemu.hasSuffix(" ms\n") && read.echo.hasSuffix(" ms"))
        case .percent: #expect(row[2] == "%" && read.echo.hasSuffix("%"))
        case .bytesPerSecond: #expect(row[2].hasSuffix("/s") && qemu.hasSuffix(" bytes/second\n"))
        case .bytes: #expect(row[1] == "64" && row[2] == "MiB" && qemu.hasSuffix(" bytes\n"))
        case .megabytesPerSecond: #expect(row[2] == "MiB/s" && qemu.hasSuffix(" MB/s\n"))
        default: #expect(row[2] == "")
        }
    }
}
