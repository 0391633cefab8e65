import QAPI
@testable import HMP

/// Fixed block data: a thin qcow2 with a backing chain and throttling, a raw data disk that ran
/// out of space, and an empty CD-ROM.
enum BlockFixtures {
    static let GiB: Int64 = 1 << 30
    static let MiB: Int64 = 1 << 20

    static let qcow2Specific = ImageInfoSpecific.qcow2(
        ImageInfoSpecificQCow2Wrapper(
            data: ImageInfoSpecificQCow2(
                compat: "1.1", extendedL2: false, lazyRefcounts: false, corrupt: false, refcountBits: 16, compressionType: .zlib)))

    static let snapshot = SnapshotInfo(
        id: "1", name: "before-upgrade", vmStateSize: 256 * MiB, dateSec: 1_700_000_000, dateNsec: 0,
        vmClockSec: 3723, vmClockNsec: 456_000_000)

    static let baseImage = ImageInfo(
        filename: "/var/lib/hmp/base.qcow2", format: "qcow2", actualSize: 1_181_116_006, virtualSize: 20 * GiB,
        clusterSize: 65536, formatSpecific: qcow2Specific)

    static let osImage = ImageInfo(
        filename: "/var/lib/hmp/os.qcow2", format: "qcow2", dirtyFlag: false, actualSize: 3_435_973_837, virtualSize: 20 * GiB,
        clusterSize: 65536, backingFilename: "base.qcow2", fullBackingFilename: "/var/lib/hmp/base.qcow2",
        backingFilenameFormat: "qcow2", snapshots: [snapshot], backingImage: baseImage, formatSpecific: qcow2Specific)

    static let dataImage = ImageInfo(
        filename: "/var/lib/hmp/data.raw", format: "raw", actualSize: 42 * GiB, virtualSize: 100 * GiB)

    static func device(
        file: String, node: String, drv: String, image: ImageInfo, ro: Bool = false, backing: String? = nil, depth: Int64 = 0,
        detectZeroes: BlockdevDetectZeroesOptions = .off, bps: Int64 = 0, iops: Int64 = 0, group: String? = nil,
        cache: BlockdevCacheInfo = BlockdevCacheInfo(writeback: true, direct: false, noFlush: false), threshold: Int64 = 0
    ) -> BlockDeviceInfo {
        BlockDeviceInfo(
            file: file, nodeName: node, ro: ro, drv: drv, backingFile: backing, backingFileDepth: depth, active: true,
            encrypted: false, detectZeroes: detectZeroes, bps: bps, bpsRd: 0, bpsWr: 0, iops: iops, iopsRd: 0, iopsWr: 0,
            image: image, bpsMax: 0, bpsRdMax: 0, bpsWrMax: 0, iopsMax: 0, iopsRdMax: 0, iopsWrMax: 0, iopsSize: 0,
            group: group, cache: cache, writeThreshold: threshold)
    }

    static let osDevice = device(
        file: "/var/lib/hmp/os.qcow2", node: "disk0", drv: "qcow2", image: osImage, backing: "base.qcow2", depth: 1,
        bps: 10 * MiB, iops: 200, group: "disk0", threshold: 18 * GiB)

    static let dataDevice = device(
        file: "/var/lib/hmp/data.raw", node: "data0", drv: "raw", image: dataImage, detectZeroes: .unmap,
        cache: BlockdevCacheInfo(writeback: false, direct: true, noFlush: false))

    static let virtio0 = BlockInfo(
        device: "virtio0", qdev: "/machine/peripheral-anon/device[0]/virtio-backend", type: "unknown", removable: false,
        locked: false, inserted: osDevice, ioStatus: .ok)
    static let cdrom = BlockInfo(
        device: "ide1-cd0", qdev: "/machine/unattached/device[23]", type: "unknown", removable: true, locked: false,
        trayOpen: false, ioStatus: .ok)
    static let virtio1 = BlockInfo(
        device: "virtio1", qdev: "/machine/peripheral-anon/device[1]/virtio-backend", type: "unknown", removable: false,
        locked: false, inserted: dataDevice, ioStatus: .nospace)

    static let blocks = [virtio0, cdrom, virtio1]

    static let baseNode = device(file: "/var/lib/hmp/base.qcow2", node: "base0", drv: "qcow2", image: baseImage, ro: true)
    static let nodes = [osDevice, baseNode, dataDevice]

