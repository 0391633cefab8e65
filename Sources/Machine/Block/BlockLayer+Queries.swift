import QAPI

/// The block queries, answered in schema types with QEMU's rules for which members are present.
extension BlockLayer {
    /// query-block: one entry per backend.
    public func queryBlock() -> [BlockInfo] {
        if let answer = queryBlockAnswer { return answer }
        let answer = backends.map { b in
            BlockInfo(
                device: b.name, qdev: b.qdevPath, type: "unknown", removable: b.kind.isRemovable, locked: b.locked,
                inserted: b.medium.map { deviceInfo(image: $0, isFile: false, backend: b, flat: false) },
                trayOpen: b.kind.hasTray ? b.trayOpen : nil,
                ioStatus: reportsIOStatus(b) ? b.ioStatus : nil)
        }
        queryBlockAnswer = answer
        return answer
    }

    /// io-status is kept when an error can stop the guest.
    func reportsIOStatus(_ b: BlockBackend) -> Bool {
        b.writeErrorPolicy == .stop || b.writeErrorPolicy == .enospc || b.readErrorPolicy == .stop
    }

    /// query-named-block-nodes: every node, newest first, as QEMU's bdrv_named_nodes_list()
    /// prepends each node of graph_bdrv_states (where bdrv_assign_node_name() appends them as
    /// they open). An image's file node opens before its format node, so the format node comes
    /// first; image ids follow the order images open.
    public func queryNamedBlockNodes(flat: Bool = false) -> [BlockDeviceInfo] {
        images.keys.sorted(by: >).compactMap { images[$0] }.flatMap { image -> [BlockDeviceInfo] in
            let b = owner(of: image.id).map { backends[$0] }
            return [
                deviceInfo(image: image.id, isFile: false, backend: b, flat: flat),
                deviceInfo(image: image.id, isFile: true, backend: b, flat: flat),
            ]
        }
    }

    /// query-blockstats: per backend with the file and backing nodes below, or per node.
    public func queryBlockstats(queryNodes: Bool = false) -> [BlockStats] {
        if queryNodes {
            return orderedImages.flatMap { image -> [BlockStats] in
                [nodeStats(image.id, isFile: false, withBacking: false), nodeStats(image.id, isFile: true, withBacking: false)]
            }
        }
        return backends.map { b in
            var s = b.medium.map { nodeStats($0, isFile: false, withBacking: true) } ?? BlockStats(stats: Self.zeroStats)
            s.device = b.name
            s.qdev = b.qdevPath
            let c = b.counters
            s.stats = BlockDeviceStats(
                rdBytes: Int64(clamping: c.rdBytes), wrBytes: Int64(clamping: c.wrBytes),
                rdOperations: Int64(clamping: c.rdOperations), wrOperations: Int64(clamping: c.wrOperations),
                flushOperations: Int64(clamping: c.flushOperations),
                flushTotalTimeNs: Int64(clamping: c.flushTotalNanoseconds),
                wrTotalTimeNs: Int64(clamping: c.writeTotalNanoseconds),
                rdTotalTimeNs: Int64(clamping: c.readTotalNanoseconds),
                wrHighestOffset: s.stats.wrHighestOffset, rdMerged: 0, wrMerged: 0,
                idleTimeNs: b.lastIOTime.map { Int64(clamping: (now - $0).nanoseconds) })
            return s
        }
    }

    /// query-block-jobs: every block job that has not been dismissed.
    public func queryBlockJobs() -> [BlockJobInfo] {
        jobs.map { job in
            let variant: BlockJobInfo.Variant =
                switch job.kind {
                case .commit: .commit
                case .stream: .stream
                case .mirror: .mirror(BlockJobInfoMirror(activelySynced: false))
                case .backup: .backup
                case .create: .create
                case .amend: .amend
                case .snapshotLoad: .snapshotLoad
                case .snapshotSave: .snapshotSave
                case .snapshotDelete: .snapshotDelete
                }
            return BlockJobInfo(
                device: job.id, len: Int64(clamping: job.len), offset: Int64(clamping: job.offset), busy: job.busy,
                paused: job.paused, speed: Int64(clamping: job.speed), ioStatus: job.ioStatus, ready: job.isReady,
                status: job.state, autoFinalize: job.autoFinalize, autoDismiss: job.autoDismiss, error: job.error,
                variant: variant)
        }
    }

    // MARK: - Pieces

    static let zeroStats = BlockDeviceStats(
        rdBytes: 0, wrBytes: 0, rdOperations: 0, wrOperations: 0, flushOperations: 0, flushTotalTimeNs: 0,
        wrTotalTimeNs: 0, rdTotalTimeNs: 0, wrHighestOffset: 0, rdMerged: 0, wrMerged: 0)

    /// A node's own counters: only the write high-water mark lives on nodes; the rest is
    /// accounted on the backend.
    private func nodeStats(_ id: Int, isFile: Bool, withBacking: Bool) -> BlockStats {
        let image = images[id]!
        var stats = Self.zeroStats
        if image.writtenSinceOpen {
            stats.wrHighestOffset = Int64(clamping: isFile ? image.fileHighWater : image.formatHighWater)
        }
        var s = BlockStats(nodeName: isFile ? image.fileNodeName : image.formatNodeName, stats: stats)
        if !isFile {
            s.parent = nodeStats(id, isFile: true, withBacking: false)
            if withBacking, let backing = image.backing, images[backing] != nil {
                s.backing = nodeStats(backing, isFile: false, withBacking: true)
            }
        }
        return s
    }

