import QAPI
import TestSupport
import Testing

@testable import HMP

/// `info block -n` (query-named-block-nodes) lists nodes newest first, as QEMU does: QEMU 7.2
/// with `-drive file=top.qcow2` (backed by base.qcow2) then `-drive file=data.raw` lists
/// data's format and file nodes, base's, then top's, each format node before its file node.
@Suite("named block nodes, newest first")
struct BlockNodeOrderTests {
    static func labels(_ text: String) -> [String] {
        text.split(separator: "\n").filter { !$0.hasPrefix(" ") }.compactMap { $0.split(separator: ":").first.map(String.init) }
    }

    @Test func defaultDisksNewestFirst() {
        let vm = ModelSession(format: .qemu)
        #expect(
            Self.labels(vm.run("info block -n").output) == [
                "virtio1-fmt", "virtio1-file", "virtio0-base-fmt", "virtio0-base-file", "virtio0-fmt", "virtio0-file",
            ])
    }

    @Test func anOverlayComesFirst() throws {
        let vm = ModelSession(format: .qemu)
        #expect(vm.run("snapshot_blkdev virtio0 /tmp/overlay.qcow2").succeeded)
        let names = try vm.query(QueryNamedBlockNodesCommand.self, QueryNamedBlockNodesArguments()).compactMap(\.nodeName)
        #expect(names.count == 8)
        let overlay = try vm.query(QueryBlockCommand.self, QAPIEmpty()).first { $0.device == "virtio0" }?.inserted?.nodeName
        #expect(overlay != nil && names.first == overlay)
        #expect(Array(names.suffix(2)) == ["virtio0-fmt", "virtio0-file"])
        // The table lists them in the same order.
        let table = vm.session(.table).execute("info block -n").output.split(separator: "\n").dropFirst(2)
        #expect(table.compactMap { $0.split(separator: " ").first.map(String.init) } == names)
    }
}
