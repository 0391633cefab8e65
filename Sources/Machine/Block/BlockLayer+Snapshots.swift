import QAPI

/// Snapshots: external overlays (blockdev-snapshot-sync) and the internal qcow2 snapshots that
/// hold VM state (savevm, loadvm, delvm, snapshot-save/-load/-delete, info snapshots).
extension BlockLayer {
    // MARK: - External snapshots

    /// blockdev-snapshot-sync: a new qcow2 (or given format) overlay goes on top of the image, and
    /// the old image becomes its read-only backing file. Done at once, not as a job.
    public func externalSnapshot(_ a: BlockdevSnapshotSync) throws(QMPError) {
        let found = try lookupNode(device: a.device, nodeName: a.nodeName)
        guard !found.isFile, let owner = owner(of: found.image), backends[owner].medium == found.image else {
            throw .generic("The feature 'snapshot' is not enabled")
        }
        try checkNotBusy(found.image)
        let old = images[found.image]!
        let formatName = a.format ?? "qcow2"
        if a.nodeName != nil && a.snapshotNodeName == nil { throw .generic("New overlay node name missing") }
        if let name = a.snapshotNodeName, isNameTaken(name) { throw .generic("New overlay node name already in use") }
        guard let format = DiskFormat(rawValue: formatName) else {
            throw .generic("Unknown file format '\(formatName)'", hint: "The model supports the formats raw and qcow2.")
        }
        let file = a.snapshotFile
        if isOpen(file) { throw lockError(file) }
        let mode = a.mode ?? .absolutePaths
        if mode == .existing {
            guard let existing = hostFiles[file] else { throw .generic("Could not open '\(file)': No such file or directory") }
            if existing.format != format && a.format != nil {
                throw .generic("Image is not in \(format.rawValue) format")
            }
            if !existing.format.supportsBacking { throw .generic("The overlay does not support backing images") }
        } else if !format.supportsBacking {
            throw .generic("Backing file not supported for file format '\(format.rawValue)'")
        }
        if let name = a.snapshotNodeName, !DiskSpec.isWellFormedID(name) { throw .generic("Invalid node-name: '\(name)'") }

        let id = newImageID()
        let existing = mode == .existing ? hostFiles[file] : nil
        images[id] = DiskImage(
            id: id, filename: file, format: existing?.format ?? format,
            formatNodeName: a.snapshotNodeName ?? autoNodeName(), fileNodeName: autoNodeName(),
            virtualSize: existing?.virtualSize ?? old.virtualSize, readOnly: false, storage: .file, preallocated: false,
            backing: found.image, backingFilename: old.filename, backingFormat: old.format,
            used: RateCounter(existing?.usedBytes ?? 0))
        hostFiles[file] = nil
        images[found.image]!.readOnly = true
        backends[owner].medium = id
    }

    // MARK: - VM snapshots

    /// What `info snapshots` needs: the disks that can hold snapshots and what each holds.
    public struct SnapshotListing: Sendable, Hashable {
        /// Backend (or node) that would hold the VM state.
        public var vmStateDevice: String
        public var disks: [DiskSnapshots]
    }

    public struct DiskSnapshots: Sendable, Hashable {
        public var device: String
        public var snapshots: [InternalSnapshot]
    }

    /// The images a VM snapshot covers: every writable medium (savevm), or the listed nodes
    /// (snapshot-save and friends; backend names are accepted too). Name is what messages use.
    func snapshotImages(devices: [String]?) throws(QMPError) -> [(name: String, image: Int)] {
        guard let devices else {
            return backends.compactMap { b in
                guard let top = b.medium, let image = images[top], !image.readOnly else { return nil }
                return (b.name, top)
            }
        }
        var result: [(String, Int)] = []
        for name in devices {
            if let found = node(named: name), !found.isFile {
                result.append((name, found.image))
            } else if let index = backendIndex(name), let top = backends[index].medium {
                result.append((name, top))
            } else {
                throw .generic("No block device node '\(name)'")
            }
        }
        return result
    }

    /// QEMU's bdrv_all_can_snapshot: each covered image must be a writable qcow2.
    private func checkCanSnapshot(_ covered: [(name: String, image: Int)]) throws(QMPError) {
        for (name, id) in covered {
            let image = images[id]!
            if image.readOnly || !image.format.supportsSnapshots {
                throw .generic("Device '\(name)' is writable but does not support snapshots")
            }
        }
    }

    /// QEMU's bdrv_all_find_vmstate_bs: the named node, or the first covered image that can hold state.
    private func vmStateImage(_ covered: [(name: String, image: Int)], vmState: String?) throws(QMPError) -> (name: String, image: Int) {
        if let vmState {
            guard let entry = covered.first(where: { $0.name == vmState || images[$0.image]!.formatNodeName == vmState }) else {
                throw .generic("vmstate block device '\(vmState)' does not exist")
            }
            guard images[entry.image]!.format.supportsSnapshots, !images[entry.image]!.readOnly else {
                throw .generic("vmstate block device '\(vmState)' does not support snapshots")
            }
            return entry
        }
        guard let entry = covered.first(where: { images[$0.image]!.format.supportsSnapshots && !images[$0.image]!.readOnly })
        else { throw .generic("no block device can store vmstate for snapshot") }
        return entry
    }

