import QAPI
import Testing
import TestSupport

@testable import HMP

/// `migrate_set_parameter` value rules (QEMU's hmp_migrate_set_parameter()): what each parameter sends, how the
/// table format confirms it, and every error text.
@Suite struct MigrationParameterValueTests {
    /// Parameter, typed value, the member sent (wire form), the table confirmation.
    @Test(
        arguments: [
            ("announce-initial", "50", ["announce-initial": 50], "50 ms"),
            ("announce-rounds", "5", ["announce-rounds": 5], "5"),
            ("announce-step", "0x10", ["announce-step": 16], "16 ms"),
            ("throttle-trigger-threshold", "80", ["throttle-trigger-threshold": 80], "80%"),
            ("cpu-throttle-initial", "030", ["cpu-throttle-initial": 24], "24%"),
            ("cpu-throttle-increment", "0x0a", ["cpu-throttle-increment": 10], "10%"),
            ("cpu-throttle-tailslow", "yes", ["cpu-throttle-tailslow": true], "on"),
            ("cpu-throttle-tailslow", "n", ["cpu-throttle-tailslow": false], "off"),
            ("max-cpu-throttle", "99", ["max-cpu-throttle": 99], "99%"),
            ("tls-creds", "tls0", ["tls-creds": "tls0"], "'tls0'"),
            ("tls-creds", "\"my creds\"", ["tls-creds": "my creds"], "'my creds'"),
            ("tls-creds", "\"\"", ["tls-creds": ""], "'' (TLS off)"),
            ("tls-hostname", "dst.example", ["tls-hostname": "dst.example"], "'dst.example'"),
            ("tls-hostname", "\"\"", ["tls-hostname": ""], "'' (the host name comes from the URI)"),
            ("tls-authz", "\"\"", ["tls-authz": ""], "'' (no authorization check)"),
            ("max-bandwidth", "1G", ["max-bandwidth": 1_073_741_824], "1 GiB/s (1073741824 bytes/s)"),
            ("max-bandwidth", "100", ["max-bandwidth": 104_857_600], "100 MiB/s (104857600 bytes/s)"),
            ("max-bandwidth", "1.5g", ["max-bandwidth": 1_610_612_736], "1.5 GiB/s (1610612736 bytes/s)"),
            ("max-bandwidth", "0x10", ["max-bandwidth": 16_777_216], "16 MiB/s (16777216 bytes/s)"),
            ("max-bandwidth", "512B", ["max-bandwidth": 512], "512 bytes/s"),
            ("max-bandwidth", "0", ["max-bandwidth": 0], "0 (unlimited)"),
            ("avail-switchover-bandwidth", "10", ["avail-switchover-bandwidth": 10_485_760], "10 MiB/s (10485760 bytes/s)"),
            ("max-postcopy-bandwidth", "100", ["max-postcopy-bandwidth": 100], "100 bytes/s"),
            ("max-postcopy-bandwidth", "100M", ["max-postcopy-bandwidth": 104_857_600], "100 MiB/s (104857600 bytes/s)"),
            ("downtime-limit", "500", ["downtime-limit": 500], "500 ms"),
            ("x-checkpoint-delay", "4294967295", ["x-checkpoint-delay": 4_294_967_295], "4294967295 ms"),
            ("multifd-channels", "8", ["multifd-channels": 8], "8"),
            ("multifd-compression", "zstd", ["multifd-compression": "zstd"], "zstd"),
            ("multifd-zlib-level", "9", ["multifd-zlib-level": 9], "9"),
            ("multifd-zstd-level", "20", ["multifd-zstd-level": 20], "20"),
            ("zero-page-detection", "legacy", ["zero-page-detection": "legacy"], "legacy"),
            ("xbzrle-cache-size", "128M", ["xbzrle-cache-size": 134_217_728], "128 MiB (134217728 bytes)"),
            ("xbzrle-cache-size", "4096", ["xbzrle-cache-size": 4096], "4 KiB (4096 bytes)"),
            ("x-vcpu-dirty-limit-period", "500", ["x-vcpu-dirty-limit-period": 500], "500 ms"),
            ("vcpu-dirty-limit", "200", ["vcpu-dirty-limit": 200], "200 MiB/s"),
            ("mode", "cpr-reboot", ["mode": "cpr-reboot"], "cpr-reboot"),
            ("direct-io", "on", ["direct-io": true], "on"),
        ] as [(String, String, JSONValue, String)])
    func accepted(name: String, value: String, sent: JSONValue, echo: String) throws {
        let parsed = try MigrationParameterValue.parse(name: name, value: value.hasPrefix("\"") ? unquote(value) : value)
        #expect(parsed.arguments.qapi == sent)
        #expect(parsed.echo == echo)
        // And through the console, where quotes are the parser's.
        let model = ModelSession()
        let result = model.run("migrate_set_parameter \(name) \(value)")
        #expect(result == HMPLineResult(output: "\(name) set to \(echo)\n", error: nil))
        #expect(model.sent("migrate-set-parameters") == sent)
        #expect(model.migrationParameters[name] == sent[name])
        #expect(model.session(.qemu).execute("migrate_set_parameter \(name) \(value)") == HMPLineResult(output: "", error: nil))
    }

