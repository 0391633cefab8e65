import QAPI
import TestSupport
import Testing

@testable import HMP

/// TAB offers the devices a command can act on: block_resize writable media and nodes,
/// eject removable drives, the jobs and block_set_io_throttle drives with a medium. The default
/// VM has virtio0 (writable qcow2 over a read-only base), virtio1 (read-only raw) and
/// ide1-cd0 (an empty CD-ROM).
@Suite("device completion by the command's needs")
struct DeviceCompletionTests {
    let vm = ModelSession()

    func offers(_ line: String) -> [String] { HMPCompleter(session: vm.session).complete(line).candidates }

    @Test func blockResizeOffersWritableMediaAndNodes() {
        #expect(offers("block_resize ") == ["virtio0", "virtio0-file", "virtio0-fmt"])
        #expect(offers("block_resize -f v") == ["virtio0", "virtio0-file", "virtio0-fmt"])
    }

    @Test func ejectOffersRemovableDrives() {
        #expect(offers("eject ") == ["ide1-cd0"])
        #expect(offers("eject -f ") == ["ide1-cd0"])
    }

    @Test func commandsNeedingAMediumSkipTheEmptyDrive() {
        for command in ["block_stream", "drive_mirror", "drive_backup", "snapshot_blkdev", "block_set_io_throttle"] {
            #expect(offers("\(command) ") == ["virtio0", "virtio1"], "\(command)")
        }
    }

    @Test func infoBlockStillOffersEverything() {
        let all = offers("info block ")
        #expect(all.contains("ide1-cd0") && all.contains("virtio1") && all.contains("virtio0-base-fmt"))
    }

    /// The offers follow the model as it changes: a medium inserted, an overlay on top.
    @Test func offersFollowTheModel() {
        #expect(vm.run("snapshot_blkdev virtio0 /tmp/overlay.qcow2").succeeded)
        let resizable = offers("block_resize ")
        #expect(resizable.contains("virtio0") && !resizable.contains("virtio0-fmt"))
    }
}
