import QAPI

/// Dirty bitmaps: a node records which of its bytes the guest wrote (what incremental backups
/// read). The schema has no bitmap commands yet; these are the model's calls, with QEMU's texts.
extension BlockLayer {
    /// Adds a bitmap to a node (block-dirty-bitmap-add). Granularity defaults to the cluster size,
    /// or 64 KiB for formats without clusters.
    public func addDirtyBitmap(
        node: String, name: String, granularity: UInt32? = nil, persistent: Bool = false, disabled: Bool = false
    ) throws(QMPError) {
        guard !name.isEmpty else { throw .generic("Bitmap name cannot be empty") }
        let found = try lookupNode(device: node, nodeName: node)
        var image = images[found.image]!
        if let g = granularity, g < 512 || g & (g - 1) != 0 {
            throw .generic("Granularity must be power of 2 and at least 512")
        }
        if persistent && image.format != .qcow2 {
            throw .generic("Cannot store dirty bitmaps in \(image.format.rawValue) format")
        }
        if image.bitmaps.contains(where: { $0.name == name }) { throw .generic("Bitmap already exists: \(name)") }
        image.bitmaps.append(
            DirtyBitmap(
                name: name, granularity: granularity ?? UInt32(image.clusterSize ?? 65_536), recording: !disabled,
                persistent: persistent))
        images[found.image] = image
    }

    /// Removes a bitmap (block-dirty-bitmap-remove).
    public func removeDirtyBitmap(node: String, name: String) throws(QMPError) {
        let (id, index) = try bitmap(node: node, name: name)
        images[id]!.bitmaps.remove(at: index)
    }

    /// Marks every byte clean again, as after a full backup (block-dirty-bitmap-clear).
    public func clearDirtyBitmap(node: String, name: String) throws(QMPError) {
        let (id, index) = try bitmap(node: node, name: name)
        images[id]!.bitmaps[index].dirty = RateCounter()
    }

    private func bitmap(node: String, name: String) throws(QMPError) -> (Int, Int) {
        guard let found = try? lookupNode(device: node, nodeName: node) else { throw .generic("Node '\(node)' not found") }
        guard let index = images[found.image]!.bitmaps.firstIndex(where: { $0.name == name }) else {
            throw .generic("Dirty bitmap '\(name)' not found")
        }
        return (found.image, index)
    }
}
