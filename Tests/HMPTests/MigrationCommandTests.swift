import Machine
import QAPI
import Testing
import TestSupport

@testable import HMP

/// The migration commands through a session: every argument and usage error, every command
/// error, and what each command prints in the three formats.
@Suite struct MigrationCommandTests {
    static func usage(_ command: String, _ message: String) -> String {
        // The table format names the command in every parse error, behind `Error: `.
        "Error: \(message.hasPrefix(command + ":") ? message : command + ": " + message)\nTry \"help \(command)\" for more information\n"
    }

    /// Lines the parser rejects before anything runs.
    @Test(arguments: [
        ("migrate", usage("migrate", "migrate: string expected")),
        ("migrate -x tcp:h:1", usage("migrate", "migrate: unsupported option -x")),
        ("migrate tcp:h:1 tcp:h:2", usage("migrate", "migrate: extraneous characters at the end of line")),
        ("migrate \"tcp:h:1", usage("migrate", "migrate: unterminated string: the closing \" is missing")),
        ("migrate_cancel now", usage("migrate_cancel", "migrate_cancel: extraneous characters at the end of line")),
        ("migrate_continue", usage("migrate_continue", "migrate_continue: string expected")),
        ("migrate_continue a b", usage("migrate_continue", "migrate_continue: extraneous characters at the end of line")),
        ("migrate_incoming", usage("migrate_incoming", "migrate_incoming: string expected")),
        ("migrate_recover", usage("migrate_recover", "migrate_recover: string expected")),
        ("migrate_pause 1", usage("migrate_pause", "migrate_pause: extraneous characters at the end of line")),
        ("migrate_start_postcopy x", usage("migrate_start_postcopy", "migrate_start_postcopy: extraneous characters at the end of line")),
        ("migrate_set_capability", usage("migrate_set_capability", "migrate_set_capability: string expected")),
        ("migrate_set_capability xbzrle", usage("migrate_set_capability", "state expected: 'on' or 'off'")),
        ("migrate_set_capability xbzrle yes", usage("migrate_set_capability", "state is 'on' or 'off', not 'yes'")),
        ("migrate_set_capability xbzrle ON", usage("migrate_set_capability", "state is 'on' or 'off', not 'ON'")),
        (
            "migrate_set_capability xbzrle on off",
            usage("migrate_set_capability", "migrate_set_capability: extraneous characters at the end of line")
        ),
        ("migrate_set_parameter", usage("migrate_set_parameter", "migrate_set_parameter: string expected")),
        ("migrate_set_parameter max-bandwidth", usage("migrate_set_parameter", "migrate_set_parameter: string expected")),
        (
            "migrate_set_parameter tls-creds \"x",
            usage("migrate_set_parameter", "migrate_set_parameter: unterminated string: the closing \" is missing")
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
        ("info migrate_params", "Error: unknown command: 'info migrate_params'; did you mean 'info migrate_parameters'?\n"),
        ("migrate_set_parameters x 1", "Error: unknown command: 'migrate_set_parameters'; did you mean 'migrate_set_parameter'?\n"),
    ])
    func usageErrors(line: String, expected: String) {
        let model = ModelSession()
        let result = model.run(line)
        #expect(result.error == expected)
        #expect(result.output == "")
        #expect(model.recorder.requests.isEmpty, "nothing may run after a usage error")
    }

    /// A postcopy migration paused by the operator: the state `migrate -r` resumes from.
    static func pausedPostcopy() -> ModelSession {
        let model = ModelSession()
        for line in [
            "migrate_set_capability postcopy-ram on", "migrate -d tcp:dst:4444", "sleep 1", "migrate_start_postcopy", "sleep 100ms",
        ] {
            #expect(model.run(line).succeeded, "\(line)")
        }
        #expect(model.run("migrate_pause").succeeded)
        #expect(model.migrationStatus == .postcopyPaused)
        return model
    }

    /// A VM started with `-incoming defer`.
    static func incoming(format: OutputFormat = .table) -> ModelSession {
        ModelSession(format: format, configuration: MachineConfiguration(startState: .inmigrate))
    }

    @Test func argumentsReachTheCommands() throws {
        let model = ModelSession()
        #expect(model.run("migrate -d tcp:dst:4444").succeeded)
        #expect(model.sent("migrate") == ["uri": "tcp:dst:4444", "resume": false])
        #expect(model.run("migrate_cancel").succeeded)
        #expect(model.sent("migrate_cancel") == [:])

        let paused = Self.pausedPostcopy()
        #expect(paused.run("migrate -r -d \"unix:/run/mig sock\"").succeeded)
        #expect(paused.sent("migrate") == ["uri": "unix:/run/mig sock", "resume": true])
        #expect(paused.run("migrate_set_capability postcopy-ram off").error == "Error: There's a migration process in progress\n")
        #expect(paused.sent("migrate-set-capabilities") == ["capabilities": [["capability": "postcopy-ram", "state": false]]])
        let status = try #require(paused.migrationStatus)
        #expect(paused.run("migrate_continue pre-switchover").error == "Error: Migration not in expected state: \(status.rawValue)\n")
        #expect(paused.sent("migrate-continue") == ["state": "pre-switchover"])

        let incoming = Self.incoming()
        #expect(incoming.run("migrate_incoming tcp:0:4444").succeeded)
        #expect(incoming.sent("migrate-incoming") == ["uri": "tcp:0:4444", "exit-on-error": false])
    }

    /// Failures reported by the commands, never swallowed.
    @Test func commandErrors() {
        let model = ModelSession()
        let s = model.session
        #expect(s.execute("migrate foo:bar").error == "Error: unknown migration protocol: foo:bar\n")
        #expect(s.execute("migrate -d -r tcp:h:1").error == "Error: Cannot resume if there is no paused migration\n")
        #expect(
            s.execute("migrate_continue bogus").error?.hasPrefix("Error: 'bogus' is not a migration state\nThe states are: none, ") == true)
        #expect(s.execute("migrate_recover tcp:h:1").error == "Error: Migrate recover can only be run when postcopy is paused.\n")
        #expect(
            s.execute("migrate_pause").error
                == "Error: migrate-pause is currently only supported during postcopy-active or postcopy-recover state\n")
        #expect(
            s.execute("migrate_start_postcopy").error
                == "Error: Enable postcopy with migrate_set_capability before the start of migration\n")
        #expect(
            s.execute("migrate_set_capability compress on").error
                == "Error: unknown migration capability: 'compress'\n"
                + Suggestion.list("The capabilities are", MigrationCapability.wireNames) + "\n"
        )
        #expect(s.execute("migrate_set_capability xbzrle on").succeeded)
        #expect(s.execute("migrate_set_capability multifd on").error == "Error: Multifd is not compatible with xbzrle\n")
        #expect(s.execute("migrate_set_capability xbzrle off").succeeded)

        let postcopy = ModelSession()
        for line in [
            "migrate_set_capability postcopy-ram on", "migrate -d tcp:dst:4444", "sleep 1", "migrate_start_postcopy", "sleep 100ms",
        ] {
            #expect(postcopy.run(line).succeeded, "\(line)")
        }
        #expect(postcopy.migrationStatus == .postcopyActive)
        #expect(postcopy.run("migrate_cancel").error == "Error: Postcopy migration in progress, cannot cancel.\n")
        #expect(
            postcopy.session(.json).execute("migrate_cancel").output
                == #"{"error": {"class": "GenericError", "desc": "Postcopy migration in progress, cannot cancel."}}"# + "\n")
    }

    /// One line per command and format: what a person, a QEMU script and a machine see.
    @Test func outputsInEachFormat() {
        let cases: [(String, String, String)] = [
            ("migrate -d tcp:dst:4444", "Migration started to tcp:dst:4444; follow it with 'info migrate'\n", ""),
            ("migrate_cancel", "No migration is running (none); nothing to cancel\n", ""),
            ("migrate_set_capability xbzrle on", "xbzrle set to on\n", ""),
            ("migrate_set_capability xbzrle off", "xbzrle set to off\n", ""),
            ("migrate_set_parameter max-bandwidth 1G", "max-bandwidth set to 1 GiB/s (1073741824 bytes/s)\n", ""),
            ("migrate_set_parameter downtime-limit 500", "downtime-limit set to 500 ms\n", ""),
        ]
        for (line, table, qemu) in cases {
            #expect(ModelSession(format: .table).run(line) == HMPLineResult(output: table, error: nil), "\(line)")
            #expect(ModelSession(format: .qemu).run(line) == HMPLineResult(output: qemu, error: nil), "\(line)")
            #expect(ModelSession(format: .json).run(line) == HMPLineResult(output: "{\"return\": {}}\n", error: nil), "\(line)")
        }
        let line = "migrate_incoming tcp:0:4444"
        #expect(Self.incoming().run(line) == HMPLineResult(output: "Waiting for the incoming migration on tcp:0:4444\n", error: nil))
        #expect(Self.incoming(format: .qemu).run(line) == HMPLineResult(output: "", error: nil))
        #expect(Self.incoming(format: .json).run(line) == HMPLineResult(output: "{\"return\": {}}\n", error: nil))
    }

    @Test func stateDependentCommands() {
        let switchover = ModelSession()
        #expect(switchover.run("migrate_set_capability pause-before-switchover on").succeeded)
        #expect(switchover.run("migrate tcp:dst:4444").succeeded)
        #expect(switchover.migrationStatus == .preSwitchover)
        #expect(switchover.run("migrate_continue pre-switchover").output == "Migration continues from pre-switchover\n")

        let postcopy = ModelSession()
        #expect(postcopy.run("migrate_set_capability postcopy-ram on").succeeded)
        #expect(postcopy.run("migrate -d tcp:dst:4444").succeeded)
        #expect(postcopy.run("sleep 1").succeeded)
        #expect(postcopy.run("migrate_start_postcopy").output == "Switching to postcopy\n")
        #expect(postcopy.run("sleep 100ms").succeeded)
        #expect(postcopy.run("migrate_pause").output == "Postcopy migration paused; resume it with 'migrate -r URI'\n")
        #expect(postcopy.migrationStatus == .postcopyPaused)

        let qemuPause = ModelSession(format: .qemu)
        for line in [
            "migrate_set_capability postcopy-ram on", "migrate -d tcp:dst:4444", "sleep 1", "migrate_start_postcopy", "sleep 100ms",
        ] {
            #expect(qemuPause.run(line).succeeded, "\(line)")
        }
        #expect(qemuPause.run("migrate_pause") == HMPLineResult(output: "", error: nil))

        let json = ModelSession(format: .json)
        #expect(json.run("migrate_set_capability postcopy-ram on").succeeded)
        #expect(json.run("migrate -d tcp:dst:4444").succeeded)
        #expect(json.run("sleep 1").succeeded)
        #expect(json.run("migrate_start_postcopy").output == "{\"return\": {}}\n")

        // The destination of a postcopy migration whose link broke.
        let destination = Self.incoming()
        #expect(destination.run("migrate_incoming tcp:0:4444").succeeded)
        destination.pauseIncomingPostcopy()
        #expect(
            destination.run("migrate_recover tcp:0:4445").output
                == "Listening on tcp:0:4445 to recover the paused postcopy migration\n")
        #expect(destination.sent("migrate-recover") == ["uri": "tcp:0:4445"])
    }

    /// The session prints what the formatters make of the model's answers.
    @Test func infoCommandsInEachFormat() throws {
        let fresh = ModelSession()
        #expect(fresh.session(.json).execute("info migrate").output == "{\"return\": {}}\n")
        #expect(fresh.session(.qemu).execute("info migrate").output == "")

        let model = ModelSession()
        #expect(model.run("migrate tcp:dst:4444").succeeded)
        let info = try model.query(QueryMigrateCommand.self, QAPIEmpty())
        #expect(info.status == .completed)
        #expect(model.session(.qemu).execute("info migrate").output == MigrationFormat.qemu(info, all: false))
        #expect(model.session(.qemu).execute("info migrate -a").output == MigrationFormat.qemu(info, all: true))
        #expect(model.run("info migrate").output == MigrationFormat.table(info, all: false))
        #expect(model.run("info migrate -a").output == MigrationFormat.table(info, all: true))
        let json = model.session(.json).execute("info migrate").output
        #expect(try JSONParser.parse(json) == ["return": info.qapi])
        #expect(json.hasPrefix(#"{"return": {"status": "completed", "ram": {"transferred": "#))
        #expect(json.filter { $0 == "\n" }.count == 1)

        let parameters = try model.query(QueryMigrateParametersCommand.self, QAPIEmpty())
        #expect(model.session(.qemu).execute("info migrate_parameters").output == MigrationParametersFormat.qemu(parameters))
        #expect(model.run("info migrate_parameters").output == MigrationParametersFormat.table(parameters))
        #expect(
            model.session(.json).execute("info migrate_parameters").output.hasPrefix(
                #"{"return": {"announce-initial": 50, "announce-max": 550, "announce-rounds": 5,"#))

        #expect(model.run("migrate_set_capability xbzrle on").succeeded)
        #expect(model.session(.qemu).execute("info migrate_capabilities").output.hasPrefix("xbzrle: on\nrdma-pin-all: off\n"))
        #expect(model.run("info migrate_capabilities").output.contains("\nxbzrle                   on\n"))
        #expect(
            model.session(.json).execute("info migrate_capabilities").output.hasPrefix(
                #"{"return": [{"capability": "xbzrle", "state": true}, {"capability": "rdma-pin-all", "state": false},"#))
    }

    @Test func helpShowsUnitsAndTheQMPCommand() {
        let text = ModelSession().session.execute("help migrate_set_parameter").output
        #expect(text.hasPrefix("migrate_set_parameter parameter value -- set the parameter for migration\n"))
        #expect(
            text.contains(
                "max-bandwidth, avail-switchover-bandwidth: bytes/s; K M G T suffixes; no suffix means MiB/s; the table format also reads e.g. 64MiB/s, 1GiB/s."
            ))
        #expect(text.contains("QMP: migrate-set-parameters\n"))
        #expect(
            ModelSession().session(.qemu).execute("help migrate").output
                == "migrate [-d] [-r] uri -- migrate to URI (using -d to not wait for completion)\n\t\t\t -r to resume a paused postcopy migration\n"
        )
        #expect(
            ModelSession().session(.qemu).execute("help info migrate").output
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
