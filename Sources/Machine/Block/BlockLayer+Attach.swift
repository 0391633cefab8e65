import QAPI

/// Building the VM's drives.
extension BlockLayer {
    /// Size of a CD-ROM image when the disk spec does not say.
    public static let defaultISOSize: UInt64 = 1 << 30

    /// Adds a drive described by a disk spec, with its guest device. Nothing changes on error.
    public func attach(_ spec: DiskSpec) throws(QMPError) {
        guard DiskSpec.isWellFormedID(spec.device) else { throw .generic("Invalid ID '\(spec.device)' for drive") }
        if backendIndex(spec.device) != nil { throw .generic("Duplicate ID '\(spec.device)' for drive") }
        if node(named: spec.device) != nil {
            throw .generic("Device name '\(spec.device)' conflicts with an existing node name")
        }
        let kind = Self.deviceKind(spec)
        let index = backends.count
        let qdev =
            switch kind {
            case .virtioDisk: "/machine/peripheral-anon/device[\(index)]/virtio-backend"
            case .scsiDisk: "/machine/peripheral-anon/device[\(index)]"
            case .ideDisk, .ideCDROM: "/machine/unattached/device[\(index)]"
            }
        var backend = BlockBackend(
            name: spec.device, kind: kind, qdevPath: qdev, cache: spec.cache, detectZeroes: spec.detectZeroes,
            readErrorPolicy: spec.readErrorPolicy, writeErrorPolicy: spec.writeErrorPolicy, workload: spec.workload)
        if spec.media == .cdrom && spec.file == nil {
            backends.append(backend)
            return
        }

        // Work out both images before adding either, so a clash leaves the model untouched.
        let formatName = spec.nodeName ?? "\(spec.device)-fmt"
        let fileName = formatName.hasSuffix("-fmt") ? String(formatName.dropLast(4)) + "-file" : formatName + "-file"
        let topFile = spec.file ?? DiskSpec.defaultFile(device: spec.device, media: spec.media)
        var names = [formatName, fileName]
        var files = [topFile]
        if let backing = spec.backingFile {
            names += ["\(spec.device)-base-fmt", "\(spec.device)-base-file"]
            files.append(backing)
        }
        for name in names {
            if backendIndex(name) != nil { throw .generic("node-name=\(name) is conflicting with a device id") }
            if node(named: name) != nil { throw .generic("Duplicate nodes with node-name='\(name)'") }
        }
        if Set(files).count < files.count { throw lockError(files[0]) }
        for file in files where isOpen(file) { throw lockError(file) }

        // QEMU opens the top image before its backing file (bdrv_open_backing_file() runs after
        // bdrv_open_common()), so the top takes the older id.
        let id = newImageID()
        var backingID: Int?
        if let backingFile = spec.backingFile {
            let id = newImageID()
            images[id] = DiskImage(
                id: id, filename: backingFile, format: .qcow2, formatNodeName: names[2], fileNodeName: names[3],
                virtualSize: spec.size, readOnly: true, storage: .file, preallocated: false,
                used: RateCounter(min(spec.backingUsedBytes ?? 0, spec.size)))
            hostFiles[backingFile] = nil
            backingID = id
        }
        let format: DiskFormat = spec.media == .qcow2 ? .qcow2 : .raw
        let size = spec.media == .cdrom ? (spec.size > 0 ? spec.size : Self.defaultISOSize) : spec.size
        let preallocated = format == .raw && spec.usedBytes == nil
        images[id] = DiskImage(
            id: id, filename: topFile, format: format, formatNodeName: formatName, fileNodeName: fileName,
            virtualSize: size, readOnly: spec.readOnly || spec.media == .cdrom,
            storage: spec.volumeSize.map { .volume(capacity: $0) } ?? .file, preallocated: preallocated,
            backing: backingID, backingFilename: spec.backingFile, backingFormat: spec.backingFile == nil ? nil : .qcow2,
            used: RateCounter(preallocated ? size : min(spec.usedBytes ?? 0, size)))
        hostFiles[topFile] = nil
        backend.medium = id
        backends.append(backend)
    }

    /// The guest device a drive name implies (QEMU's -drive naming: virtio0, ide0-hd0, ide1-cd0, scsi0-hd0).
    static func deviceKind(_ spec: DiskSpec) -> DeviceKind {
        if spec.media == .cdrom { return .ideCDROM }
        if spec.device.hasPrefix("scsi") { return .scsiDisk }
        if spec.device.hasPrefix("ide") { return .ideDisk }
        return .virtioDisk
    }

    /// QEMU's image-locking failure for a file that is already open.
    func lockError(_ file: String) -> QMPError {
        .generic("Failed to get \"write\" lock", hint: "Is another process using the image [\(file)]?")
    }

    /// Makes an image file known to the model, as if created on the host with qemu-img, so that
    /// commands with mode=existing can use it.
    public func addImageFile(_ filename: String, format: DiskFormat, virtualSize: UInt64, usedBytes: UInt64 = 0) {
        hostFiles[filename] = HostFile(
            format: format, virtualSize: virtualSize, usedBytes: min(usedBytes, virtualSize), backingFilename: nil,
            backingFormat: nil, snapshots: [])
    }

    /// Image files the model knows about that no node has open.
    public var closedImageFiles: [String] { hostFiles.keys.sorted() }
}
