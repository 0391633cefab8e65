import Backend
import Machine
import Monitor
import QAPI
import Testing

@testable import HMP

/// savevm, loadvm and delvm find a snapshot by name through the backend's look-up, never by
/// walking the lists query-block returns: with the lists taken out of query-block's replies
/// the commands still say everything they said. Without a look-up (as over QMP) they read the
/// lists and say the same.
@Suite("snapshot look-up by name")
struct SnapshotLookupTests {
    /// The in-process backend with query-block's snapshot lists removed (or, without the
    /// look-up, with them kept), counting look-ups.
    final class ListlessBackend: MonitorBackend, SnapshotLookup {
        let real = InProcessBackend(machine: VirtualMachine(), clock: .virtual())
        let offersLookup: Bool
        var lookups = 0

        init(offersLookup: Bool) { self.offersLookup = offersLookup }

        func execute<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(QMPError) -> C.Returns {
            let reply = try real.execute(command, arguments)
            guard offersLookup, var blocks = reply as? [BlockInfo] else { return reply }
            for i in blocks.indices { blocks[i].inserted?.image.snapshots = nil }
            return blocks as! C.Returns
        }
        func dispatch(_ request: JSONValue) -> JSONValue { real.dispatch(request) }
        func synchronize() { real.synchronize() }
        func wait(nanoseconds: UInt64) { real.wait(nanoseconds: nanoseconds) }
        func waitForEvent(atMost nanoseconds: UInt64) -> UInt64 { real.waitForEvent(atMost: nanoseconds) }
        func takeEvents() -> [JSONValue] { real.takeEvents() }
        var waitsInRealTime: Bool { false }
        var vmWallClockSeconds: Int64? { real.vmWallClockSeconds }
        var snapshotLookup: (any SnapshotLookup)? { offersLookup ? self : nil }

        func internalSnapshot(named tag: String, on node: String) -> SnapshotInfo? {
            lookups += 1
            return real.internalSnapshot(named: tag, on: node)
        }
    }

    @Test(arguments: [true, false])
    func commandsSayTheSameWithOrWithoutLookUp(offersLookup: Bool) {
        let backend = ListlessBackend(offersLookup: offersLookup)
        let session = HMPSession(backend: backend)
        #expect(session.execute("savevm a").output == "snapshot a saved on virtio0; VM state (3 GiB) on virtio0\n")
        #expect(session.execute("sleep 1m").succeeded)
        #expect(
            session.execute("savevm a").output
                == "snapshot a saved on virtio0; VM state (3 GiB) on virtio0; it replaces the earlier snapshot with this tag\n")
        #expect(session.execute("loadvm a").output == "snapshot a loaded (guest clock 0:01:00.000)\n")
        #expect(session.execute("delvm a").output == "snapshot a deleted from virtio0\n")
        #expect(session.execute("delvm a").output == "no disk holds a snapshot a; nothing deleted\n")
        if offersLookup {
            // A bounded number of look-ups per command, whatever the number of snapshots.
            #expect(backend.lookups > 0 && backend.lookups <= 5 * 2)
        }
    }

    /// Many snapshots: each savevm still asks a fixed number of look-ups, and the model walks
    /// no snapshot list to add one.
    @Test func aRunOfSavevmAsksAFixedNumberOfLookUps() throws {
        let backend = ListlessBackend(offersLookup: true)
        let session = HMPSession(backend: backend)
        for i in 0..<500 { #expect(session.execute("savevm s\(i)").succeeded) }
        #expect(backend.lookups == 500 * 2)
        let listing = try backend.real.machine.block.snapshotsForInfo()
        #expect(listing.disks.first?.snapshots.count == 500)
    }
}
