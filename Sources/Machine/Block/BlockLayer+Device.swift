import QAPI

/// Commands on a backend as a whole: I/O limits, thresholds, the tray; and what the guest does.
extension BlockLayer {
    // MARK: - I/O limits

    /// block_set_io_throttle. All limits 0 turn throttling off and leave the group.
    public func setIOThrottle(_ a: BlockIOThrottle) throws(QMPError) {
        let index = try lookupBackend(device: a.device, id: a.id)
        guard backends[index].medium != nil else { throw .generic("Device has no medium") }
        var t = ThrottleSettings()
        (t.bps, t.bpsRd, t.bpsWr, t.iops, t.iopsRd, t.iopsWr) = (a.bps, a.bpsRd, a.bpsWr, a.iops, a.iopsRd, a.iopsWr)
        t.bpsMax = a.bpsMax ?? 0
        t.bpsRdMax = a.bpsRdMax ?? 0
        t.bpsWrMax = a.bpsWrMax ?? 0
        t.iopsMax = a.iopsMax ?? 0
        t.iopsRdMax = a.iopsRdMax ?? 0
        t.iopsWrMax = a.iopsWrMax ?? 0
        t.bpsMaxLength = a.bpsMaxLength ?? 1
        t.bpsRdMaxLength = a.bpsRdMaxLength ?? 1
        t.bpsWrMaxLength = a.bpsWrMaxLength ?? 1
        t.iopsMaxLength = a.iopsMaxLength ?? 1
        t.iopsRdMaxLength = a.iopsRdMaxLength ?? 1
        t.iopsWrMaxLength = a.iopsWrMaxLength ?? 1
        t.iopsSize = a.iopsSize ?? 0
        try t.validate()
        var b = backends[index]
        if t.isEnabled {
            // A backend joins a group when throttling starts; later calls move it only if asked.
            if b.throttleGroup == nil { b.throttleGroup = a.group ?? a.device ?? a.id } else if let g = a.group { b.throttleGroup = g }
            b.throttle = t
        } else {
            b.throttle = .unlimited
            b.throttleGroup = nil
        }
        backends[index] = b
    }

    // MARK: - Write thresholds

    /// block-set-write-threshold: the first write ending past `bytes` on the node sends
    /// BLOCK_WRITE_THRESHOLD once; 0 turns it off.
    public func setWriteThreshold(nodeName: String, bytes: UInt64) throws(QMPError) {
        guard let found = node(named: nodeName), var image = images[found.image] else {
            throw .generic("Device '\(nodeName)' not found")
        }
        let threshold = WriteThreshold(bytes: bytes, armedAt: found.isFile ? image.fileHighWater : image.formatHighWater)
        if found.isFile { image.fileThreshold = threshold } else { image.formatThreshold = threshold }
        images[found.image] = image
    }

    /// The threshold a node has now (0 for none).
    public func writeThreshold(nodeName: String) -> UInt64? {
        guard let found = node(named: nodeName), let image = images[found.image] else { return nil }
        return found.isFile ? image.fileThreshold.bytes : image.formatThreshold.bytes
    }

    func fireThreshold(image id: Int, isFile: Bool, highWater: UInt64) {
        guard var image = images[id] else { return }
        let t = isFile ? image.fileThreshold : image.formatThreshold
        guard t.bytes > 0, highWater > t.bytes else { return }
        emit(
            BlockWriteThresholdEvent(
                nodeName: isFile ? image.fileNodeName : image.formatNodeName, amountExceeded: highWater - t.bytes,
                writeThreshold: t.bytes))
        if isFile { image.fileThreshold = WriteThreshold() } else { image.formatThreshold = WriteThreshold() }
        images[id] = image
    }

    /// After a write that lands all at once (VM state, a job's data), fires the thresholds it passed.
    func fireCrossedThresholds(_ id: Int, formatBefore: UInt64, fileBefore: UInt64) {
        guard let image = images[id] else { return }
        if image.formatHighWater > formatBefore { fireThreshold(image: id, isFile: false, highWater: image.formatHighWater) }
        if image.fileHighWater > fileBefore { fireThreshold(image: id, isFile: true, highWater: image.fileHighWater) }
    }

    // MARK: - Removable media

