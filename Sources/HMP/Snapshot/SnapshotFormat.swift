import QAPI

/// The internal snapshots of one disk that can hold them (writable qcow2), for `info snapshots`.
public struct SnapshotDisk: Sendable, Equatable {
    /// The backend name (empty for a node without one).
    public var device: String
    public var nodeName: String?
    public var snapshots: [SnapshotInfo]

    public init(device: String, nodeName: String? = nil, snapshots: [SnapshotInfo]) {
        self.device = device
        self.nodeName = nodeName
        self.snapshots = snapshots
    }

    /// The label QEMU uses (bdrv_get_device_name) and ours when that is empty.
    var label: String { device.isEmpty ? (nodeName ?? "") : device }
}

/// `info snapshots` and the snapshot rows of `info block -v`.
enum SnapshotFormat {
    // MARK: qemu

    /// bdrv_snapshot_dump(NULL), without the newline.
    static let qemuHeader = row("ID", "TAG", "VM_SIZE", "DATE", "VM_CLOCK", "ICOUNT")

    private static func row(_ a: String, _ b: String, _ c: String, _ d: String, _ e: String, _ f: String) -> String {
        CPadding.left(a, 7) + " " + CPadding.left(b, 16) + " " + CPadding.right(c, 8) + " " + CPadding.right(d, 19) + " "
            + CPadding.right(e, 15) + " " + CPadding.right(f, 10)
    }

    /// Guest clock as QEMU prints it: `%04d:%02d:%02d.%03d` (hours:minutes:seconds.milliseconds).
    static func qemuClock(_ s: SnapshotInfo) -> String {
        let total = s.vmClockSec &* 1_000_000_000 &+ s.vmClockNsec
        let secs = total / 1_000_000_000
        return CPadding.zeros(secs / 3600, 4) + ":" + CPadding.zeros((secs / 60) % 60, 2) + ":"
            + CPadding.zeros(secs % 60, 2) + "." + CPadding.zeros((total / 1_000_000) % 1000, 3)
    }

    static func vmSize(_ s: SnapshotInfo) -> String { SizeFormatter.string(fromBytes: UInt64(max(0, s.vmStateSize))) }

    /// bdrv_snapshot_dump(sn), without the newline; `id` replaces the snapshot's id (`--`).
    static func qemuRow(_ s: SnapshotInfo, id: String? = nil, dates: SnapshotDateStyle) -> String {
        row(id ?? s.id, s.name, vmSize(s), dates.string(s.dateSec), qemuClock(s), s.icount.map { String($0) } ?? "--")
    }

    /// hmp_info_snapshots: the first disk holds the VM state; a snapshot is loadable when every
    /// disk has one with its tag.
    static func qemu(_ disks: [SnapshotDisk], dates: SnapshotDateStyle) -> String {
        guard let vmState = disks.first else { return "There is no snapshot available.\n" }
        var partial = disks.filter { !$0.snapshots.isEmpty }
        if partial.isEmpty { return "There is no snapshot available.\n" }
        var global: [SnapshotInfo] = []
        for s in vmState.snapshots where onAll(s.name, disks) {
            global.append(s)
            for i in partial.indices { partial[i].snapshots.removeAll { $0.name == s.name } }
        }
        var out = "List of snapshots present on all disks:\n"
        if global.isEmpty {
            out += "None\n"
        } else {
            out += qemuHeader + "\n"
            for s in global { out += qemuRow(s, id: "--", dates: dates) + "\n" }
        }
        for disk in partial where !disk.snapshots.isEmpty {
            out += "\nList of partial (non-loadable) snapshots on '\(disk.device)':\n"
            out += qemuHeader + "\n"
            for s in disk.snapshots { out += qemuRow(s, dates: dates) + "\n" }
        }
        return out
    }

    static func onAll(_ tag: String, _ disks: [SnapshotDisk]) -> Bool {
        disks.allSatisfy { d in d.snapshots.contains { $0.name == tag } }
    }

    // MARK: table

    /// Guest clock for people: `h:mm:ss.mmm`.
    static func clock(_ s: SnapshotInfo) -> String {
        let total = s.vmClockSec &* 1_000_000_000 &+ s.vmClockNsec
        let secs = total / 1_000_000_000
        return "\(secs / 3600):" + CPadding.zeros((secs / 60) % 60, 2) + ":" + CPadding.zeros(secs % 60, 2) + "."
            + CPadding.zeros((total / 1_000_000) % 1000, 3)
    }

    /// One row per tag: loadable ones (on every disk) first, then the partial ones per disk.
    static func table(_ disks: [SnapshotDisk], dates: SnapshotDateStyle) -> String {
        guard let vmState = disks.first, disks.contains(where: { !$0.snapshots.isEmpty }) else {
            return "There is no snapshot available.\n"
        }
        var t = TextTable(
            headers: ["tag", "id", "vm state", "date", "vm clock", "icount", "on"],
            alignments: [.left, .left, .right, .left, .right, .right, .left])
        var shown = Set<String>()
        for s in vmState.snapshots where onAll(s.name, disks) && shown.insert(s.name).inserted {
            let ids = Set(disks.compactMap { d in d.snapshots.first { $0.name == s.name }?.id })
            t.add([
                s.name, ids.count == 1 ? s.id : "--", vmSize(s), dates.string(s.dateSec), clock(s),
                s.icount.map { String($0) } ?? "-", disks.count == 1 ? "\(vmState.label)" : "all \(disks.count) disks",
            ])
        }
        var partial = false
        for disk in disks {
            for s in disk.snapshots where !onAll(s.name, disks) {
                partial = true
                t.add([
                    s.name, s.id, vmSize(s), dates.string(s.dateSec), clock(s), s.icount.map { String($0) } ?? "-",
                    "\(disk.label) only (partial)",
                ])
            }
        }
        var out = t.render()
        if partial { out += "Partial snapshots are not on every disk and cannot be loaded.\n" }
        return out
    }

    // MARK: json

    /// There is no QMP query for this listing; the reply lists each disk with its snapshots,
    /// the one that holds the VM state first.
    static func json(_ disks: [SnapshotDisk]) -> JSONValue {
        .array(
            disks.map { d in
                var o = JSONObject()
                o.append("device", .string(d.device))
                if let n = d.nodeName { o.append("node-name", .string(n)) }
                o.append("snapshots", .array(d.snapshots.map(\.qapi)))
                return .object(o)
            })
    }
}
