import QAPI

/// `info block` in QEMU's text (print_block_info); the table is in BlockTableFormat.swift.
enum BlockFormat {
    // MARK: qemu

    /// hmp_info_block. `nodes` is query-named-block-nodes, fetched only when QEMU would print
    /// nodes (with -n, or when `device` names no backend). Like QEMU, an entry that is not the
    /// first of its list is preceded by a blank line even when a filter hid the first.
    static func qemu(blocks: [BlockInfo], nodes: [BlockDeviceInfo]?, device: String?, verbose: Bool, dates: SnapshotDateStyle) -> String {
        var out = ""
        var printed = false
        for (i, info) in blocks.enumerated() where device == nil || device == info.device {
            if i != 0 { out += "\n" }
            out += qemuEntry(info, info.inserted, verbose: verbose, dates: dates)
            printed = true
        }
        if printed { return out }
        for (i, node) in (nodes ?? []).enumerated() where device == nil || device == node.nodeName {
            if i != 0 { out += "\n" }
            out += qemuEntry(nil, node, verbose: verbose, dates: dates)
        }
        return out
    }

    static func qemuEntry(_ info: BlockInfo?, _ inserted: BlockDeviceInfo?, verbose: Bool, dates: SnapshotDateStyle) -> String {
        var out = ""
        if let info, !info.device.isEmpty {
            out += info.device
            if let node = inserted?.nodeName { out += " (\(node))" }
        } else {
            out += inserted?.nodeName ?? info?.qdev ?? "<anonymous>"
        }
        if let d = inserted {
            out += ": \(d.file) (\(d.drv)\(d.ro ? ", read-only" : "")\(d.encrypted ? ", encrypted" : "")\(d.active ? "" : ", inactive"))\n"
        } else {
            out += ": [not inserted]\n"
        }
        if let info {
            if let qdev = info.qdev { out += "    Attached to:      \(qdev)\n" }
            if let status = info.ioStatus, status != .ok { out += "    I/O status:       \(status.rawValue)\n" }
            if info.removable {
                out += "    Removable device: \(info.locked ? "" : "not ")locked, tray \(info.trayOpen == true ? "open" : "closed")\n"
            }
        }
        guard let d = inserted else { return out }
        out +=
            "    Cache mode:       \(d.cache.writeback ? "writeback" : "writethrough")"
            + "\(d.cache.direct ? ", direct" : "")\(d.cache.noFlush ? ", ignore flushes" : "")\n"
        if let backing = d.backingFile { out += "    Backing file:     \(backing) (chain depth: \(d.backingFileDepth))\n" }
        if d.detectZeroes != .off { out += "    Detect zeroes:    \(d.detectZeroes.rawValue)\n" }
        if d.isThrottled {
            // Absent members print as 0 and an absent group as glibc prints NULL.
            out +=
                "    I/O throttling:   bps=\(d.bps) bps_rd=\(d.bpsRd) bps_wr=\(d.bpsWr)"
                + " bps_max=\(d.bpsMax ?? 0) bps_rd_max=\(d.bpsRdMax ?? 0) bps_wr_max=\(d.bpsWrMax ?? 0)"
                + " iops=\(d.iops) iops_rd=\(d.iopsRd) iops_wr=\(d.iopsWr)"
                + " iops_max=\(d.iopsMax ?? 0) iops_rd_max=\(d.iopsRdMax ?? 0) iops_wr_max=\(d.iopsWrMax ?? 0)"
                + " iops_size=\(d.iopsSize ?? 0) group=\(d.group ?? "(null)")\n"
        }
        if verbose {
            out += "\nImages:\n"
            for image in d.image.chain { out += qemuImage(image, dates: dates) }
        }
        return out
    }

    /// bdrv_node_info_dump(info, 0, false).
    static func qemuImage(_ image: ImageInfo, dates: SnapshotDateStyle) -> String {
        var out = "image: \(image.filename)\n"
        out += "file format: \(image.format)\n"
        out += "virtual size: \(SizeFormatter.string(fromBytes: UInt64(max(0, image.virtualSize)))) (\(image.virtualSize) bytes)\n"
        out += "disk size: \(image.actualSize.map { SizeFormatter.string(fromBytes: UInt64(max(0, $0))) } ?? "unavailable")\n"
        if image.encrypted == true { out += "encrypted: yes\n" }
        if let cluster = image.clusterSize { out += "cluster_size: \(cluster)\n" }
        if image.dirtyFlag == true { out += "cleanly shut down: no\n" }
        if let backing = image.backingFilename {
            out += "backing file: \(backing)"
            if let full = image.fullBackingFilename {
                if full != backing { out += " (actual path: \(full))" }
            } else {
                out += " (cannot determine actual path)"
            }
            out += "\n"
            if let format = image.backingFilenameFormat { out += "backing file format: \(format)\n" }
        }
        // An empty list is a NULL pointer in QEMU, so it prints nothing.
        if let snapshots = image.snapshots, !snapshots.isEmpty {
            out += "Snapshot list:\n" + SnapshotFormat.qemuHeader + "\n"
            for s in snapshots { out += SnapshotFormat.qemuRow(s, dates: dates) + "\n" }
        }
        if let specific = image.formatSpecific, let data = specific.qapi["data"], !QDictDump.isEmptyDump(data) {
            out += "Format specific information:\n" + QDictDump.dump(data, indentation: 1)
        }
        return out
    }
}

extension BlockDeviceInfo {
    /// QEMU prints the throttling line when any of the six main limits is set.
    var isThrottled: Bool { bps != 0 || bpsRd != 0 || bpsWr != 0 || iops != 0 || iopsRd != 0 || iopsWr != 0 }
}

extension ImageInfo {
    /// This image and every image below it.
    var chain: [ImageInfo] {
        var result = [self]
        var next = backingImage
        while let image = next, result.count < 1000 {
            result.append(image)
            next = image.backingImage
        }
        return result
    }
}
