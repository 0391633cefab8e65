import QAPI

/// A backend that finds one internal snapshot by name without listing them all.
///
/// QMP has no such look-up: query-block lists every snapshot of every disk, so a console that
/// asked it on each savevm would take time growing with the square of the snapshots taken. The
/// in-process model answers from its index; over QMP the console lists, as QEMU's own
/// bdrv_snapshot_find() walks the image's snapshot table.
public protocol SnapshotLookup: AnyObject {
    /// The snapshot named `tag` on the node (or, failing that, the backend) named `node`;
    /// nil when there is none.
    func internalSnapshot(named tag: String, on node: String) -> SnapshotInfo?
}

extension MonitorBackend {
    public var snapshotLookup: (any SnapshotLookup)? { self as? any SnapshotLookup }
}
