import Backend
import Machine
import Monitor
import QAPI
import Testing

@testable import HMP

/// Two models standing for two VMs, as `--connect src=... --connect dst=...` gives: the
/// current one runs the commands; `reconnect` reports what the test says changed.
private final class TwoModels: MonitorBackend, VMSelecting {
    let members: [(String, InProcessBackend)]
    private(set) var currentVM: String
    var changes: [String] = []
    private(set) var reconnected: [String] = []

    init() {
        func model() -> InProcessBackend {
            InProcessBackend(machine: try! VirtualMachine(validating: MachineConfiguration()), clock: .virtual())
        }
        members = [("src", model()), ("dst", model())]
        currentVM = "src"
    }

    private var current: InProcessBackend { members.first { $0.0 == currentVM }!.1 }
    var vmNames: [String] { members.map(\.0) }
    func select(_ name: String) -> Bool {
        guard vmNames.contains(name) else { return false }
        currentVM = name
        return true
    }
    func reconnect(_ name: String) throws(QMPError) -> [String] {
        reconnected.append(name)
        return changes
    }
    func execute<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(QMPError) -> C.Returns {
        try current.execute(command, arguments)
    }
    func dispatch(_ request: JSONValue) -> JSONValue { current.dispatch(request) }
    func synchronize() { current.synchronize() }
    func wait(nanoseconds: UInt64) { current.wait(nanoseconds: nanoseconds) }
    func waitForEvent(atMost nanoseconds: UInt64) -> UInt64 { current.waitForEvent(atMost: nanoseconds) }
    func takeEvents() -> [JSONValue] { current.takeEvents() }
}

@Suite("use and connect: rows of the command table")
struct VMCommandTests {
    @Test func theyAreRowsWithHelpAndVMNameCompletion() {
        for name in ["use", "connect"] {
            let row = CommandTable.standard.command(named: name)
            #expect(row?.arguments.map(\.completion) == [.vmName])
            #expect(row?.help.isEmpty == false)
        }
        let help = HMPSession(backend: TwoModels()).execute("help use")
        #expect(help.output.contains("use name"))
    }

    @Test func useChoosesTheVMLaterLinesGoTo() {
        let vms = TwoModels()
        let session = HMPSession(backend: vms)
        #expect(session.execute("stop").succeeded)
        #expect(session.execute("use dst") == HMPLineResult(output: "Commands now go to VM 'dst'\n", error: nil))
        #expect(vms.currentVM == "dst")
        #expect(session.execute("info status").output.contains("running"))
        #expect(session.execute("use src").succeeded)
        #expect(session.execute("info status").output.contains("paused"))
    }

    @Test func unknownNamesAndMissingNamesAreRefusedWithoutChangingTheVM() {
        let vms = TwoModels()
        let session = HMPSession(backend: vms)
        #expect(session.execute("use nowhere").error == "Error: unknown VM 'nowhere'; the VMs are: src, dst\n")
        #expect(session.execute("connect nowhere").error == "Error: unknown VM 'nowhere'; the VMs are: src, dst\n")
        #expect(session.execute("use").error?.contains("Try \"help use\"") == true)
        #expect(vms.currentVM == "src")
        #expect(vms.reconnected.isEmpty)
    }

    @Test func connectSaysWhatChanged() {
        let vms = TwoModels()
        vms.changes = ["status: running -> paused"]
        let session = HMPSession(backend: vms)
        #expect(
            session.execute("connect dst").output
                == "Connected to VM 'dst' again; events sent while it was disconnected were lost\nchanged: status: running -> paused\n")
        #expect(vms.reconnected == ["dst"])
        let json = HMPSession(backend: vms, format: .json).execute("connect src")
        #expect(json.output == "{\"return\": {\"vm\": \"src\", \"changes\": [\"status: running -> paused\"]}}\n")
    }

    @Test func theModelHasNoVMsToChooseFrom() {
        let session = HMPSession(
            backend: InProcessBackend(machine: try! VirtualMachine(validating: MachineConfiguration()), clock: .virtual()))
        for verb in ["use", "connect"] {
            let result = session.execute("\(verb) src")
            #expect(result.error?.hasPrefix("Error: \(verb): there are no VMs to choose from") == true)
            #expect(result.error?.contains("--connect NAME=") == true)
        }
        #expect(HMPCompleter(session: session).complete("use ").candidates.isEmpty)
    }

    @Test func explainSendsNothingAndChoosesNothing() {
        let vms = TwoModels()
        let session = HMPSession(backend: vms)
        #expect(session.execute("explain use dst").output == "# no QMP request: runs in the console\n")
        #expect(session.execute("explain connect dst").output == "# no QMP request: runs in the console\n")
        #expect(session.execute("explain use nowhere").error == "Error: unknown VM 'nowhere'; the VMs are: src, dst\n")
        #expect(vms.currentVM == "src")
        #expect(vms.reconnected.isEmpty)
        // A dry run follows `use`, so later lines are explained for the VM chosen.
        session.dryRun = true
        #expect(session.execute("use dst").succeeded)
        #expect(vms.currentVM == "dst")
        #expect(session.execute("stop").output == "{\"execute\": \"stop\"}\n")
        #expect(session.execute("connect dst").output == "# no QMP request: runs in the console\n")
        #expect(vms.reconnected.isEmpty)
    }

    @Test func completionOffersTheVMs() {
        let session = HMPSession(backend: TwoModels())
        let completer = HMPCompleter(session: session)
        #expect(completer.complete("use ").candidates == ["dst", "src"])
        #expect(completer.complete("connect d").candidates == ["dst"])
        #expect(completer.complete("us").candidates == ["use"])
    }

    @Test func shellCompletionKnowsTheVMPrefix() {
        let session = HMPSession(backend: TwoModels())
        #expect(ShellCompletion.candidates(words: ["@"], session: session) == ["@src", "@dst", "@all"])
        #expect(ShellCompletion.candidates(words: ["@d"], session: session) == ["@dst"])
        #expect(ShellCompletion.candidates(words: ["@dst", "info", "migrate_c"], session: session) == ["migrate_capabilities"])
        #expect(ShellCompletion.candidates(words: ["--", "@all", "us"], session: session) == ["use"])
        #expect(
            ShellCompletion.candidates(words: ["-c", "@src block_resize virtio"], session: session).contains("@src block_resize virtio0"))
    }
}
