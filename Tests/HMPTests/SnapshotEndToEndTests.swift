import Machine
import Backend
import Monitor
import QAPI
import Testing
@testable import HMP

/// savevm, info snapshots, loadvm and delvm through a session on the in-process VM, on the
/// virtual clock. The default VM has one writable qcow2 disk (virtio0), so every snapshot
/// is present on all disks.
@Suite("snapshot commands on the model")
struct SnapshotEndToEndTests {
    let backend = InProcessBackend(machine: VirtualMachine(), clock: .virtual())
    let session: HMPSession

    init() { session = HMPSession(backend: backend) }

    func run(_ line: String, _ format: OutputFormat = .table) -> HMPLineResult {
        session.format = format
        return session.execute(line)
    }

    /// Snapshot dates are the model's wall clock (2025-01-01 00:00:00 UTC at model time zero),
    /// shown in local time as QEMU shows them.
    static func date(after seconds: Int64) -> String { LocalTime.format(1_735_689_600 + seconds, "%Y-%m-%d %H:%M:%S") }

    @Test func saveListLoadDelete() {
        #expect(run("info snapshots").output == "There is no snapshot available.\n")
        #expect(run("savevm before").output == "snapshot before saved on virtio0; VM state (3 GiB) on virtio0\n")
        _ = run("sleep 90s")
        #expect(run("savevm after", .qemu).output == "")

        #expect(
            run("info snapshots", .qemu).output == """
                List of snapshots present on all disks:
                ID      TAG               VM_SIZE                DATE        VM_CLOCK     ICOUNT
                --      before              3 GiB \(Self.date(after: 0))  0000:00:00.000         --
                --      after               3 GiB \(Self.date(after: 90))  0000:01:30.000         --

                """)
        #expect(
            run("info snapshots").output == """
                tag     id  vm state  date                    vm clock  icount  on
                ------  --  --------  -------------------  -----------  ------  -------
                before  1      3 GiB  \(Self.date(after: 0))  0:00:00.000       -  virtio0
                after   2      3 GiB  \(Self.date(after: 90))  0:01:30.000       -  virtio0

                """)
        let json = try? JSONParser.parse(run("info snapshots", .json).output)
        let listed = json?["return"]?.arrayValue?.first?["snapshots"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(listed == ["before", "after"])
        #expect(run("info block -v virtio0").output.contains("64 KiB          2  qcow2"))

        #expect(run("loadvm before").output == "snapshot before loaded (guest clock 0:00:00.000)\n")
        #expect(run("info status", .qemu).output == "VM status: running\n")
        #expect(run("delvm before").output == "snapshot before deleted from virtio0\n")
        #expect(run("delvm before").output == "no disk holds a snapshot before; nothing deleted\n")
        #expect(!run("info snapshots").output.contains("before"))
        // Every job was waited for and dismissed.
        #expect((try? backend.execute(QueryJobsCommand.self, QAPIEmpty()))?.isEmpty == true)
    }

    /// QEMU's savevm replaces a snapshot with the same tag.
    @Test func savevmReplaces() {
        _ = run("savevm s1")
        _ = run("sleep 1m")
        #expect(
            run("savevm s1").output
                == "snapshot s1 saved on virtio0; VM state (3 GiB) on virtio0; it replaces the earlier snapshot with this tag\n")
        #expect(run("info snapshots").output.contains("s1   2      3 GiB  \(Self.date(after: 60))  0:01:00.000"))
    }

    /// The VM state is the guest's non-zero RAM: more zero pages, a smaller snapshot.
    @Test func vmStateFollowsTheWorkload() {
        #expect(run("guest_set zero-pages 90").succeeded)
        #expect(run("savevm small").output == "snapshot small saved on virtio0; VM state (410 MiB) on virtio0\n")
    }

    /// Without a tag the name is the model's clock, the same time the DATE column shows.
    @Test func savevmWithoutTag() {
        _ = run("sleep 3725s")
        let name = "vm-" + LocalTime.format(1_735_689_600 + 3725, "%Y%m%d%H%M%S")
        #expect(run("savevm").output == "snapshot \(name) saved on virtio0; VM state (3 GiB) on virtio0\n")
        let listing = run("info snapshots", .qemu).output
        #expect(listing.contains(name))
        #expect(listing.contains(Self.date(after: 3725)))
    }

    /// A failed load leaves the VM stopped, as in QEMU; the error says how to go on.
    @Test func failedLoadSaysTheVMIsStopped() {
        let r = run("loadvm nosuch")
        #expect(
            r.error
                == "Error: Snapshot 'nosuch' does not exist in one or more devices\nThe VM stays stopped (restore-vm); cont resumes it.\n")
        #expect(run("info status", .qemu).output == "VM status: paused (restore-vm)\n")
        #expect(run("cont").succeeded)
        #expect(run("info status", .qemu).output == "VM status: running\n")
    }

    @Test func tagsComplete() {
        _ = run("savevm alpha")
        _ = run("savevm beta")
        let completer = HMPCompleter(session: session)
        #expect(completer.complete("loadvm ").candidates.contains("alpha"))
        #expect(completer.complete("delvm b").candidates == ["beta"])
    }
}
