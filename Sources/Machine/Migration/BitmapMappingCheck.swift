import QAPI

/// Validation of `block-bitmap-mapping` as QEMU's `check_dirty_bitmap_mig_alias_map` does it:
/// build the name→alias map, then the alias→name map, failing on the first problem.
enum BitmapMappingCheck {
    /// Longest node name QEMU accepts (its node_name buffer holds 32 bytes).
    static let maxNodeNameLength = 31
    /// Longest bitmap name (BDRV_BITMAP_MAX_NAME_SIZE).
    static let maxBitmapNameLength = 1023
    static let maxAliasLength = 255

    static func check(_ mapping: [BitmapMigrationNodeAlias]) throws(QMPError) {
        try build(mapping, nameToAlias: true)
        try build(mapping, nameToAlias: false)
    }

    private static func build(_ mapping: [BitmapMigrationNodeAlias], nameToAlias: Bool) throws(QMPError) {
        var nodes: Set<String> = []
        for node in mapping {
            if !isWellFormedID(node.alias) {
                throw QMPError.generic("The node alias '\(node.alias)' is not well-formed")
            }
            if node.alias.utf8.count > maxAliasLength {
                throw QMPError.generic("The node alias '\(node.alias)' is longer than \(maxAliasLength) bytes")
            }
            if node.nodeName.utf8.count > maxNodeNameLength {
                throw QMPError.generic("The node name '\(node.nodeName)' is longer than \(maxNodeNameLength) bytes")
            }
            let key = nameToAlias ? node.nodeName : node.alias
            if !nodes.insert(key).inserted {
                throw QMPError.generic(
                    nameToAlias
                        ? "The node name '\(node.nodeName)' is mapped twice"
                        : "The node alias '\(node.alias)' is used twice")
            }
            var bitmaps: Set<String> = []
            for bitmap in node.bitmaps {
                if bitmap.alias.utf8.count > maxAliasLength {
                    throw QMPError.generic("The bitmap alias '\(bitmap.alias)' is longer than \(maxAliasLength) bytes")
                }
                if bitmap.name.utf8.count > maxBitmapNameLength {
                    throw QMPError.generic(
                        "The bitmap name '\(bitmap.name)' is longer than \(maxBitmapNameLength) bytes")
                }
                let bitmapKey = nameToAlias ? bitmap.name : bitmap.alias
                if !bitmaps.insert(bitmapKey).inserted {
                    throw QMPError.generic(
                        nameToAlias
                            ? "The bitmap '\(node.nodeName)'/'\(bitmap.name)' is mapped twice"
                            : "The bitmap alias '\(node.alias)'/'\(bitmap.alias)' is used twice")
                }
            }
        }
    }

    /// QEMU's `id_wellformed`: a letter, then letters, digits, '-', '.' or '_'.
    static func isWellFormedID(_ id: String) -> Bool {
        var bytes = id.utf8.makeIterator()
        guard let first = bytes.next(), isAlpha(first) else { return false }
        while let b = bytes.next() {
            if !(isAlpha(b) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E || b == 0x5F) { return false }
        }
        return true
    }

    private static func isAlpha(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
}
