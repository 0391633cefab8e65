import QAPI
import Testing

@testable import Machine

/// The index of internal snapshots: a long run of savevm must cost the same per command
/// whatever the number of snapshots already taken. Counted, not timed: adding and finding
/// walk no snapshot, and query-block hands out the list it keeps instead of building one.
@Suite struct SnapshotTableTests {
    func snapshot(_ name: String, vmState: UInt64 = 0, used: UInt64 = 0) -> InternalSnapshot {
        InternalSnapshot(
            id: name, name: name, vmStateSize: vmState, dateSeconds: 0, dateNanoseconds: 0, vmClockNanoseconds: 0,
            usedBytes: used)
    }

    @Test func addingAndFindingWalkNoSnapshot() {
        var table = SnapshotTable()
        for i in 0..<5000 { table.append(snapshot("s\(i)", vmState: 10, used: UInt64(i))) }
        #expect(table.snapshot(named: "s4321")?.usedBytes == 4321)
        #expect(table.snapshot(named: "nope") == nil)
        #expect(table.snapshotsWalked == 0)
        #expect(table.vmStateBytes == 50_000 && table.mostUsed == 4999)
        #expect(table.infos.map(\.name) == table.list.map(\.name))
    }

    @Test func removingKeepsOrderSumsAndIndex() {
        var table = SnapshotTable((0..<10).map { snapshot("s\($0)", vmState: 1, used: UInt64($0)) })
        let removedAbsent = table.removeAll(named: "absent")
        #expect(!removedAbsent)
        #expect(table.snapshotsWalked == 0)
        let removedLast = table.removeAll(named: "s9")
        #expect(removedLast)
        #expect(table.list.map(\.name) == (0..<9).map { "s\($0)" })
        #expect(table.infos.map(\.name) == table.list.map(\.name))
        #expect(table.vmStateBytes == 9 && table.mostUsed == 8)
        #expect(table.snapshot(named: "s8")?.name == "s8" && table.snapshot(named: "s9") == nil)
        // One removal walks the list once to rebuild (and once more to copy it).
        #expect(table.snapshotsWalked <= 2 * 10)
    }

    @Test func saveRunOnTheBlockLayerStaysLinear() throws {
        let block = BlockLayer(events: EventQueue())
        for i in 0..<3000 {
            try block.saveSnapshot(tag: "s\(i)", vmStateSize: 1, vmClockNanoseconds: UInt64(i))
            _ = block.queryBlock()
        }
        // Overwriting a tag rebuilds that image's index once.
        try block.saveSnapshot(tag: "s0", vmStateSize: 1, vmClockNanoseconds: 0)
        let image = try #require(block.images.values.first { $0.snapshots.count == 3000 })
        #expect(image.snapshotTable.snapshotsWalked <= 2 * 3000)
        #expect(image.snapshots.last?.name == "s0" && image.snapshots.first?.name == "s1")
    }

    @Test func queryBlockSharesTheKeptList() throws {
        let block = BlockLayer(events: EventQueue())
        for i in 0..<100 { try block.saveSnapshot(tag: "s\(i)", vmStateSize: 1, vmClockNanoseconds: 0) }
        let lists = block.queryBlock().compactMap { $0.inserted?.image.snapshots }
        let listed = try #require(lists.first)
        let image = try #require(block.images.values.first { $0.snapshots.count == 100 })
        let kept = image.snapshotTable.infos
        // Same storage: the query copied a reference, not 100 snapshots.
        let listedStorage = listed.withUnsafeBufferPointer { $0.baseAddress }
        let keptStorage = kept.withUnsafeBufferPointer { $0.baseAddress }
        #expect(listedStorage == keptStorage)
        #expect(listed == kept)
    }

    @Test func lookUpByNodeOrDevice() throws {
        let block = BlockLayer(events: EventQueue())
        try block.saveSnapshot(tag: "t", vmStateSize: 7, vmClockNanoseconds: 0)
        #expect(block.internalSnapshot(named: "t", on: "virtio0")?.vmStateSize == 7)
        #expect(block.internalSnapshot(named: "t", on: "virtio0-fmt")?.vmStateSize == 7)
        #expect(block.internalSnapshot(named: "u", on: "virtio0") == nil)
        #expect(block.internalSnapshot(named: "t", on: "nowhere") == nil)
    }
}