    /// Saves an internal snapshot named `tag` on every covered disk, with the VM state
    /// (`vmStateSize` bytes) on one of them; `overwrite` replaces a snapshot with the same tag
    /// (savevm) instead of refusing (snapshot-save). `date` is wall-clock nanoseconds since the
    /// epoch (default: the model's clock).
    public func saveSnapshot(
        tag: String, vmStateSize: UInt64, vmClockNanoseconds: UInt64, date: UInt64? = nil,
        devices: [String]? = nil, vmState: String? = nil, overwrite: Bool = true
    ) throws(QMPError) {
        let covered = try snapshotImages(devices: devices)
        try checkCanSnapshot(covered)
        if !overwrite, covered.contains(where: { images[$0.image]!.snapshot(named: tag) != nil }) {
            throw .generic("Snapshot '\(tag)' already exists in one or more devices")
        }
        let holder = try vmStateImage(covered, vmState: vmState)
        let replaced = images[holder.image]!.snapshot(named: tag)?.vmStateSize ?? 0
        if let left = images[holder.image]!.volumeSpaceLeft, vmStateSize > left.saturatingAdd(replaced) {
            throw .generic("Error while writing VM state: No space left on device")
        }
        let when = date ?? epochNanoseconds.saturatingAdd(now.nanoseconds)
        for (_, id) in covered {
            // Changed in place: a copy of the image would make the append copy every snapshot.
            let before = (images[id]!.formatHighWater, images[id]!.fileHighWater)
            images[id]!.snapshotTable.removeAll(named: tag)
            let snapshot = InternalSnapshot(
                id: String(images[id]!.nextSnapshotID), name: tag, vmStateSize: id == holder.image ? vmStateSize : 0,
                dateSeconds: Int64(when / 1_000_000_000), dateNanoseconds: Int64(when % 1_000_000_000),
                vmClockNanoseconds: vmClockNanoseconds, usedBytes: images[id]!.used.whole)
            images[id]!.snapshotTable.append(snapshot)
            images[id]!.nextSnapshotID += 1
            fireCrossedThresholds(id, formatBefore: before.0, fileBefore: before.1)
        }
    }

    /// Reverts every covered disk to the snapshot `tag` and answers the snapshot that holds the
    /// VM state, whose size and guest clock the VM restores.
    @discardableResult
    public func loadSnapshot(tag: String, devices: [String]? = nil, vmState: String? = nil) throws(QMPError) -> InternalSnapshot {
        let covered = try snapshotImages(devices: devices)
        try checkCanSnapshot(covered)
        if covered.isEmpty || covered.contains(where: { images[$0.image]!.snapshot(named: tag) == nil }) {
            throw .generic("Snapshot '\(tag)' does not exist in one or more devices")
        }
        let holder = try vmStateImage(covered, vmState: vmState)
        let snapshot = images[holder.image]!.snapshot(named: tag)!
        if snapshot.vmStateSize == 0 {
            // QEMU's text, double space included.
            throw .generic("This is a disk-only snapshot. Revert to it  offline using qemu-img")
        }
        for (_, id) in covered {
            let target = images[id]!.snapshot(named: tag)!
            images[id]!.used.set(target.usedBytes)
        }
        return snapshot
    }

    /// Deletes the snapshot `tag` wherever it exists on the covered disks; answers on how many.
    /// Like QEMU, a tag found nowhere is not an error.
    @discardableResult
    public func deleteSnapshot(tag: String, devices: [String]? = nil) throws(QMPError) -> Int {
        let covered = try snapshotImages(devices: devices)
        try checkCanSnapshot(covered)
        var count = 0
        for (_, id) in covered where images[id]!.snapshotTable.removeAll(named: tag) {
            count += 1
        }
        return count
    }

    /// The snapshot `tag` on a format node, or on a backend's medium, found through the
    /// image's index: what the console asks on every savevm, loadvm and delvm.
    public func internalSnapshot(named tag: String, on name: String) -> SnapshotInfo? {
        let image: Int
        if let found = node(named: name), !found.isFile {
            image = found.image
        } else if let index = backendIndex(name), let top = backends[index].medium {
            image = top
        } else {
            return nil
        }
        return images[image]?.snapshot(named: tag).map(SnapshotTable.info)
    }

    /// The snapshots of every disk that can hold them, for `info snapshots`.
    public func snapshotsForInfo() throws(QMPError) -> SnapshotListing {
        let covered = try snapshotImages(devices: nil).filter { images[$0.image]!.format.supportsSnapshots }
        let holder = try vmStateImage(covered, vmState: nil)
        return SnapshotListing(
            vmStateDevice: holder.name,
            disks: covered.map { DiskSnapshots(device: $0.name, snapshots: images[$0.image]!.snapshots) })
    }
}
