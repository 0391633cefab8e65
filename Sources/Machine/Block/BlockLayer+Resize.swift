import QAPI

/// block_resize.
///
/// The rules, QEMU's where it has them:
/// - the node is found as QEMU's bdrv_lookup_bs does: `device` names a backend (its top image),
///   else `node-name` names a node; when both are given the device wins;
/// - a negative size, a node a job holds, and a read-only image are refused;
/// - qcow2 (qcow2_co_truncate()): the size must be a multiple of 512; the images are version 3,
///   so internal snapshots do not prevent a resize; shrinking cuts the guest data at the new
///   end; the L1 table holds at most 32 MiB of entries (QCOW_MAX_L1_SIZE), which with 64 KiB
///   clusters caps the size at 2 PiB (qcow2_grow_l1_table() answers EFBIG);
/// - raw: any byte size; shrinking cuts the guest data at the new end; a raw image on a volume
///   cannot grow past the volume;
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
            switch image.format {
            case .qcow2:
                guard newSize % 512 == 0 else { throw .generic("The new size must be a multiple of 512") }
                if newSize > Self.qcow2MaximumSize { throw .generic("Failed to grow the L1 table: File too large") }
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

    /// QCOW_MAX_L1_SIZE (32 MiB) of 8-byte L1 entries, each mapping an L2 table of 64 KiB /
    /// 8 clusters of 64 KiB: 2^22 × 2^29 bytes.
    public static let qcow2MaximumSize: UInt64 = 1 << 51

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
