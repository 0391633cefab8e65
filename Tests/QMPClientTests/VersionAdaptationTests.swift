import Backend
import QAPI
import QMPClient
import Testing

/// A remote schema in QEMU's masked form: a 7.2-like QEMU with fewer parameters and
/// capabilities than hmp's schema.
private let remote = SchemaIndex(
    try! JSONParser.parse(
        """
        [{"name": "migrate-set-parameters", "meta-type": "command", "arg-type": "1", "ret-type": "0"},
         {"name": "migrate-set-capabilities", "meta-type": "command", "arg-type": "2", "ret-type": "0"},
         {"name": "0", "meta-type": "object", "members": []},
         {"name": "1", "meta-type": "object", "members": [
            {"name": "max-bandwidth", "type": "int", "default": null},
            {"name": "compress-level", "type": "int", "default": null},
            {"name": "multifd-compression", "type": "5", "default": null}]},
         {"name": "2", "meta-type": "object", "members": [{"name": "capabilities", "type": "[3]"}]},
         {"name": "[3]", "meta-type": "array", "element-type": "3"},
         {"name": "3", "meta-type": "object", "members": [{"name": "capability", "type": "4"}, {"name": "state", "type": "bool"}]},
         {"name": "4", "meta-type": "enum", "values": ["xbzrle", "compress", "block"]},
         {"name": "5", "meta-type": "enum", "values": ["none", "zlib"]},
         {"name": "int", "meta-type": "builtin", "json-type": "int"}]
        """))

@Suite struct VersionAdaptationTests {
    @Test func aParameterTheRemoteLacksIsRefusedNamingTheVersion() {
        let arguments = MigrateSetParameters(directIo: true).qapi
        #expect(
            VersionAdaptation.refusal(command: "migrate-set-parameters", arguments: arguments, remote: remote, version: "7.2.22")
                == "QEMU 7.2.22 has no migration parameter 'direct-io'")
        #expect(
            VersionAdaptation.refusal(
                command: "migrate-set-parameters", arguments: MigrateSetParameters(maxBandwidth: 1).qapi, remote: remote, version: "7.2.22")
                == nil)
    }

    @Test func anEnumValueTheRemoteLacksIsRefused() {
        let zstd = MigrateSetParameters(multifdCompression: .zstd).qapi
        let refusal = VersionAdaptation.refusal(command: "migrate-set-parameters", arguments: zstd, remote: remote, version: "7.2.22")
        #expect(refusal == "QEMU 7.2.22 has no value 'zstd' for migration parameter 'multifd-compression' (it accepts: none, zlib)")
        let capability = MigrateSetCapabilitiesArguments(capabilities: [MigrationCapabilityStatus(capability: .multifd, state: true)]).qapi
        #expect(
            VersionAdaptation.refusal(command: "migrate-set-capabilities", arguments: capability, remote: remote, version: "7.2.22")
                == "QEMU 7.2.22 has no migration capability 'multifd'")
        #expect(
            VersionAdaptation.refusal(command: "query-jobs", arguments: .object([:]), remote: remote, version: "7.2.22")
                == "QEMU 7.2.22 has no command 'query-jobs'")
    }

    @Test func unknownMembersAndValuesAreKeptAsExtras() throws {
        let reply = try JSONParser.parse(
            #"[{"capability": "xbzrle", "state": false}, {"capability": "block", "state": true}]"#)
        var extras: [RemoteExtra] = []
        let fitted = try #require(VersionAdaptation.fit(reply, type: "[MigrationCapabilityStatus]", extras: &extras))
        #expect(try [MigrationCapabilityStatus](qapi: fitted).map(\.capability) == [.xbzrle])
        #expect(extras.map(\.name) == ["block"])
        #expect(extras.first?.shownValue == .bool(true))

        let parameters = try JSONParser.parse(#"{"max-bandwidth": 5, "compress-level": 1}"#)
        extras = []
        let kept = try #require(VersionAdaptation.fit(parameters, type: "MigrationParameters", extras: &extras))
        #expect(try MigrationParameters(qapi: kept).maxBandwidth == 5)
        #expect(extras == [RemoteExtra(path: ["compress-level"], value: .int(1))])
    }
}