    private func unquote(_ text: String) -> String { String(text.dropFirst().dropLast()) }

    /// Errors from the value rules: nothing is sent.
    @Test(arguments: [
        ("no-such", "1", "Error: invalid parameter value: no-such"),
        ("compress-level", "1", "Error: invalid parameter value: compress-level"),
        ("Max-Bandwidth", "1", "Error: invalid parameter value: Max-Bandwidth"),
        ("cpu-throttle-initial", "abc", "Error: Parameter 'cpu-throttle-initial' expects uint64"),
        ("cpu-throttle-initial", "256", "Error: Parameter 'cpu-throttle-initial' expects uint8_t"),
        ("cpu-throttle-initial", "-1", "Error: Parameter 'cpu-throttle-initial' expects uint8_t"),
        ("cpu-throttle-initial", "08", "Error: Parameter 'cpu-throttle-initial' expects uint64"),
        ("cpu-throttle-initial", "1.5", "Error: Parameter 'cpu-throttle-initial' expects uint64"),
        ("cpu-throttle-initial", "99999999999999999999", "Error: Parameter 'cpu-throttle-initial' expects uint64"),
        ("multifd-channels", "0x100", "Error: Parameter 'multifd-channels' expects uint8_t"),
        ("x-checkpoint-delay", "4294967296", "Error: Parameter 'x-checkpoint-delay' expects uint32_t"),
        ("cpu-throttle-tailslow", "maybe", "Error: Parameter 'cpu-throttle-tailslow' expects 'on' or 'off'"),
        ("direct-io", "ON", "Error: Parameter 'direct-io' expects 'on' or 'off'"),
        ("multifd-compression", "lz4", "Error: Parameter 'multifd-compression' does not accept value 'lz4'"),
        ("zero-page-detection", "Legacy", "Error: Parameter 'zero-page-detection' does not accept value 'Legacy'"),
        ("mode", "cpr-exec", "Error: Parameter 'mode' does not accept value 'cpr-exec'"),
        ("max-bandwidth", "fast", "Error: Invalid size fast"),
        ("max-bandwidth", "-1", "Error: Invalid size -1"),
        ("max-bandwidth", "8E", "Error: Invalid size 8E"),
        ("max-bandwidth", "10 M", "Error: Invalid size 10 M"),
        ("downtime-limit", "-5", "Error: Value '-5' is out of range for parameter 'downtime-limit'"),
        ("announce-rounds", "16E", "Error: Value '16E' is out of range for parameter 'announce-rounds'"),
        ("xbzrle-cache-size", "8E", "Error: Invalid size 8E"),
        ("block-bitmap-mapping", "[]", "Error: The block-bitmap-mapping parameter can only be set through QMP"),
        // HMP reads any uint8_t; the range is the model's (QEMU's migrate_params_check()).
        ("max-cpu-throttle", "255", "Error: Parameter 'max_cpu_throttle' expects an integer in the range of cpu_throttle_initial to 99"),
    ])
    func rejected(name: String, value: String, error: String) throws {
        // On the model itself: a value HMP cannot read never reaches it.
        let model = ModelSession()
        let before = try model.query(QueryMigrateParametersCommand.self, QAPIEmpty())
        // A name the model lacks is refused with the names it has, on a second line.
        let unknown = error.hasPrefix("Error: invalid parameter value")
        let expected = error + "\n" + (unknown ? "The parameters are: \(MigrationParameter.wireNames.joined(separator: ", "))\n" : "")
        // The table format words these its own way (TableWordingTests); it fails the same.
        #expect(model.run("migrate_set_parameter \(name) \(value)").error?.hasPrefix("Error: ") == true)
        #expect(model.session(.qemu).execute("migrate_set_parameter \(name) \(value)").error == expected)
        #expect(try model.query(QueryMigrateParametersCommand.self, QAPIEmpty()) == before)
    }

