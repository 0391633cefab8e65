import Testing
import HMP
@testable import Console

/// `quit` (and Ctrl-D) while a migration or block job runs asks first in the console.
@Suite("Quit confirmation")
struct QuitConfirmationTests {
    @Test func quitAsksWhileAMigrationRuns() {
        let session = makeTestSession()
        session.interactive = true
        var questions: [String] = []
        var answer = false
        session.confirm = {
            questions.append($0); return answer
        }
        #expect(session.execute("migrate -d tcp:10.0.0.2:4444").succeeded)
        #expect(session.execute("quit").output == "Not quitting\n")
        #expect(!session.quitRequested)
        #expect(questions == ["A migration is in progress (setup); quitting stops it. Quit anyway?"])
        answer = true
        #expect(session.execute("q").succeeded)
        #expect(session.quitRequested)
    }

    @Test func quitAsksWhileABlockJobRuns() {
        let session = makeTestSession()
        session.interactive = true
        var questions: [String] = []
        session.confirm = {
            questions.append($0); return false
        }
        #expect(session.execute("block_stream virtio0").succeeded)
        #expect(session.execute("quit").succeeded && !session.quitRequested)
        #expect(questions.first?.hasPrefix("A block job runs (stream virtio0)") == true)
    }

    @Test func noQuestionWhenIdleOrInABatch() {
        let idle = makeTestSession()
        idle.interactive = true
        idle.confirm = { _ in
            Issue.record("asked while idle"); return false
        }
        #expect(idle.execute("quit").succeeded && idle.quitRequested)
        let batch = makeTestSession()
        #expect(batch.execute("migrate -d tcp:10.0.0.2:4444").succeeded)
        #expect(batch.execute("quit").succeeded && batch.quitRequested)
    }
}

/// Commands that did nothing say so instead of claiming success.
@Suite("No-op commands say so")
struct NoOpTests {
    @Test func eachNoOpSaysWhatHappened() {
        let session = makeTestSession()
        #expect(session.execute("migrate_cancel").output == "No migration is running (none); nothing to cancel\n")
        #expect(session.execute("cancel_vcpu_dirty_limit 9").output == "No dirty page limit is set on vCPU 9; nothing cancelled\n")
        #expect(session.execute("eject ide1-cd0").output == "ide1-cd0: no medium to eject; the tray is open\n")
        #expect(session.execute("migrate_set_capability postcopy-ram on").succeeded)
        #expect(session.execute("migrate tcp:10.0.0.2:4444").succeeded)
        #expect(session.execute("migrate_start_postcopy").output == "The migration has ended (completed); nothing switches to postcopy\n")
        #expect(session.execute("migrate_cancel").output == "No migration is running (completed); nothing to cancel\n")
        #expect(session.execute("info version").output == "0.1.0 (swift-hmp)\n")
    }
}

@Suite("Whole line as one argument")
struct WholeLineArgumentTests {
    func run(_ arguments: [String]) -> (status: Console.ExitStatus, output: String, errors: String) {
        let output = OutputSink.capturing()
        let errors = OutputSink.capturing()
        let session = makeTestSession()
        let runner = CommandRunner(
            session: session, output: output, errors: errors, events: EventFormatter(format: session.format, originMicroseconds: 0))
        let status = BatchRunner(runner: runner).run(arguments: arguments)
        return (status, output.captured, errors.captured)
    }

    @Test func quotedLineRunsAsALine() {
        let whole = run(["info status"])
        #expect(whole.status == .success && whole.output == "VM status  running\n" && whole.errors == "")
        let words = run(["info", "status"])
        #expect(words.output == whole.output)
        let two = run(["info status; info version"])
        #expect(two.status == .success && two.output.hasPrefix("VM status  running\n"))
    }
}

/// The host and start options: -S, --no-disks, --dirty-ring, --no-replication.
@Suite("Host and start options")
struct HostOptionTests {
    @Test func optionsShapeTheModel() throws {
        #expect(
            try runHMP(["-S", "-c", "info status; cont; info status"]).stdout == "VM status  prelaunch\nVM running\nVM status  running\n")
        #expect(try runHMP(["--no-disks", "info", "block"]).stdout.split(separator: "\n").count == 2)
        #expect(try runHMP(["--dirty-ring", "4096", "set_vcpu_dirty_limit", "10"]).status == 0)
        let ringless = try runHMP(["set_vcpu_dirty_limit", "10"])
        #expect(ringless.stderr.hasPrefix("Error: dirty page limit feature requires KVM with accelerator property 'dirty-ring-size' set\n"))
        #expect(try runHMP(["migrate_set_capability", "x-colo", "on"]).status == 0)
        #expect(try runHMP(["--no-replication", "migrate_set_capability", "x-colo", "on"]).status == 1)
        #expect(
            try runHMP(["--dirty-ring", "100", "info", "status"]).stderr
                == "hmp: Error: invalid --dirty-ring '100': expected 0 or a power of two from 1024 to 65536\n")
    }
}

/// In --format qemu, parse errors name the command as QEMU's table does.
@Suite("QEMU command names in parse errors")
struct QEMUParseErrorNameTests {
    @Test(arguments: [
        ("stop x", "stop|s: extraneous characters at the end of line"),
        ("q x", "quit|q: extraneous characters at the end of line"),
        ("info status x", "status: extraneous characters at the end of line"),
        ("info migrate x", "migrate: extraneous characters at the end of line"),
    ])
    func namesAsQEMU(line: String, first: String) {
        let result = makeTestSession(format: .qemu).execute(line)
        #expect(result.error?.split(separator: "\n").first.map(String.init) == first)
        // The table format keeps the name as typed.
        #expect(makeTestSession().execute(line).error?.hasPrefix("Error: " + String(line.dropLast(2)) + ":") == true)
    }
}

@Suite("Did you mean")
struct DidYouMeanTests {
    @Test func nearCommandsAreSuggestedInTheTableFormatOnly() {
        #expect(makeTestSession().execute("migrte tcp:1:2").error == "Error: unknown command: 'migrte'; did you mean 'migrate'?\n")
        #expect(makeTestSession().execute("info statsu").error == "Error: unknown command: 'info statsu'; did you mean 'info status'?\n")
        #expect(makeTestSession().execute("nope").error == "Error: unknown command: 'nope'\n")
        #expect(makeTestSession(format: .qemu).execute("migrte x").error == "unknown command: 'migrte'\n")
    }
}