    /// eject: opens the tray and takes the medium out. A tray the guest locked is only asked to
    /// open; the guest does so a moment later, and eject can then be repeated. `force` skips asking.
    public func eject(device: String?, id: String?, force: Bool = false) throws(QMPError) {
        let index = try lookupBackend(device: device, id: id)
        let name = device ?? id ?? ""
        var b = backends[index]
        guard b.kind.isRemovable else { throw .generic("Device '\(name)' is not removable") }
        if let top = b.medium, let job = blockingJob(for: top) { throw busyError(name, job) }
        if !b.trayOpen {
            if b.locked && !force {
                b.ejectRequestedAt = b.ejectRequestedAt ?? now
                backends[index] = b
                throw .generic("Device '\(name)' is locked and force was not specified, wait for tray to open and try again")
            }
            b.locked = false
            b.ejectRequestedAt = nil
            b.trayOpen = true
        }
        if let top = b.medium {
            for id in chain(from: top) { close(id) }
            b.medium = nil
        }
        b.ioStatus = .ok
        backends[index] = b
    }

    /// Puts an image file in a removable drive and closes the tray (what `change` does).
    public func insertMedium(
        device: String, filename: String, format: DiskFormat = .raw, size: UInt64 = BlockLayer.defaultISOSize
    ) throws(QMPError) {
        guard let index = backendIndex(device) else { throw QMPError(.deviceNotFound, "Device '\(device)' not found") }
        guard backends[index].kind.isRemovable else { throw .generic("Device '\(device)' is not removable") }
        if backends[index].locked && !backends[index].trayOpen {
            throw .generic("Device '\(device)' is locked and force was not specified, wait for tray to open and try again")
        }
        if isOpen(filename) { throw lockError(filename) }
        let known = hostFiles[filename]
        if let top = backends[index].medium { for id in chain(from: top) { close(id) } }
        let id = newImageID()
        images[id] = DiskImage(
            id: id, filename: filename, format: known?.format ?? format, formatNodeName: autoNodeName(),
            fileNodeName: autoNodeName(), virtualSize: known?.virtualSize ?? size, readOnly: true, storage: .file,
            preallocated: true, used: RateCounter(known?.virtualSize ?? size))
        hostFiles[filename] = nil
        backends[index].medium = id
        backends[index].trayOpen = false
    }

    /// The guest locks or unlocks the medium (as a guest does while a CD is mounted).
    public func setMediumLocked(device: String, _ locked: Bool) throws(QMPError) {
        guard let index = backendIndex(device) else { throw QMPError(.deviceNotFound, "Device '\(device)' not found") }
        guard backends[index].kind.isRemovable else { throw .generic("Device '\(device)' is not removable") }
        backends[index].locked = locked
    }

    // MARK: - The guest

    /// Sets what the guest does on a disk from now on.
    public func setWorkload(device: String, _ workload: DiskIOWorkload) throws(QMPError) {
        guard let index = backendIndex(device) else { throw QMPError(.deviceNotFound, "Device '\(device)' not found") }
        backends[index].workload = workload
    }

    /// The VM's run state changed. When the guest runs again, every backend's io-status is reset
    /// and failed requests are retried, as `cont` does.
    public func setGuestRunning(_ running: Bool) {
        guard running != guestRunning else { return }
        guestRunning = running
        if running {
            for i in backends.indices { backends[i].ioStatus = .ok }
        }
    }

    /// Makes one guest request on a disk fail, handled as the disk's rerror/werror policy says:
    /// BLOCK_IO_ERROR is sent, and `stop` (or `enospc` when out of space) stops the guest.
    public func injectIOError(device: String, operation: IoOperationType, noSpace: Bool = false) throws(QMPError) {
        guard let index = backendIndex(device) else { throw QMPError(.deviceNotFound, "Device '\(device)' not found") }
        guard backends[index].medium != nil else { throw .generic("Device '\(device)' has no medium") }
        let policy = operation == .read ? backends[index].readErrorPolicy : backends[index].writeErrorPolicy
        let action = policy.action(noSpace: noSpace)
        if operation == .read { backends[index].counters.failedReadOps += 1 } else { backends[index].counters.failedWriteOps.add(1) }
        reportGuestIOError(
            index, operation: operation, action: action, noSpace: noSpace,
            reason: noSpace ? "No space left on device" : "Input/output error")
    }
}