    /// Range checks are the backend's (here the model's, with QEMU's texts); a rejected value
    /// changes nothing.
    @Test func backendRangeChecksChangeNothing() throws {
        let model = ModelSession()
        let before = try model.query(QueryMigrateParametersCommand.self, QAPIEmpty())
        let table = model.run("info migrate_parameters").output
        #expect(
            model.run("migrate_set_parameter cpu-throttle-initial 0").error
                == "Error: Parameter 'cpu-throttle-initial' expects an integer from 1 to 99\n")
        #expect(
            model.run("migrate_set_parameter downtime-limit 3000000").error
                == "Error: Parameter 'downtime-limit' expects an integer from 0 to 2000000 ms\n")
        #expect(try model.query(QueryMigrateParametersCommand.self, QAPIEmpty()) == before)
        #expect(model.run("info migrate_parameters").output == table)
        let json = model.session(.json).execute("migrate_set_parameter cpu-throttle-initial 100")
        #expect(
            json.output
                == #"{"error": {"class": "GenericError", "desc": "Parameter 'cpu_throttle_initial' expects an integer in the range of 1 to 99"}}"#
                + "\n")
    }

    /// The QEMU traps: quotes are honoured, an empty string can be given, and what is stored
    /// reads back as typed.
    @Test func quotedStringsAreStoredWithoutQuotes() throws {
        let model = ModelSession()
        let s = model.session(.qemu)
        func stored() throws -> MigrationParameters { try model.query(QueryMigrateParametersCommand.self, QAPIEmpty()) }
        #expect(s.execute("migrate_set_parameter tls-creds \"x\"").succeeded)
        #expect(try stored().tlsCreds == "x")
        #expect(s.execute("migrate_set_parameter tls-hostname \"a \\\"b\\\"\"").succeeded)
        #expect(try stored().tlsHostname == "a \"b\"")
        #expect(s.execute("info migrate_parameters").output.contains("tls-creds: 'x'\ntls-hostname: 'a \"b\"'\n"))
        #expect(s.execute("migrate_set_parameter tls-creds \"\"").succeeded)
        #expect(try stored().tlsCreds == "")
        #expect(s.execute("migrate_set_parameter tls-authz authz0  ").succeeded)
        #expect(try stored().tlsAuthz == "authz0")
    }

    @Test func jsonConfirmsWithAnEmptyReturn() throws {
        let model = ModelSession()
        #expect(model.session(.json).execute("migrate_set_parameter max-bandwidth 1G").output == "{\"return\": {}}\n")
        #expect(try model.query(QueryMigrateParametersCommand.self, QAPIEmpty()).maxBandwidth == 1 << 30)
    }

    @Test func strtoullBase0() {
        let cases: [(String, UInt64?)] = [
            ("0", 0), ("10", 10), ("010", 8), ("0x1F", 31), ("0X1f", 31), (" 7", 7), ("+7", 7), ("-1", UInt64.max),
            ("-0", 0), ("", nil), ("-", nil), ("0x", nil), ("08", nil), ("1e3", nil), ("7 ", nil), ("18446744073709551615", .max),
            ("18446744073709551616", nil),
        ]
        for (text, value) in cases { #expect(MigrationParameterValue.strtoullBase0(text) == value, "\(text)") }
    }
}
