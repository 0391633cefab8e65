import QAPI
import Testing

@testable import HMP

@Suite struct SessionTests {
    func backendWithStatus() -> TestBackend {
        let backend = TestBackend()
        backend.dispatcher.register(QueryStatusCommand.self) { _ in StatusInfo(running: false, status: .postmigrate) }
        backend.dispatcher.register(QueryVersionCommand.self) { _ in
            VersionInfo(qemu: VersionTriple(major: 0, minor: 1, micro: 0), package: "")
        }
        backend.dispatcher.register(StopCommand.self) { _ throws(QMPError) in throw .generic("There is a dump in process, please wait.") }
        return backend
    }

    @Test func outputFormats() {
        let backend = backendWithStatus()
        #expect(
            session(backend, format: .qemu).execute("info status") == HMPLineResult(output: "VM status: paused (postmigrate)\n", error: nil)
        )
        #expect(
            session(backend, format: .json).execute("info status").output == #"{"return": {"running": false, "status": "postmigrate"}}"#
                + "\n")
        #expect(session(backend).execute("info version").output == "0.1.0\n")
    }

    @Test func errorsAreNotSwallowed() {
        let result = session(backendWithStatus()).execute("stop")
        #expect(result.error == "Error: There is a dump in process, please wait.\n")
        let json = session(backendWithStatus(), format: .json).execute("stop")
        #expect(json.output == #"{"error": {"class": "GenericError", "desc": "There is a dump in process, please wait."}}"# + "\n")
        #expect(!json.succeeded)
    }

    @Test func unknownCommandsAndUsage() {
        #expect(session().execute("frobnicate").error == "Error: unknown command: 'frobnicate'\n")
        #expect(session().execute("info frob").error == "Error: unknown command: 'info frob'\n")
        #expect(session().execute("").succeeded)
    }

    @Test func helpListsEveryCommandLikeQEMU() {
        let text = session().execute("help").output
        #expect(text.contains("help|? [cmd] -- show the help\n"))
        #expect(text.contains("quit|q  -- quit the console\n"))
        let info = session().execute("help info").output
        #expect(info.contains("info status  -- show the current VM status (running|paused)\n"))
        #expect(session().execute("info").output == info)
        let one = session().execute("help sleep").output
        #expect(one.hasPrefix("sleep duration -- wait; on the virtual clock the model jumps ahead at once\n"))
        #expect(one.contains("duration: 500ms, 2s, 1m; no suffix means seconds"))
        #expect(one.contains("QMP: none (advances the model clock)"))
        #expect(
            session(format: .qemu).execute("help sleep").output
                == "sleep duration -- wait; on the virtual clock the model jumps ahead at once\n")
    }

    @Test func sleepWaitsOnTheBackendClock() {
        let backend = TestBackend()
        #expect(session(backend).execute("sleep 1.5s").succeeded)
        #expect(session(backend).execute("sleep 250ms").succeeded)
        #expect(backend.waited == 1_750_000_000)
    }

    @Test func qmpRunsAnyCommand() {
        let backend = backendWithStatus()
        #expect(
            session(backend, format: .qemu).execute("qmp query-status").output
                == #"{"return": {"running": false, "status": "postmigrate"}}"# + "\n")
        #expect(session(backend).execute("qmp query-status {\"x\": 1}").error == "Error: Parameter 'x' is unexpected\n")
        #expect(session(backend).execute("qmp no-such").error == "Error: The command no-such has not been found\n")
    }

    @Test func historyIsTheSessionsToShow() {
        let s = session()
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
