import QAPI
import Testing
import TestSupport

@testable import HMP

@Suite struct SessionTests {
    /// A source VM after its migration completed: paused in `postmigrate`, as QEMU leaves it.
    func migratedSource() -> ModelSession {
        let model = ModelSession()
        #expect(model.run("migrate tcp:dst:4444").succeeded)
        return model
    }

    @Test func outputFormats() throws {
        let model = migratedSource()
        #expect(model.session(.qemu).execute("info status") == HMPLineResult(output: "VM status: paused (postmigrate)\n", error: nil))
        #expect(
            model.session(.json).execute("info status").output == #"{"return": {"running": false, "status": "postmigrate"}}"# + "\n")
        let version = try model.query(QueryVersionCommand.self, QAPIEmpty())
        let number = "\(version.qemu.major).\(version.qemu.minor).\(version.qemu.micro)"
        // QEMU's hmp_info_version() runs the package into the number; the table sets it apart.
        #expect(model.session(.qemu).execute("info version").output == number + version.package + "\n")
        #expect(model.run("info version").output == number + (version.package.isEmpty ? "" : " (\(version.package))") + "\n")
    }

    @Test func errorsAreNotSwallowed() {
        let text = "migrate-pause is currently only supported during postcopy-active or postcopy-recover state"
        let model = ModelSession()
        #expect(model.run("migrate_pause").error == "Error: \(text)\n")
        let json = model.session(.json).execute("migrate_pause")
        #expect(json.output == #"{"error": {"class": "GenericError", "desc": ""# + text + #""}}"# + "\n")
        #expect(!json.succeeded)
    }

    @Test func unknownCommandsAndUsage() {
        #expect(ModelSession().run("frobnicate").error == "Error: unknown command: 'frobnicate'\n")
        #expect(ModelSession().run("info frob").error == "Error: unknown command: 'info frob'\n")
        #expect(ModelSession().run("").succeeded)
    }

    @Test func helpListsEveryCommandLikeQEMU() {
        let text = ModelSession().run("help").output
        #expect(text.contains("help|? [cmd] -- show the help\n"))
        #expect(text.contains("quit|q  -- quit the console\n"))
        let info = ModelSession().run("help info").output
        #expect(info.contains("info status  -- show the current VM status (running|paused)\n"))
        #expect(ModelSession().run("info").output == info)
        let one = ModelSession().run("help sleep").output
        #expect(one.hasPrefix("sleep duration -- wait; on the virtual clock the model jumps ahead at once\n"))
        #expect(one.contains("duration: 500ms, 2s, 1m; no suffix means seconds"))
        #expect(one.contains("QMP: none (advances the model clock)"))
        #expect(
            ModelSession(format: .qemu).run("help sleep").output
                == "sleep duration -- wait; on the virtual clock the model jumps ahead at once\n")
    }

    @Test func sleepWaitsOnTheBackendClock() {
        let model = ModelSession()
        #expect(model.run("sleep 1.5s").succeeded)
        #expect(model.run("sleep 250ms").succeeded)
        #expect(model.elapsed == 1_750_000_000)
        #expect(model.backend.machine.now.nanoseconds == 1_750_000_000)
    }

    @Test func qmpRunsAnyCommand() {
        let model = migratedSource()
        #expect(
            model.session(.qemu).execute("qmp query-status").output
                == #"{"return": {"running": false, "status": "postmigrate"}}"# + "\n")
        #expect(model.run("qmp query-status {\"x\": 1}").error == "Error: Parameter 'x' is unexpected\n")
        #expect(model.run("qmp no-such").error == "Error: The command no-such has not been found\n")
    }

    @Test func historyIsTheSessionsToShow() {
        let s = ModelSession().session
        s.history = { ["info status", "help"] }
        #expect(s.execute("info history").output == "0: 'info status'\n1: 'help'\n")
    }

    @Test func splittingCommandLines() {
        #expect(CommandSplitter.split("info status; help # comment\nquit") == ["info status", " help ", "quit"])
        #expect(CommandSplitter.split("setp tls-creds \"a;b # c\"; q") == ["setp tls-creds \"a;b # c\"", " q"])
        #expect(CommandSplitter.stripComment("# only a comment") == "")
        #expect(CommandSplitter.split("migrate unix:/tmp/a#b") == ["migrate unix:/tmp/a#b"])
    }
}
