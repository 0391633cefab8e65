import Machine
import Backend
import Monitor
import QAPI
import Testing
@testable import HMP

/// The model's own commands through a session on the in-process VM, on the virtual clock.
@Suite("model commands on the model")
struct ModelEndToEndTests {
    let backend = InProcessBackend(machine: VirtualMachine(), clock: .virtual())
    let session: HMPSession

    init() { session = HMPSession(backend: backend) }

    func run(_ line: String, _ format: OutputFormat = .table) -> HMPLineResult {
        session.format = format
        return session.execute(line)
    }

    @Test func guestSettingsShowUp() throws {
        let before = try backend.execute(XQueryGuestCommand.self, QAPIEmpty())
        #expect(run("info guest").output.hasPrefix("RAM             \(SizeEcho.bytes(before.ramSize))\n"))
        #expect(run("guest_set dirty-rate 20k").succeeded)
        #expect(run("guest_set zero-pages 25%").succeeded)
        #expect(run("guest_set hot-set 1G").output == "guest hot set: 1 GiB (1073741824 bytes)\n")
        let after = try backend.execute(XQueryGuestCommand.self, QAPIEmpty())
        #expect(after.dirtyRate == 20_000 && after.zeroPercent == 25 && after.hotSetSize == 1 << 30)
        let table = run("info guest").output
        #expect(table.contains("dirty rate      20000 pages/s (78.1 MiB/s)\n"))
        #expect(table.contains("run state       running\n"))
        #expect(run("info guest", .qemu).output.contains("\nzero-percent: 25\nhot-set-size: 1073741824 bytes\n"))
        #expect(try JSONParser.parse(run("info guest", .json).output)["return"] == after.qapi)
    }

    @Test func linkSettingsAndFaults() throws {
        #expect(run("link_set bandwidth 1G").succeeded)
        #expect(run("link_set latency 5ms").succeeded)
        #expect(run("link_set disk-speed 200M").succeeded)
        let link = try backend.execute(XQueryLinkCommand.self, QAPIEmpty())
        #expect(link.bandwidth == 1_000_000_000 && link.latency == 5000 && link.diskSpeed == 200 << 20)
        #expect(
            run("info link").output.hasPrefix(
                "bandwidth      1 Gbit/s (119 MiB/s)\nlatency        5 ms one way\ndisk speed     200 MiB/s (file: migrations)\n"))

        #expect(run("inject_fault refuse-connection dest.example").succeeded)
        #expect(run("info link").output.hasSuffix("faults         refuse-connection to dest.example\n"))
        #expect(run("info link", .qemu).output.hasSuffix("faults:\n  refuse-connection host=dest.example\n"))
        // The model refuses the connection, so the migration cannot start.
        _ = run("migrate -d tcp:dest.example:4444")
        _ = run("sleep 1s")
        let status = try backend.execute(QueryMigrateCommand.self, QAPIEmpty()).status
        #expect(status == .failed)
        #expect(run("inject_fault clear").output == "all faults cleared\n")
        #expect(run("info link").output.hasSuffix("faults         none\n"))
    }

    @Test func modelRefusalsPassThrough() {
        let r = run("link_set bandwidth 0")
        #expect(!r.succeeded)
        #expect(r.error?.hasPrefix("Error: ") == true)
    }
}
