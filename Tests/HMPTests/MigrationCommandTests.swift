import QAPI
import Testing
import TestSupport

@testable import HMP

/// The migration commands through a session: every argument and usage error, every command
/// error, and what each command prints in the three formats.
@Suite struct MigrationCommandTests {
    static func usage(_ command: String, _ message: String) -> String {
        "\(message)\nTry \"help \(command)\" for more information\n"
    }

    /// Lines the parser rejects before anything runs.
    @Test(arguments: [
        ("migrate", usage("migrate", "migrate: string expected")),
        ("migrate -x tcp:h:1", usage("migrate", "migrate: unsupported option -x")),
        ("migrate tcp:h:1 tcp:h:2", usage("migrate", "migrate: extraneous characters at the end of line")),
        ("migrate \"tcp:h:1", usage("migrate", "migrate: string expected (unterminated string)")),
        ("migrate_cancel now", usage("migrate_cancel", "migrate_cancel: extraneous characters at the end of line")),
        ("migrate_continue", usage("migrate_continue", "migrate_continue: string expected")),
        ("migrate_continue a b", usage("migrate_continue", "migrate_continue: extraneous characters at the end of line")),
        ("migrate_incoming", usage("migrate_incoming", "migrate_incoming: string expected")),
        ("migrate_recover", usage("migrate_recover", "migrate_recover: string expected")),
        ("migrate_pause 1", usage("migrate_pause", "migrate_pause: extraneous characters at the end of line")),
        ("migrate_start_postcopy x", usage("migrate_start_postcopy", "migrate_start_postcopy: extraneous characters at the end of line")),
        ("migrate_set_capability", usage("migrate_set_capability", "migrate_set_capability: string expected")),
        ("migrate_set_capability xbzrle", usage("migrate_set_capability", "Expected 'on' or 'off'")),
        ("migrate_set_capability xbzrle yes", usage("migrate_set_capability", "Expected 'on' or 'off'")),
        ("migrate_set_capability xbzrle ON", usage("migrate_set_capability", "Expected 'on' or 'off'")),
        (
            "migrate_set_capability xbzrle on off",
            usage("migrate_set_capability", "migrate_set_capability: extraneous characters at the end of line")
        ),
        ("migrate_set_parameter", usage("migrate_set_parameter", "migrate_set_parameter: string expected")),
        ("migrate_set_parameter max-bandwidth", usage("migrate_set_parameter", "migrate_set_parameter: string expected")),
        (
            "migrate_set_parameter tls-creds \"x",
            usage("migrate_set_parameter", "migrate_set_parameter: string expected (unterminated string)")
        ),
        (
            "migrate_set_parameter tls-creds \"x\" y",
            usage("migrate_set_parameter", "migrate_set_parameter: extraneous characters at the end of line")
        ),
        ("info migrate -x", usage("info migrate", "info migrate: unsupported option -x")),
        ("info migrate now", usage("info migrate", "info migrate: extraneous characters at the end of line")),
        (
            "info migrate_capabilities x",
            usage("info migrate_capabilities", "info migrate_capabilities: extraneous characters at the end of line")
        ),
        (
            "info migrate_parameters x",
            usage("info migrate_parameters", "info migrate_parameters: extraneous characters at the end of line")
        ),
        ("info migrate_params", "unknown command: 'info migrate_params'; did you mean 'info migrate_parameters'?\n"),
        ("migrate_set_parameters x 1", "unknown command: 'migrate_set_parameters'; did you mean 'migrate_set_parameter'?\n"),
    ])
    func usageErrors(line: String, expected: String) {
        let fake = MigrationFake()
        let result = fake.session().execute(line)
        #expect(result.error == expected)
        #expect(result.output == "")
        #expect(fake.received.isEmpty, "nothing may run after a usage error")
    }