    static func stats(
        rd: Int64, wr: Int64, rdOps: Int64, wrOps: Int64, flushOps: Int64, rdNs: Int64, wrNs: Int64, flushNs: Int64, idle: Int64?
    ) -> BlockDeviceStats {
        BlockDeviceStats(
            rdBytes: rd, wrBytes: wr, rdOperations: rdOps, wrOperations: wrOps, flushOperations: flushOps,
            flushTotalTimeNs: flushNs, wrTotalTimeNs: wrNs, rdTotalTimeNs: rdNs, wrHighestOffset: wr, rdMerged: 0,
            wrMerged: wrOps / 100, idleTimeNs: idle)
    }

    static let stats: [BlockStats] = [
        BlockStats(
            device: "virtio0", qdev: "/machine/peripheral-anon/device[0]/virtio-backend", nodeName: "disk0",
            stats: stats(
                rd: 1_610_612_736, wr: 314_572_800, rdOps: 41234, wrOps: 9876, flushOps: 120,
                rdNs: 2_345_678_901, wrNs: 987_654_321, flushNs: 12_345_678, idle: 1_500_000)),
        BlockStats(
            device: "ide1-cd0", qdev: "/machine/unattached/device[23]",
            stats: stats(rd: 0, wr: 0, rdOps: 0, wrOps: 0, flushOps: 0, rdNs: 0, wrNs: 0, flushNs: 0, idle: nil)),
        BlockStats(
            device: "virtio1", qdev: "/machine/peripheral-anon/device[1]/virtio-backend", nodeName: "data0",
            stats: stats(
                rd: 4096, wr: 1_048_576, rdOps: 1, wrOps: 256, flushOps: 2, rdNs: 850, wrNs: 12_500, flushNs: 3_200_000,
                idle: 61_000_000_000)),
    ]

    static func job(
        _ id: String, _ variant: BlockJobInfo.Variant, len: Int64, offset: Int64, speed: Int64 = 0, status: JobStatus,
        ready: Bool = false, paused: Bool = false, error: String? = nil
    ) -> BlockJobInfo {
        BlockJobInfo(
            device: id, len: len, offset: offset, busy: status == .running, paused: paused, speed: speed, ioStatus: .ok,
            ready: ready, status: status, autoFinalize: true, autoDismiss: true, error: error, variant: variant)
    }

    static let jobs: [BlockJobInfo] = [
        job("virtio0", .stream, len: 20 * GiB, offset: 5 * GiB, status: .running),
        job(
            "mirror-data", .mirror(BlockJobInfoMirror(activelySynced: false)), len: 100 * GiB, offset: 100 * GiB,
            speed: 100 * MiB, status: .ready, ready: true),
        job("backup0", .backup, len: 100 * GiB, offset: 1 * GiB + 512 * MiB, speed: 50 * MiB, status: .paused, paused: true),
    ]
}

extension BlockFixtures {
    static func snap(
        _ id: String, _ tag: String, size: Int64 = 0, date: Int64 = 1_700_000_000, clock: Int64 = 0, icount: Int64? = nil
    ) -> SnapshotInfo {
        SnapshotInfo(
            id: id, name: tag, vmStateSize: size, dateSec: date, dateNsec: 0, vmClockSec: clock, vmClockNsec: 250_000_000, icount: icount)
    }

    /// Two writable qcow2 disks that both hold `before-upgrade`, each with a partial snapshot,
    /// a read-only qcow2 that does not count, and the empty CD-ROM.
    static var snapshotBlocks: [BlockInfo] {
        var os = osDevice
        os.image.snapshots = [snapshot, snap("2", "only-on-os", size: 128 * MiB, clock: 90)]
        var logs = device(
            file: "/var/lib/hmp/logs.qcow2", node: "logs0", drv: "qcow2",
            image: ImageInfo(filename: "/var/lib/hmp/logs.qcow2", format: "qcow2", virtualSize: 8 * GiB))
        logs.image.snapshots = [snap("4", "before-upgrade", clock: 3723), snap("5", "logs-rotated")]
        var ro = device(file: "/var/lib/hmp/iso.qcow2", node: "iso0", drv: "qcow2", image: baseImage, ro: true)
        ro.image.snapshots = [snap("1", "factory")]
        return [
            BlockInfo(device: "virtio0", type: "unknown", removable: false, locked: false, inserted: os, ioStatus: .ok),
            BlockInfo(device: "virtio2", type: "unknown", removable: false, locked: false, inserted: logs, ioStatus: .ok),
            BlockInfo(device: "virtio3", type: "unknown", removable: false, locked: false, inserted: ro, ioStatus: .ok),
            cdrom,
        ]
    }
}
