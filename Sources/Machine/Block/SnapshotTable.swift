import QAPI

/// The internal snapshots of one image, oldest first, indexed by name.
///
/// A long run of `savevm` adds one snapshot per command and asks for one by name several times
/// per command, and every query lists them all: so adding and finding cost the same whatever
/// the list's length, the sums the image needs are kept as snapshots come and go, and the
/// schema form of the list (SnapshotInfo, as query-block returns it) is kept alongside, so a
/// query shares it instead of building it again. Removing one rebuilds the index: it is as
/// rare as in QEMU, where delvm rewrites the qcow2 snapshot table.
struct SnapshotTable: Sendable {
    private(set) var list: [InternalSnapshot] = []
    /// The same snapshots as the schema's SnapshotInfo, in the same order.
    private(set) var infos: [SnapshotInfo] = []
    /// Position of the first snapshot with each name.
    private var positions: [String: Int] = [:]
    /// VM state held by the snapshots, and the most guest data any snapshot holds.
    private(set) var vmStateBytes: UInt64 = 0
    private(set) var mostUsed: UInt64 = 0
    /// Snapshots walked to rebuild the index or the sums: adding and finding walk none. Tests
    /// read it to see that a run of savevm stays linear.
    private(set) var snapshotsWalked = 0

    init(_ snapshots: [InternalSnapshot] = []) {
        for s in snapshots { append(s) }
    }

    var isEmpty: Bool { list.isEmpty }
    var count: Int { list.count }

    func snapshot(named name: String) -> InternalSnapshot? { positions[name].map { list[$0] } }

    mutating func append(_ s: InternalSnapshot) {
        if positions[s.name] == nil { positions[s.name] = list.count }
        list.append(s)
        infos.append(Self.info(s))
        vmStateBytes = vmStateBytes.saturatingAdd(s.vmStateSize)
        mostUsed = max(mostUsed, s.usedBytes)
    }

    /// Removes every snapshot named `name`; answers whether there was one.
    @discardableResult
    mutating func removeAll(named name: String) -> Bool {
        guard positions[name] != nil else { return false }
        let walked = snapshotsWalked + list.count
        self = SnapshotTable(list.filter { $0.name != name })
        snapshotsWalked = walked + list.count
        return true
    }

    static func info(_ s: InternalSnapshot) -> SnapshotInfo {
        SnapshotInfo(
            id: s.id, name: s.name, vmStateSize: Int64(clamping: s.vmStateSize), dateSec: s.dateSeconds,
            dateNsec: s.dateNanoseconds, vmClockSec: Int64(s.vmClockNanoseconds / 1_000_000_000),
            vmClockNsec: Int64(s.vmClockNanoseconds % 1_000_000_000))
    }
}
