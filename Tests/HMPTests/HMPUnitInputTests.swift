import QAPI
import Testing
import TestSupport

@testable import HMP

/// The table format also reads the units hmp prints; `--format qemu` keeps QEMU's rules.
@Suite struct HMPUnitInputTests {
    @Test(
        arguments: [
            ("xbzrle-cache-size", "1GiB", ["xbzrle-cache-size": 1_073_741_824], "1 GiB (1073741824 bytes)"),
            ("xbzrle-cache-size", "16GiB", ["xbzrle-cache-size": 17_179_869_184], "16 GiB (17179869184 bytes)"),
            ("max-bandwidth", "1GiB/s", ["max-bandwidth": 1_073_741_824], "1 GiB/s (1073741824 bytes/s)"),
            ("max-bandwidth", "64MiB/s", ["max-bandwidth": 67_108_864], "64 MiB/s (67108864 bytes/s)"),
            ("max-postcopy-bandwidth", "64MiB/s", ["max-postcopy-bandwidth": 67_108_864], "64 MiB/s (67108864 bytes/s)"),
            ("avail-switchover-bandwidth", "1KiB", ["avail-switchover-bandwidth": 1024], "1 KiB/s (1024 bytes/s)"),
            ("downtime-limit", "2s", ["downtime-limit": 2000], "2000 ms"),
            ("downtime-limit", "500ms", ["downtime-limit": 500], "500 ms"),
            ("downtime-limit", "1.5s", ["downtime-limit": 1500], "1500 ms"),
            ("downtime-limit", "300", ["downtime-limit": 300], "300 ms"),
            ("x-checkpoint-delay", "1m", ["x-checkpoint-delay": 60000], "60000 ms"),
        ] as [(String, String, JSONValue, String)])
    func tableAcceptsPrintedUnits(name: String, value: String, sent: JSONValue, echo: String) throws {
        let model = ModelSession()
        let result = model.run("migrate_set_parameter \(name) \(value)")
        #expect(result == HMPLineResult(output: "\(name) set to \(echo)\n", error: nil))
        #expect(model.sent("migrate-set-parameters") == sent)
        #expect(model.migrationParameters[name] == sent[name])
    }

    /// A time parameter refuses size suffixes in the table format, naming what it takes; QEMU's
    /// rules (a size, so `1k` is 1024 ms) stay in `--format qemu`.
    @Test(arguments: [
        (
            "downtime-limit", "1k",
            "Error: Parameter 'downtime-limit' is a time, not '1k': give milliseconds, or a time with a unit ms, s, m or h (for example 500ms, 2s)"
        ),
        (
            "announce-max", "2G",
            "Error: Parameter 'announce-max' is a time, not '2G': give milliseconds, or a time with a unit ms, s, m or h (for example 500ms, 2s)"
        ),
        (
            "downtime-limit", "1.5ms",
            "Error: Parameter 'downtime-limit' is set in whole milliseconds, not '1.5ms': give milliseconds, or a time with a unit ms, s, m or h (for example 500ms, 2s)"
        ),
        ("x-checkpoint-delay", "8760h", "Error: Parameter 'x-checkpoint-delay' expects an integer from 0 to 4294967295"),
        (
            "downtime-limit", "soon",
            "Error: Parameter 'downtime-limit' is a time, not 'soon': give milliseconds, or a time with a unit ms, s, m or h (for example 500ms, 2s)"
        ),
        ("max-bandwidth", "1GiB/h", "Error: Invalid size 1GiB/h"),
    ])
    func tableRefusesOtherUnits(name: String, value: String, error: String) throws {
        let model = ModelSession()
        let before = try model.query(QueryMigrateParametersCommand.self, QAPIEmpty())
        #expect(model.run("migrate_set_parameter \(name) \(value)").error == error + "\n")
        #expect(try model.query(QueryMigrateParametersCommand.self, QAPIEmpty()) == before)
    }

    @Test func qemuFormatKeepsQEMURules() throws {
        let model = ModelSession()
        #expect(model.session(.qemu).execute("migrate_set_parameter downtime-limit 1k").error == nil)
        #expect(model.sent("migrate-set-parameters") == ["downtime-limit": 1024])
        #expect(model.migrationParameters["downtime-limit"] == 1024)
        #expect(model.session(.qemu).execute("migrate_set_parameter max-bandwidth 1GiB").error == "Error: Invalid size 1GiB\n")
        #expect(
            model.session(.qemu).execute("migrate_set_parameter downtime-limit soon").error
                == "Error: Parameter 'downtime-limit' expects a non-negative number below 2^64\nOptional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\nand exabytes, respectively.\n"
        )
    }
}
