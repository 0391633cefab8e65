@testable import HMP
import QAPI
import Testing
import TestSupport

/// One style for every failure in the table format (`Error: ` first, hints after), QEMU's own
/// texts in `--format qemu`.
@Suite("Error style")
struct ErrorStyleTests {
    /// A failure of each kind: parse errors, unknown commands, backend refusals, hmp's own
    /// refusals (wait, sleep, dirty rate), a refused shrink.
    static let failing: [String] = [
        "stop now", "savevm \"abc", "migrte", "info statsu", "migrate_set_capability xbzrle maybe",
        "block_resize virtio9 1G", "migrate_set_parameter cpu-throttle-initial 0", "calc_dirty_rate 0",
        "wait migration finished", "sleep soon", "block_resize virtio0 1G", "migrate_continue bogus",
        "block_job_cancel nosuch", "migrate_set_parameter no-such 1", "info events -n -1",
        "qmp {\"execute\": \"nope\"}", "migrate_set_parameter multifd-compression zsdt",
    ]

    @Test(arguments: failing)
    func everyFailureStartsWithError(line: String) {
        let result = ModelSession().run(line)
        #expect(result.output == "")
        let error = result.error ?? ""
        #expect(error.hasPrefix("Error: "), "\(line): \(error)")
        // One `Error:` per failure; the lines after it are hints.
        #expect(error.components(separatedBy: "Error:").count == 2, "\(line): \(error)")
    }

