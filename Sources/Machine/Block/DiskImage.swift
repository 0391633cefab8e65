import QAPI

/// Where an image file lives on the host.
public enum HostStorage: Sendable, Hashable {
    /// A file on a host filesystem: it grows as the image allocates.
    case file
    /// A fixed-size block device (a logical volume): the image must fit in `capacity` bytes,
    /// and a manager grows it by resizing the file node (`block_resize` on its node name).
    case volume(capacity: UInt64)
}

/// One internal snapshot stored in a qcow2 image.
public struct InternalSnapshot: Sendable, Hashable {
    public var id: String
    public var name: String
    /// Bytes of VM state saved with it (0 for a disk-only snapshot).
    public var vmStateSize: UInt64
    public var dateSeconds: Int64
    public var dateNanoseconds: Int64
    /// Guest clock when it was taken, in nanoseconds since the guest started.
    public var vmClockNanoseconds: UInt64
    /// Guest data present when it was taken: what a revert goes back to.
    var usedBytes: UInt64
}

/// A dirty bitmap on a node: it counts the bytes the guest wrote since it was created or cleared.
public struct DirtyBitmap: Sendable, Hashable {
    public var name: String
    public var granularity: UInt32
    public var recording: Bool = true
    public var persistent: Bool = false
    var dirty = RateCounter()

    /// Dirty bytes, rounded up to whole granules and never above the disk size.
    public func count(virtualSize: UInt64) -> UInt64 {
        let g = UInt64(granularity)
        let rounded = dirty.whole == 0 ? 0 : (dirty.whole.saturatingAdd(g - 1) / g) * g
        return min(rounded, virtualSize)
    }
}

/// An image as the model keeps it: a format node (raw or qcow2) over a file node.
///
/// Guest data is counted, not stored: `used` is how much of the disk the guest has ever written
/// (a first-fit guest fills the disk from the front), which is also the highest guest offset
/// written. A thin image allocates host space only for that.
public struct DiskImage: Sendable {
    /// Fixed cost of an empty qcow2 file: header, L1 table, refcount table and block.
    public static let qcow2Metadata: UInt64 = 196_608
    public static let qcow2ClusterSize: UInt64 = 65_536

    let id: Int
    public internal(set) var filename: String
    public internal(set) var format: DiskFormat
    public internal(set) var formatNodeName: String
    public internal(set) var fileNodeName: String
    public internal(set) var virtualSize: UInt64
    public internal(set) var readOnly: Bool
    public internal(set) var storage: HostStorage
    /// A raw image whose file already holds every byte (not sparse).
    public internal(set) var preallocated: Bool
    /// The image below this one in the chain.
    var backing: Int?
    /// The backing file name as written in the image header.
    public internal(set) var backingFilename: String?
    public internal(set) var backingFormat: DiskFormat?
    /// The internal snapshots, oldest first.
    public internal(set) var snapshots: [InternalSnapshot] {
        get { snapshotTable.list }
        set { snapshotTable = SnapshotTable(newValue) }
    }
    var snapshotTable = SnapshotTable()
    /// VM state held by the snapshots.
    public var vmStateBytes: UInt64 { snapshotTable.vmStateBytes }
    var nextSnapshotID = 1
    var used: RateCounter
    /// Write thresholds (0 = off) on the format and the file node, and the measure when armed.
    var formatThreshold = WriteThreshold()
    var fileThreshold = WriteThreshold()
    /// Set by the first guest write after the image was opened (wr_highest_offset starts at 0).
    var writtenSinceOpen = false
    public internal(set) var bitmaps: [DirtyBitmap] = []

    /// Guest bytes written at least once.
    public var usedBytes: UInt64 { used.whole }

    public var clusterSize: UInt64? { format == .qcow2 ? Self.qcow2ClusterSize : nil }

    var metadataBytes: UInt64 { format == .qcow2 ? Self.qcow2Metadata : 0 }

    /// Guest data that only snapshots still hold (written before a snapshot, reverted since).
    var retainedBySnapshots: UInt64 { snapshotTable.mostUsed.saturatingSub(used.whole) }

    /// Host bytes the image occupies (ImageInfo actual-size).
    public var allocatedBytes: UInt64 {
        if preallocated { return virtualSize }
        return metadataBytes.saturatingAdd(used.whole).saturatingAdd(retainedBySnapshots).saturatingAdd(vmStateBytes)
    }

    /// Length of the file node: a volume's capacity, a raw file's nominal size, a qcow2 file's end.
    public var fileLength: UInt64 {
        switch storage {
        case .volume(let capacity): capacity
        case .file: format == .raw ? virtualSize : allocatedBytes
        }
    }

    /// Highest offset written on the format node (guest view) and on the file node (host view).
    var formatHighWater: UInt64 { used.whole }
    var fileHighWater: UInt64 { format == .raw ? used.whole : allocatedBytes }

    /// The most guest data the image can hold: its size, or less when its volume is too small.
    var usedLimit: UInt64 {
        guard case .volume(let capacity) = storage, format == .qcow2 else { return virtualSize }
        return min(virtualSize, capacity.saturatingSub(metadataBytes.saturatingAdd(vmStateBytes)))
    }

    /// The guest data at which the file node's high-water mark reaches `mark`.
    func usedReaching(fileHighWater mark: UInt64) -> UInt64 {
        format == .raw ? mark : mark.saturatingSub(metadataBytes.saturatingAdd(vmStateBytes))
    }

    /// Host bytes a volume still has free for the image (nil on a plain file).
    var volumeSpaceLeft: UInt64? {
        guard case .volume(let capacity) = storage else { return nil }
        return capacity.saturatingSub(format == .raw ? virtualSize : allocatedBytes)
    }

    func snapshot(named name: String) -> InternalSnapshot? { snapshotTable.snapshot(named: name) }
}

/// A one-shot write threshold on a node (block-set-write-threshold).
struct WriteThreshold: Sendable, Hashable {
    var bytes: UInt64 = 0
    /// The node's high-water mark when the threshold was set.
    var armedAt: UInt64 = 0
}
