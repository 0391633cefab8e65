import QAPI

/// block_resize.
///
/// The rules, QEMU's where it has them:
/// - the node is found as QEMU's bdrv_lookup_bs does: `device` names a backend (its top image),
///   else `node-name` names a node; when both are given the device wins;
/// - a negative size, a node a job holds, and a read-only image are refused;
/// - qcow2: the size must be a multiple of 512, an image with internal snapshots cannot be
///   resized, and it cannot shrink (QEMU before 2.11 refused shrinking too; the model never
///   drops guest data behind the operator's back);
/// - raw: the model also asks for a multiple of 512; shrinking is allowed and cuts the guest
///   data at the new end; a raw image on a volume cannot grow past the volume;
/// - the file node of an image on a volume stands for the volume: resizing it is what a manager
///   does after growing the LV, and lets a thin image allocate again. It cannot shrink below
///   what the image occupies. The file node of an image in a plain file belongs to its format
///   node, which does not let others resize it.
extension BlockLayer {
    public func resize(device: String?, nodeName: String?, size: Int64) throws(QMPError) {
        let found = try lookupNode(device: device, nodeName: nodeName)
        let name = device ?? nodeName ?? ""
        guard size >= 0 else { throw .generic("Parameter 'size' expects a >0 size") }
        if blockingJob(for: found.image) != nil { throw .generic("Device '\(name)' is in use") }
        var image = images[found.image]!
        let newSize = UInt64(size)
        if found.isFile {
            try resizeFile(&image, to: newSize, name: name)
        } else {
            if image.readOnly { throw .generic("Device '\(name)' is read only") }
            guard newSize % 512 == 0 else { throw .generic("The new size must be a multiple of 512") }
            switch image.format {
            case .qcow2:
                if !image.snapshots.isEmpty { throw .generic("Can't resize an image which has snapshots") }
                if newSize < image.virtualSize { throw .generic("qcow2 doesn't support shrinking images yet") }
            case .raw:
                if case .volume(let capacity) = image.storage, newSize > capacity {
                    throw .generic("Cannot grow device files")
                }
            }
            image.virtualSize = newSize
            if image.used.whole > newSize { image.used.set(newSize) }
            for k in image.bitmaps.indices where image.bitmaps[k].dirty.whole > newSize { image.bitmaps[k].dirty.set(newSize) }
        }
        images[found.image] = image
        if let owner = owner(of: found.image), backends[owner].medium == found.image, image.usedLimit > image.used.whole {
            backends[owner].newDataFailing = false
        }
    }

    private func resizeFile(_ image: inout DiskImage, to newSize: UInt64, name: String) throws(QMPError) {
        guard case .volume = image.storage else {
            throw .generic(
                "Conflicts with use by \(image.formatNodeName) as 'file', which does not allow 'resize' on \(image.fileNodeName)")
        }
        let occupied = image.format == .raw ? image.virtualSize : image.allocatedBytes
        guard newSize >= occupied else {
            throw .generic("Cannot shrink volume '\(image.fileNodeName)' below the \(occupied) bytes its image occupies")
        }
        image.storage = .volume(capacity: newSize)
    }
}
