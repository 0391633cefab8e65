import Testing

@Suite("hmp executable")
struct ExecutableTests {
    /// Options that make runs reproducible.
    let base = ["--clock", "virtual", "--format", "qemu"]

    @Test func scriptWithGoodAndBadLines() throws {
        let script = """
            # rehearsal
            info status
            no_such_command
            info name   # the VM has no name by default

            migrate_set_parameter downtime-limit lots
            stop; info status
            """
        let run = try runHMP(base, script: script)
        #expect(run.status == 1)
        #expect(run.stdout == "VM status: running\nVM status: paused\n")
        #expect(run.stderrLines.first == "line 3: unknown command: 'no_such_command'")
        // A failure of several lines (message and hint) has the label on each line.
        #expect(run.stderrLines.count >= 2)
        #expect(run.stderrLines.dropFirst().allSatisfy { $0.hasPrefix("line 6: ") })
        #expect(run.stderrLines.dropFirst().first?.contains("downtime-limit") == true)
    }

    @Test func everyLineGoodMeansStatusZero() throws {
        let run = try runHMP(base, script: "info status\nstop\ninfo status\r\ncont\n")
        #expect(run.status == 0)
        #expect(run.stderr == "")
        #expect(run.stdout == "VM status: running\nVM status: paused\n")
    }

    @Test func stopOnErrorStopsAtTheFirstFailure() throws {
        let run = try runHMP(base + ["--stop-on-error"], script: "info status\nbogus\ninfo status\n")
        #expect(run.status == 1)
        #expect(run.stdout == "VM status: running\n")
        #expect(run.stderr == "line 2: unknown command: 'bogus'\n")
    }

    @Test func quitEndsTheBatch() throws {
        let run = try runHMP(base, script: "info status\nquit\nbogus\n")
        #expect(run.status == 0)
        #expect(run.stdout == "VM status: running\n")
    }

    @Test func commandOptionNumbersItsCommands() throws {
        let run = try runHMP(base + ["-c", "info status; bogus # note", "-c", "stop\ninfo status"])
        #expect(run.status == 1)
        #expect(run.stdout == "VM status: running\nVM status: paused\n")
        #expect(run.stderr == "command 2: unknown command: 'bogus'\n")
    }

    @Test func oneCommandFromTheArguments() throws {
        let good = try runHMP(base + ["info", "status"])
        #expect(good.status == 0)
        #expect(good.stdout == "VM status: running\n")
        let bad = try runHMP(base + ["frobnicate", "now"])
        #expect(bad.status == 1)
        #expect(bad.stderr == "unknown command: 'frobnicate'\n")
    }

    @Test func jsonFormatPutsErrorObjectsOnStdout() throws {
        let run = try runHMP(["--clock", "virtual", "--format", "json"], script: "info status\nbogus\n")
        #expect(run.status == 1)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("{\"return\": {") == true)
        #expect(lines.last?.hasPrefix("{\"error\": {\"class\": \"GenericError\"") == true)
        #expect(run.stderr == "line 2: failed\n")
    }

    @Test(arguments: [
        (["--ram", "5X"], "--ram"), (["--ram"], "--ram"), (["--format", "xml"], "table, qemu or json"),
        (["--clock", "fast"], "real or virtual"), (["--vcpus", "0"], "--vcpus"), (["--zero-pages", "101"], "0 to 100"),
        (["--dirty-rate", "-1"], "--dirty-rate"), (["--frobnicate"], "--frobnicate"), (["--rma", "1G"], "did you mean --ram"),
        (["--disk", "virtio9"], "virtio9"), (["--generate-completion-script", "tcsh"], "bash, zsh or fish"),
        (["--no-history", "--history-file", "/tmp/h"], "--no-history"), (["-c", "info status", "info", "name"], "-c"),
    ])
    func badOptionsGiveOneLineAndStatusTwo(arguments: [String], mentions: String) throws {
        let run = try runHMP(arguments, script: "info status\n")
        #expect(run.status == 2, "\(arguments)")
        #expect(run.stdout == "")
        #expect(run.stderrLines.count == 1, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("hmp: "))
        #expect(run.stderr.contains(mentions), "\(run.stderr)")
    }

    @Test func versionAndHelp() throws {
        let version = try runHMP(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("swift-hmp "))
        let help = try runHMP(["--help"])
        #expect(help.status == 0)
        for option in ["--command", "--format", "--ram", "--stop-on-error", "--history-file"] {
            #expect(help.stdout.contains(option))
        }
        #expect(!help.stdout.contains("--generate-man-page"))
    }

    @Test func shellCompletionEntryPoint() throws {
        let run = try runHMP(["--complete", "--", "info", "stat"])
        #expect(run.status == 0)
        #expect(run.stdout == "status\n")
        let options = try runHMP(["--complete", "--", "--for"])
        #expect(options.stdout == "--format\n")
    }
}