    @Test func argumentsReachTheCommands() throws {
        let fake = MigrationFake()
        let s = fake.session()
        #expect(s.execute("migrate -d tcp:dst:4444").succeeded)
        #expect(fake.received["migrate"] == ["uri": "tcp:dst:4444", "resume": false])
        #expect(s.execute("migrate_cancel").succeeded)
        fake.idle = MigrationFixtures.postcopyPaused
        #expect(s.execute("migrate -r -d \"unix:/run/mig sock\"").succeeded)
        #expect(fake.received["migrate"] == ["uri": "unix:/run/mig sock", "resume": true])
        #expect(s.execute("migrate_incoming tcp:0:4444").succeeded)
        #expect(fake.received["migrate-incoming"] == ["uri": "tcp:0:4444", "exit-on-error": false])
        #expect(s.execute("migrate_set_capability postcopy-ram off").error == "Error: There's a migration process in progress\n")
        #expect(fake.received["migrate-set-capabilities"] == ["capabilities": [["capability": "postcopy-ram", "state": false]]])
        #expect(s.execute("migrate_continue pre-switchover").error == "Error: Migration not in expected state: setup\n")
        #expect(fake.received["migrate-continue"] == ["state": "pre-switchover"])
    }

    /// Failures reported by the commands, never swallowed.
    @Test func commandErrors() {
        let fake = MigrationFake()
        let s = fake.session()
        #expect(s.execute("migrate foo:bar").error == "Error: unknown migration protocol: foo:bar\n")
        #expect(s.execute("migrate -d -r tcp:h:1").error == "Error: Cannot resume if there is no paused migration\n")
        #expect(s.execute("migrate_continue bogus").error == "Error: invalid parameter value: bogus\n")
        #expect(s.execute("migrate_recover tcp:h:1").error == "Error: Migrate recover can only be run when postcopy is paused.\n")
        #expect(
            s.execute("migrate_pause").error
                == "Error: migrate-pause is currently only supported during postcopy-active or postcopy-recover state\n")
        #expect(
            s.execute("migrate_start_postcopy").error
                == "Error: Enable postcopy with migrate_set_capability before the start of migration\n")
        #expect(
            s.execute("migrate_set_capability compress on").error
                == "Error: invalid parameter value: compress\nThe capabilities are: \(MigrationCapability.wireNames.joined(separator: ", "))\n"
        )
        #expect(s.execute("migrate_set_capability xbzrle on").succeeded)
        #expect(s.execute("migrate_set_capability multifd on").error == "Error: Multifd is not compatible with xbzrle\n")
        fake.idle = MigrationInfo(status: .postcopyActive)
        #expect(s.execute("migrate_cancel").error == "Error: Postcopy migration in progress, cannot cancel.\n")
        #expect(
            fake.session(.json).execute("migrate_cancel").output
                == #"{"error": {"class": "GenericError", "desc": "Postcopy migration in progress, cannot cancel."}}"# + "\n")
    }

    /// One line per command and format: what a person, a QEMU script and a machine see.
    @Test func outputsInEachFormat() {
        let cases: [(String, String, String)] = [
            ("migrate -d tcp:dst:4444", "Migration started to tcp:dst:4444; follow it with 'info migrate'\n", ""),
            ("migrate_cancel", "No migration is running (none); nothing to cancel\n", ""),
            ("migrate_incoming tcp:0:4444", "Waiting for the incoming migration on tcp:0:4444\n", ""),
            ("migrate_set_capability xbzrle on", "xbzrle set to on\n", ""),
            ("migrate_set_capability xbzrle off", "xbzrle set to off\n", ""),
            ("migrate_set_parameter max-bandwidth 1G", "max-bandwidth set to 1 GiB/s (1073741824 bytes/s)\n", ""),
            ("migrate_set_parameter downtime-limit 500", "downtime-limit set to 500 ms\n", ""),
        ]
        for (line, table, qemu) in cases {
            #expect(MigrationFake().session(.table).execute(line) == HMPLineResult(output: table, error: nil), "\(line)")
            #expect(MigrationFake().session(.qemu).execute(line) == HMPLineResult(output: qemu, error: nil), "\(line)")
            #expect(MigrationFake().session(.json).execute(line) == HMPLineResult(output: "{\"return\": {}}\n", error: nil), "\(line)")
        }
    }

    @Test func stateDependentCommands() {
        let fake = MigrationFake()
        fake.idle = MigrationInfo(status: .preSwitchover)
        #expect(fake.session().execute("migrate_continue pre-switchover").output == "Migration continues from pre-switchover\n")
        fake.idle = MigrationInfo(status: .postcopyActive)
        #expect(fake.session().execute("migrate_pause").output == "Postcopy migration paused; resume it with 'migrate -r URI'\n")
        #expect(fake.session(.qemu).execute("migrate_pause").output == "")
        fake.idle = MigrationFixtures.postcopyPaused
        #expect(
            fake.session().execute("migrate_recover tcp:0:4445").output
                == "Listening on tcp:0:4445 to recover the paused postcopy migration\n")
        #expect(fake.received["migrate-recover"] == ["uri": "tcp:0:4445"])
        fake.capabilities[.postcopyRam] = true
        #expect(fake.session().execute("migrate_start_postcopy").output == "Switching to postcopy\n")
        #expect(fake.session(.json).execute("migrate_start_postcopy").output == "{\"return\": {}}\n")
    }

    @Test func infoCommandsInEachFormat() {
        let fake = MigrationFake()
        fake.idle = MigrationFixtures.completed
        #expect(fake.session(.qemu).execute("info migrate").output == GoldenFile.text("info-migrate/completed.qemu.txt"))
        #expect(fake.session(.qemu).execute("info migrate -a").output == GoldenFile.text("info-migrate/completed-a.qemu.txt"))
        #expect(fake.session().execute("info migrate").output == GoldenFile.text("info-migrate/completed.table.txt"))
        #expect(fake.session().execute("info migrate -a").output == GoldenFile.text("info-migrate/completed-a.table.txt"))
        let json = fake.session(.json).execute("info migrate").output
        #expect(json.hasPrefix(#"{"return": {"status": "completed", "ram": {"transferred": 806354944, "remaining": 0,"#))
        #expect(json.hasSuffix("\"total-time\": 11179, \"downtime\": 46, \"setup-time\": 8}}\n"))
        #expect(json.filter { $0 == "\n" }.count == 1)
        #expect(MigrationFake().session(.json).execute("info migrate").output == "{\"return\": {}}\n")
        #expect(MigrationFake().session(.qemu).execute("info migrate").output == "")

        #expect(
            fake.session(.qemu).execute("info migrate_parameters").output == GoldenFile.text("info-migrate_parameters/default.qemu.txt"))
        #expect(fake.session().execute("info migrate_parameters").output == GoldenFile.text("info-migrate_parameters/default.table.txt"))
        #expect(
            fake.session(.json).execute("info migrate_parameters").output.hasPrefix(
                #"{"return": {"announce-initial": 50, "announce-max": 550, "announce-rounds": 5,"#))

        fake.capabilities[.xbzrle] = true
        #expect(fake.session(.qemu).execute("info migrate_capabilities").output.hasPrefix("xbzrle: on\nrdma-pin-all: off\n"))
        #expect(fake.session().execute("info migrate_capabilities").output.contains("\nxbzrle                   on\n"))
        #expect(
            fake.session(.json).execute("info migrate_capabilities").output.hasPrefix(
                #"{"return": [{"capability": "xbzrle", "state": true}, {"capability": "rdma-pin-all", "state": false},"#))
    }

    @Test func helpShowsUnitsAndTheQMPCommand() {
        let text = MigrationFake().session().execute("help migrate_set_parameter").output
        #expect(text.hasPrefix("migrate_set_parameter parameter value -- set the parameter for migration\n"))
        #expect(
            text.contains(
                "max-bandwidth, avail-switchover-bandwidth: bytes/s; K M G T suffixes; no suffix means MiB/s; the table format also reads e.g. 64MiB/s, 1GiB/s."
            ))
        #expect(text.contains("QMP: migrate-set-parameters\n"))
        #expect(
            MigrationFake().session(.qemu).execute("help migrate").output
                == "migrate [-d] [-r] uri -- migrate to URI (using -d to not wait for completion)\n\t\t\t -r to resume a paused postcopy migration\n"
        )
        #expect(
            MigrationFake().session(.qemu).execute("help info migrate").output
                == "info migrate [-a] [-v] -- show migration status (-a: all, dump all status)\n")
    }

    @Test func completionKinds() throws {
        let table = CommandTable.standard
        let setCap = try #require(table.command(named: "migrate_set_capability"))
        #expect(setCap.arguments.map(\.completion) == [.capability, .onOff])
        let setParam = try #require(table.command(named: "migrate_set_parameter"))
        #expect(setParam.arguments.map(\.completion) == [.parameter, .parameterValue])
        #expect(table.command(named: "migrate_continue")?.arguments.first?.completion == .migrationStatus)
        for name in ["migrate", "migrate_incoming", "migrate_recover"] {
            #expect(table.command(named: name)?.arguments.first?.completion == .migrationURI, "\(name)")
        }
    }
}
