import QAPI

/// `info block` as a table: one row per device (or node), `-v` adds settings and the image chain.
extension BlockFormat {
    /// One row per backend (or per node with -n); -v adds each one's details and image chain.
    static func table(blocks: [BlockInfo], nodes: [BlockDeviceInfo]?, verbose: Bool) -> String {
        var t = TextTable(
            headers: ["device", "node", "format", "file", "size", "allocated", "ro", "removable", "io-status"],
            alignments: [.left, .left, .left, .left, .right, .right, .left, .left, .left])
        var details: [(String, BlockDeviceInfo)] = []
        if let nodes {
            // Nodes have no device, tray or I/O status.
            t = TextTable(
                headers: ["node", "format", "file", "size", "allocated", "ro"], alignments: [.left, .left, .left, .right, .right, .left])
            for n in nodes {
                t.add(cells(n))
                if verbose { details.append((n.nodeName ?? "-", n)) }
            }
        } else {
            for b in blocks {
                let removable = b.removable ? (b.locked ? "locked, " : "") + "tray " + (b.trayOpen == true ? "open" : "closed") : "no"
                if let d = b.inserted {
                    t.add([
                        label(b), d.nodeName ?? "-", d.drv, d.file, human(d.image.virtualSize), d.image.actualSize.map(human) ?? "-",
                        d.ro ? "yes" : "no", removable, b.ioStatus?.rawValue ?? "-",
                    ])
                    if verbose { details.append((label(b), d)) }
                } else {
                    t.add([label(b), "-", "-", "[not inserted]", "-", "-", "-", removable, b.ioStatus?.rawValue ?? "-"])
                }
            }
        }
        var out = t.render()
        if verbose {
            for (name, d) in details { out += "\n" + detail(name, d) }
        }
        return out
    }

    static func label(_ b: BlockInfo) -> String {
        b.device.isEmpty ? (b.inserted?.nodeName ?? b.qdev ?? "<anonymous>") : b.device
    }

    private static func cells(_ d: BlockDeviceInfo) -> [String] {
        [d.nodeName ?? "-", d.drv, d.file, human(d.image.virtualSize), d.image.actualSize.map(human) ?? "-", d.ro ? "yes" : "no"]
    }

    static func human(_ bytes: Int64) -> String { HumanUnits.bytes(bytes) }

    /// Settings that differ from the defaults, then the image chain.
    static func detail(_ name: String, _ d: BlockDeviceInfo) -> String {
        var pairs: [(String, String)] = []
        pairs.append(
            (
                "cache",
                (d.cache.writeback ? "writeback" : "writethrough") + (d.cache.direct ? ", direct" : "")
                    + (d.cache.noFlush ? ", ignore flushes" : "")
            ))
        if let backing = d.backingFile { pairs.append(("backing file", "\(backing) (chain depth \(d.backingFileDepth))")) }
        if d.detectZeroes != .off { pairs.append(("detect zeroes", d.detectZeroes.rawValue)) }
        pairs.append(("I/O limits", d.isThrottled ? throttleSummary(d) : "none"))
        pairs.append(("write threshold", d.writeThreshold > 0 ? "\(human(d.writeThreshold)) (\(d.writeThreshold) bytes)" : "off"))
        var out = "\(name):\n" + indent(TextTable.keyValue(pairs))
        var chain = TextTable(
            headers: ["depth", "image", "format", "virtual size", "disk size", "cluster", "snapshots", "backing format"],
            alignments: [.right, .left, .left, .right, .right, .right, .right, .left])
        for (depth, image) in d.image.chain.enumerated() {
            chain.add([
                String(depth), image.filename, image.format, human(image.virtualSize), image.actualSize.map(human) ?? "-",
                image.clusterSize.map(human) ?? "-", String(image.snapshots?.count ?? 0), image.backingFilenameFormat ?? "-",
            ])
        }
        out += "  image chain:\n" + indent(chain.render(), by: 4)
        return out
    }

    /// Only the limits that are set: `bps 10 MiB/s, iops-rd 200, group g0`. Named with dashes
    /// like every parameter in the table format (QAPI's BlockDeviceInfo has `iops_rd`).
    static func throttleSummary(_ d: BlockDeviceInfo) -> String {
        var parts: [String] = []
        let rates: [(String, Int64?)] = [
            ("bps", d.bps), ("bps-rd", d.bpsRd), ("bps-wr", d.bpsWr),
            ("bps-max", d.bpsMax), ("bps-rd-max", d.bpsRdMax), ("bps-wr-max", d.bpsWrMax),
        ]
        for (name, value) in rates { if let v = value, v != 0 { parts.append("\(name) \(human(v))/s") } }
        let ops: [(String, Int64?)] = [
            ("iops", d.iops), ("iops-rd", d.iopsRd), ("iops-wr", d.iopsWr),
            ("iops-max", d.iopsMax), ("iops-rd-max", d.iopsRdMax), ("iops-wr-max", d.iopsWrMax),
        ]
        for (name, value) in ops { if let v = value, v != 0 { parts.append("\(name) \(v)/s") } }
        if let size = d.iopsSize, size != 0 { parts.append("iops-size \(human(size))") }
        if let group = d.group { parts.append("group \(group)") }
        return parts.joined(separator: ", ")
    }

    static func indent(_ text: String, by n: Int = 2) -> String {
        let pad = String(repeating: " ", count: n)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }
            .joined(separator: "\n")
    }
}