    /// BlockDeviceInfo of a node. The settings of the backend apply to every node of its chain.
    private func deviceInfo(image id: Int, isFile: Bool, backend: BlockBackend?, flat: Bool) -> BlockDeviceInfo {
        let image = images[id]!
        let isTop = backend?.medium == id
        let t = isTop ? backend!.throttle : .unlimited
        let cache = backend?.cache ?? CacheMode()
        var info = BlockDeviceInfo(
            file: image.filename, nodeName: isFile ? image.fileNodeName : image.formatNodeName, ro: image.readOnly,
            drv: isFile ? fileDriver(image) : image.format.rawValue,
            backingFile: isFile ? nil : image.backingFilename,
            backingFileDepth: isFile ? 0 : Int64(chain(from: id).count - 1), active: true, encrypted: false,
            detectZeroes: isTop && !isFile ? backend!.detectZeroes : .off,
            bps: t.bps, bpsRd: t.bpsRd, bpsWr: t.bpsWr, iops: t.iops, iopsRd: t.iopsRd, iopsWr: t.iopsWr,
            image: isFile ? fileImageInfo(image) : imageInfo(id, flat: flat),
            cache: BlockdevCacheInfo(writeback: cache.writeback, direct: cache.direct, noFlush: cache.noFlush),
            writeThreshold: Int64(clamping: isFile ? image.fileThreshold.bytes : image.formatThreshold.bytes))
        if t.isEnabled {
            // QEMU lists a burst value only when set, with its length, and the group.
            func burst(_ max: Int64, _ length: Int64) -> (Int64?, Int64?) { max != 0 ? (max, length) : (nil, nil) }
            (info.bpsMax, info.bpsMaxLength) = burst(t.bpsMax, t.bpsMaxLength)
            (info.bpsRdMax, info.bpsRdMaxLength) = burst(t.bpsRdMax, t.bpsRdMaxLength)
            (info.bpsWrMax, info.bpsWrMaxLength) = burst(t.bpsWrMax, t.bpsWrMaxLength)
            (info.iopsMax, info.iopsMaxLength) = burst(t.iopsMax, t.iopsMaxLength)
            (info.iopsRdMax, info.iopsRdMaxLength) = burst(t.iopsRdMax, t.iopsRdMaxLength)
            (info.iopsWrMax, info.iopsWrMaxLength) = burst(t.iopsWrMax, t.iopsWrMaxLength)
            info.iopsSize = t.iopsSize != 0 ? t.iopsSize : nil
            info.group = backend?.throttleGroup
        }
        if !isFile && !image.bitmaps.isEmpty {
            info.dirtyBitmaps = image.bitmaps.map { bitmap in
                BlockDirtyInfo(
                    name: bitmap.name, count: Int64(clamping: bitmap.count(virtualSize: image.virtualSize)),
                    granularity: bitmap.granularity, recording: bitmap.recording, busy: false,
                    persistent: bitmap.persistent)
            }
        }
        return info
    }

    private func fileDriver(_ image: DiskImage) -> String {
        if case .volume = image.storage { return "host_device" }
        return "file"
    }

    /// ImageInfo of a format node, with the chain below it unless `flat`.
    func imageInfo(_ id: Int, flat: Bool) -> ImageInfo {
        let image = images[id]!
        var info = ImageInfo(
            filename: image.filename, format: image.format.rawValue,
            actualSize: Int64(clamping: image.allocatedBytes), virtualSize: Int64(clamping: image.virtualSize),
            clusterSize: image.clusterSize.map { Int64($0) })
        if let backing = image.backingFilename {
            info.backingFilename = backing
            info.fullBackingFilename = backing
            info.backingFilenameFormat = image.backingFormat?.rawValue
        }
        // The list is kept in schema form with the snapshots: shared here, not built per query.
        if !image.snapshotTable.isEmpty { info.snapshots = image.snapshotTable.infos }
        if !flat, let below = image.backing, images[below] != nil { info.backingImage = imageInfo(below, flat: false) }
        if image.format == .qcow2 {
            info.formatSpecific = .qcow2(
                ImageInfoSpecificQCow2Wrapper(
                    // QEMU's qcow2_get_specific_info() for a version 3 image made with
                    // qemu-img's defaults: no subclusters, zlib.
                    data: ImageInfoSpecificQCow2(
                        compat: "1.1", extendedL2: false, lazyRefcounts: false, corrupt: false, refcountBits: 16,
                        compressionType: .zlib)))
        }
        return info
    }

    private func fileImageInfo(_ image: DiskImage) -> ImageInfo {
        let allocated: UInt64 = if case .volume(let capacity) = image.storage { capacity } else { image.allocatedBytes }
        return ImageInfo(
            filename: image.filename, format: fileDriver(image), actualSize: Int64(clamping: allocated),
            virtualSize: Int64(clamping: image.fileLength))
    }
}