    @Test func qemuFormatKeepsQEMUsTexts() {
        let qemu = ModelSession(format: .qemu)
        #expect(qemu.run("stop now").error == "stop|s: extraneous characters at the end of line\nTry \"help stop\" for more information\n")
        #expect(qemu.run("migrte").error == "unknown command: 'migrte'\n")
        #expect(
            qemu.run("migrate_set_capability xbzrle maybe").error
                == "Expected 'on' or 'off'\nTry \"help migrate_set_capability\" for more information\n")
        #expect(qemu.run("calc_dirty_rate 0").error == "Incorrect period length specified!\n")
        #expect(
            qemu.run("migrate_set_parameter cpu-throttle-initial 300").error == "Error: Parameter 'cpu-throttle-initial' expects uint8_t\n")
        #expect(
            qemu.run("migrate_set_parameter cpu-throttle-initial 0").error
                == "Error: Parameter 'cpu_throttle_initial' expects an integer in the range of 1 to 99\n")
        #expect(
            qemu.run("migrate_set_parameter downtime-limit 3000000").error
                == "Error: Parameter 'downtime_limit' expects an integer in the range of 0 to (2000 * 1000) ms\n")
        #expect(
            qemu.run("migrate_set_parameter multifd-compression zsdt").error
                == "Error: Parameter 'multifd-compression' does not accept value 'zsdt'\n")
        #expect(qemu.run("migrate_continue bogus").error == "Error: invalid parameter value: bogus\n")
    }

    // MARK: get_str's messages

    @Test func getStrComplaintsComeOnTheirOwnLineInTheQEMUFormat() {
        let qemu = ModelSession(format: .qemu)
        #expect(
            qemu.run("savevm \"abc").error == "unterminated string\nsavevm: string expected\nTry \"help savevm\" for more information\n")
        #expect(
            qemu.run("savevm \"a\\qb\"").error
                == "unsupported escape code: '\\q'\nsavevm: string expected\nTry \"help savevm\" for more information\n")
        // QEMU names the command as its table does, aliases and all.
        #expect(qemu.run("drive_mirror \"x").error?.hasPrefix("unterminated string\ndrive_mirror: block device name expected\n") == true)
        #expect(
            qemu.run("migrate_set_parameter tls-creds \"x").error?.hasPrefix(
                "unterminated string\nmigrate_set_parameter: string expected\n") == true)
    }

    @Test func getStrComplaintsInTheTableFormatSayWhatIsAccepted() {
        let model = ModelSession()
        #expect(
            model.run("savevm \"abc").error
                == "Error: savevm: unterminated string: the closing \" is missing\nTry \"help savevm\" for more information\n")
        #expect(
            model.run("savevm \"a\\qb\"").error
                == "Error: savevm: unsupported escape code: '\\q': inside double quotes \\ takes only \\n \\r \\\\ \\' \\\"\nTry \"help savevm\" for more information\n"
        )
    }

    // MARK: Names and ranges in plain words

    @Test func rangesAreInPlainWordsAndNamesDashed() {
        let model = ModelSession()
        #expect(
            model.run("migrate_set_parameter cpu-throttle-initial 300").error
                == "Error: Parameter 'cpu-throttle-initial' expects an integer from 0 to 255, not '300'\n")
        #expect(
            model.run("migrate_set_parameter x-checkpoint-delay 4294967296").error
                == "Error: Parameter 'x-checkpoint-delay' expects an integer from 0 to 4294967295, not '4294967296'\n")
        #expect(
            model.run("migrate_set_parameter max-cpu-throttle 5").error
                == "Error: Parameter 'max-cpu-throttle' expects an integer from cpu-throttle-initial to 99\n")
        #expect(
            model.run("migrate_set_parameter vcpu-dirty-limit 0").error
                == "Error: Parameter 'vcpu-dirty-limit' must be greater than 1 MB/s\n")
        #expect(
            model.run("migrate_set_parameter cpu-throttle-tailslow maybe").error
                == "Error: Parameter 'cpu-throttle-tailslow' expects on or off (or yes/no, true/false, y/n), not 'maybe'\n")
        #expect(
            model.run("migrate_set_parameter multifd-channels 0").error
                == "Error: Parameter 'multifd-channels' expects an integer from 1 to 255\n")
        #expect(
            model.session(.qemu).execute("migrate_set_parameter multifd-channels 0").error
                == "Error: Parameter 'multifd_channels' expects a value between 1 and 255\n")
        // Nothing the user typed is renamed: only whole words that are parameter names.
        #expect(TableWording.reword("Could not open 'my_cpu_throttle_initial': x") == "Could not open 'my_cpu_throttle_initial': x")
        #expect(TableWording.reword("bps_max/iops_max require bps_rd") == "bps-max/iops-max require bps-rd")
    }

    // MARK: Did you mean, and what is accepted

    @Test func misspeltParametersAndCapabilitiesGetTheNearestName() {
        let model = ModelSession()
        #expect(
            model.run("migrate_set_parameter max-bandwith 10").error
                == "Error: unknown migration parameter: 'max-bandwith'; did you mean 'max-bandwidth'?\n")
        #expect(
            model.run("migrate_set_capability xbzrl on").error == "Error: unknown migration capability: 'xbzrl'; did you mean 'xbzrle'?\n")
        #expect(
            model.run("migrate_set_capability postcopy_ram on").error
                == "Error: unknown migration capability: 'postcopy_ram'; did you mean 'postcopy-ram'?\n")
        // Nothing near: every name, on lines short enough to be shown whole.
        let far = model.run("migrate_set_parameter frobnicate 1").error ?? ""
        let lines = far.split(separator: "\n")
        #expect(lines.first == "Error: unknown migration parameter: 'frobnicate'")
        #expect(lines.dropFirst().allSatisfy { $0.count <= 100 })
        for name in MigrationParameter.wireNames { #expect(far.contains(" \(name)")) }
    }

    @Test func aBadEnumValueListsTheValues() {
        let model = ModelSession()
        #expect(
            model.run("migrate_set_parameter multifd-compression zsdt").error
                == "Error: Parameter 'multifd-compression' does not accept value 'zsdt'; did you mean 'zstd'?\nAccepted values: "
                + MultiFDCompression.wireNames.joined(separator: ", ") + "\n")
        #expect(
            model.run("migrate_set_parameter mode fast").error
                == "Error: Parameter 'mode' does not accept value 'fast'\nAccepted values: " + MigMode.wireNames.joined(separator: ", ")
                + "\n")
        #expect(
            model.run("migrate_set_capability xbzrle maybe").error
                == "Error: migrate_set_capability: state is 'on' or 'off', not 'maybe'\nTry \"help migrate_set_capability\" for more information\n"
        )
        #expect(
            model.run("migrate_continue pre-switchovr").error?.hasPrefix(
                "Error: 'pre-switchovr' is not a migration state; did you mean 'pre-switchover'?\nThe states are: none,") == true)
    }

    @Test func suggestionsCountASwapAsOneEdit() {
        #expect(Suggestion.distance("zsdt", "zstd") == 1)
        #expect(Suggestion.distance("migrte", "migrate") == 1)
        #expect(Suggestion.nearest("zsdt", among: ["none", "zlib", "zstd"]) == "zstd")
        #expect(Suggestion.nearest("qwerty", among: ["none", "zlib", "zstd"]) == nil)
        #expect(Suggestion.nearest(String(repeating: "a", count: 1000), among: ["a"]) == nil)
    }
}
