import QAPI
import Testing
@testable import HMP

/// Golden output of `info block` in the three formats.
@Suite("info block formats")
struct BlockInfoFormatTests {
    typealias F = BlockFixtures

    static let qemuAll = """
        virtio0 (disk0): /var/lib/hmp/os.qcow2 (qcow2)
            Attached to:      /machine/peripheral-anon/device[0]/virtio-backend
            Cache mode:       writeback
            Backing file:     base.qcow2 (chain depth: 1)
            I/O throttling:   bps=10485760 bps_rd=0 bps_wr=0 bps_max=0 bps_rd_max=0 bps_wr_max=0 iops=200 iops_rd=0 iops_wr=0 iops_max=0 iops_rd_max=0 iops_wr_max=0 iops_size=0 group=disk0

        ide1-cd0: [not inserted]
            Attached to:      /machine/unattached/device[23]
            Removable device: not locked, tray closed

        virtio1 (data0): /var/lib/hmp/data.raw (raw)
            Attached to:      /machine/peripheral-anon/device[1]/virtio-backend
            I/O status:       nospace
            Cache mode:       writethrough, direct
            Detect zeroes:    unmap

        """

    static let qemuImages = """

        Images:
        image: /var/lib/hmp/os.qcow2
        file format: qcow2
        virtual size: 20 GiB (21474836480 bytes)
        disk size: 3.2 GiB
        cluster_size: 65536
        backing file: base.qcow2 (actual path: /var/lib/hmp/base.qcow2)
        backing file format: qcow2
        Snapshot list:
        ID      TAG               VM_SIZE                DATE        VM_CLOCK     ICOUNT
        1       before-upgrade    256 MiB 2023-11-14 22:13:20  0001:02:03.456         --
        Format specific information:
            compat: 1.1
            compression type: zlib
            lazy refcounts: false
            refcount bits: 16
            corrupt: false
            extended l2: false
        image: /var/lib/hmp/base.qcow2
        file format: qcow2
        virtual size: 20 GiB (21474836480 bytes)
        disk size: 1.1 GiB
        cluster_size: 65536
        Format specific information:
            compat: 1.1
            compression type: zlib
            lazy refcounts: false
            refcount bits: 16
            corrupt: false
            extended l2: false

        """

    static let tableAll = """
        device    node   format  file                      size  allocated  ro  removable    io-status
        --------  -----  ------  ---------------------  -------  ---------  --  -----------  ---------
        virtio0   disk0  qcow2   /var/lib/hmp/os.qcow2   20 GiB    3.2 GiB  no  no           ok
        ide1-cd0  -      -       [not inserted]               -          -  -   tray closed  ok
        virtio1   data0  raw     /var/lib/hmp/data.raw  100 GiB     42 GiB  no  no           nospace

        """

    static let tableVerboseTail = """

        virtio0:
          cache            writeback
          backing file     base.qcow2 (chain depth 1)
          I/O limits       bps 10 MiB/s, iops 200/s, group disk0
          write threshold  18 GiB (19327352832 bytes)
          image chain:
            depth  image                    format  virtual size  disk size  cluster  snapshots  backing format
            -----  -----------------------  ------  ------------  ---------  -------  ---------  --------------
                0  /var/lib/hmp/os.qcow2    qcow2         20 GiB    3.2 GiB   64 KiB          1  qcow2
                1  /var/lib/hmp/base.qcow2  qcow2         20 GiB    1.1 GiB   64 KiB          0  -

        virtio1:
          cache            writethrough, direct
          detect zeroes    unmap
          I/O limits       none
          write threshold  off
          image chain:
            depth  image                  format  virtual size  disk size  cluster  snapshots  backing format
            -----  ---------------------  ------  ------------  ---------  -------  ---------  --------------
                0  /var/lib/hmp/data.raw  raw          100 GiB     42 GiB        -          0  -

        """

    // MARK: qemu

    @Test func qemuAllDevices() {
        #expect(BlockFormat.qemu(blocks: F.blocks, nodes: nil, device: nil, verbose: false, dates: .utc) == Self.qemuAll)
    }

    /// The session prints the formatter's reading of the model's devices and nodes.
    @Test func qemuThroughTheSession() {
        let rig = BlockRig(format: .qemu)
        let blocks = rig.blocks, nodes = rig.nodes
        #expect(rig.output("info block") == BlockFormat.qemu(blocks: blocks, nodes: nil, device: nil, verbose: false, dates: .local))
        #expect(
            rig.output("info block -v virtio0")
                == BlockFormat.qemu(blocks: blocks, nodes: nil, device: "virtio0", verbose: true, dates: .local))
        #expect(rig.output("info block -n") == BlockFormat.qemu(blocks: [], nodes: nodes, device: nil, verbose: false, dates: .local))
        #expect(rig.output("info block").hasPrefix("virtio0 (virtio0-fmt): /var/lib/hmp/images/vm0-system.qcow2 (qcow2)\n"))
    }

    @Test func qemuVerboseAddsTheImageChain() {
        let text = BlockFormat.qemu(blocks: F.blocks, nodes: nil, device: "virtio0", verbose: true, dates: .utc)
        let head = Self.qemuAll.split(separator: "\n\n")[0] + "\n"
        #expect(text == head + Self.qemuImages)
    }

    /// QEMU prints a blank line before any entry that is not first in the whole list, so a
    /// filtered answer for the second device starts with an empty line.
    @Test func qemuFilterKeepsTheLeadingBlankLine() {
        let expected = """

            ide1-cd0: [not inserted]
                Attached to:      /machine/unattached/device[23]
                Removable device: not locked, tray closed

            """
        #expect(BlockFormat.qemu(blocks: F.blocks, nodes: nil, device: "ide1-cd0", verbose: false, dates: .utc) == expected)
        // On the model the CD-ROM drive comes last, after two entries.
        let rig = BlockRig(format: .qemu)
        let qdev = rig.blocks.last?.qdev ?? ""
        #expect(
            rig.output("info block ide1-cd0")
                == "\nide1-cd0: [not inserted]\n    Attached to:      \(qdev)\n    Removable device: not locked, tray closed\n")
    }

    @Test func qemuNodes() {
        let expected = """
            disk0: /var/lib/hmp/os.qcow2 (qcow2)
                Cache mode:       writeback
                Backing file:     base.qcow2 (chain depth: 1)
                I/O throttling:   bps=10485760 bps_rd=0 bps_wr=0 bps_max=0 bps_rd_max=0 bps_wr_max=0 iops=200 iops_rd=0 iops_wr=0 iops_max=0 iops_rd_max=0 iops_wr_max=0 iops_size=0 group=disk0

            base0: /var/lib/hmp/base.qcow2 (qcow2, read-only)
                Cache mode:       writeback

            data0: /var/lib/hmp/data.raw (raw)
                Cache mode:       writethrough, direct
                Detect zeroes:    unmap

            """
        #expect(BlockFormat.qemu(blocks: [], nodes: F.nodes, device: nil, verbose: false, dates: .utc) == expected)
        // A node name that no backend has falls back to the node list, blank line included.
        let rig = BlockRig(format: .qemu)
        #expect(
            rig.output("info block virtio0-base-fmt")
                == "\nvirtio0-base-fmt: /var/lib/hmp/images/fedora-41-base.qcow2 (qcow2, read-only)\n    Cache mode:       writeback\n")
    }

    @Test func qemuLabelsAndFlags() {
        var d = F.dataDevice
        d.ro = true
        d.encrypted = true
        d.active = false
        d.bps = 1
        d.group = nil
        d.bpsMax = nil
        let unnamed = BlockInfo(device: "", qdev: "disk-by-id", type: "unknown", removable: true, locked: true, inserted: d, trayOpen: true)
        let anonymous = BlockInfo(device: "", type: "unknown", removable: false, locked: false)
        let qdevOnly = BlockInfo(device: "", qdev: "/machine/peripheral/cd1", type: "unknown", removable: false, locked: false)
        let text = BlockFormat.qemu(blocks: [unnamed, anonymous, qdevOnly], nodes: nil, device: nil, verbose: false, dates: .utc)
        #expect(
            text == """
                data0: /var/lib/hmp/data.raw (raw, read-only, encrypted, inactive)
                    Attached to:      disk-by-id
                    Removable device: locked, tray open
                    Cache mode:       writethrough, direct
                    Detect zeroes:    unmap
                    I/O throttling:   bps=1 bps_rd=0 bps_wr=0 bps_max=0 bps_rd_max=0 bps_wr_max=0 iops=0 iops_rd=0 iops_wr=0 iops_max=0 iops_rd_max=0 iops_wr_max=0 iops_size=0 group=(null)

                <anonymous>: [not inserted]

                /machine/peripheral/cd1: [not inserted]
                    Attached to:      /machine/peripheral/cd1

                """)
    }

    @Test func qemuImageDumpEdges() {
        let image = ImageInfo(
            filename: "nbd://host/export", format: "raw", dirtyFlag: true, virtualSize: 1000, clusterSize: 512, encrypted: true,
            backingFilename: "b.img", snapshots: [])
        #expect(
            BlockFormat.qemuImage(image, dates: .utc) == """
                image: nbd://host/export
                file format: raw
                virtual size: 0.977 KiB (1000 bytes)
                disk size: unavailable
                encrypted: yes
                cluster_size: 512
                cleanly shut down: no
                backing file: b.img (cannot determine actual path)

                """)
        var same = image
        same.fullBackingFilename = "b.img"
        same.backingFilenameFormat = "raw"
        #expect(BlockFormat.qemuImage(same, dates: .utc).hasSuffix("backing file: b.img\nbacking file format: raw\n"))
    }

    /// QEMU walks the format-specific dict in hash-bucket order, not schema order.
    @Test func formatSpecificKeysInQDictOrder() {
        let keys = ["compat", "compression-type", "lazy-refcounts", "refcount-bits", "corrupt", "extended-l2"]
        let members = keys.map { JSONMember($0, .bool(true)) }
        #expect(QDictDump.ordered(members.reversed()).map(\.key) == keys)
        let vmdk = JSONValue.object([
            "create-type": "monolithicSparse", "cid": 1, "parent-cid": .int(4_294_967_295),
            "extents": .array([.object(["filename": "a.vmdk", "format": "SPARSE"])]), "empty": .array([]),
        ])
        #expect(
            QDictDump.dump(vmdk, indentation: 1) == """
                    cid: 1
                    parent cid: 4294967295
                    create type: monolithicSparse
                    empty:
                    extents:
                        [0]:
                            filename: a.vmdk
                            format: SPARSE

                """)
    }

    // MARK: table

    @Test func tableAllDevices() {
        #expect(BlockFormat.table(blocks: F.blocks, nodes: nil, verbose: false) == Self.tableAll)
        #expect(BlockFormat.table(blocks: F.blocks, nodes: nil, verbose: true) == Self.tableAll + Self.tableVerboseTail)
        let rig = BlockRig()
        #expect(rig.output("info block") == BlockFormat.table(blocks: rig.blocks, nodes: nil, verbose: false))
        #expect(rig.output("info block -v") == BlockFormat.table(blocks: rig.blocks, nodes: nil, verbose: true))
        #expect(
            rig.output("info block").hasPrefix(
                """
                device    node         format  file                                    size  allocated  ro   removable    io-status
                --------  -----------  ------  ------------------------------------  ------  ---------  ---  -----------  ---------
                virtio0   virtio0-fmt  qcow2   /var/lib/hmp/images/vm0-system.qcow2  20 GiB
                """))
    }

    @Test func tableOneDeviceAndNodes() {
        #expect(
            BlockRig().output("info block ide1-cd0") == """
                device    node  format  file            size  allocated  ro  removable    io-status
                --------  ----  ------  --------------  ----  ---------  --  -----------  ---------
                ide1-cd0  -     -       [not inserted]     -          -  -   tray closed  ok

                """)
        #expect(
            BlockFormat.table(blocks: [], nodes: F.nodes, verbose: false) == """
                node   format  file                        size  allocated  ro
                -----  ------  -----------------------  -------  ---------  ---
                disk0  qcow2   /var/lib/hmp/os.qcow2     20 GiB    3.2 GiB  no
                base0  qcow2   /var/lib/hmp/base.qcow2   20 GiB    1.1 GiB  yes
                data0  raw     /var/lib/hmp/data.raw    100 GiB     42 GiB  no

                """)
        let rig = BlockRig()
        #expect(rig.output("info block -n") == BlockFormat.table(blocks: [], nodes: rig.nodes, verbose: false))
        #expect(
            rig.output("info block -n -v virtio1-fmt")
                == BlockFormat.table(blocks: [], nodes: rig.nodes.filter { $0.nodeName == "virtio1-fmt" }, verbose: true))
        #expect(
            BlockFormat.table(blocks: [], nodes: [F.dataDevice], verbose: true).hasSuffix(
                """
                data0:
                  cache            writethrough, direct
                  detect zeroes    unmap
                  I/O limits       none
                  write threshold  off
                  image chain:
                    depth  image                  format  virtual size  disk size  cluster  snapshots  backing format
                    -----  ---------------------  ------  ------------  ---------  -------  ---------  --------------
                        0  /var/lib/hmp/data.raw  raw          100 GiB     42 GiB        -          0  -

                """))
    }

    // MARK: json

    @Test func jsonIsTheQueryReply() {
        let rig = BlockRig(format: .json)
        let all = rig.output("info block")
        #expect(all.hasSuffix("}]}\n") && all.filter { $0 == "\n" }.count == 1)
        #expect(jsonReply(all) == .object(["return": .array(rig.blocks.map(\.qapi))]))
        let virtio1 = rig.blocks.filter { $0.device == "virtio1" }
        #expect(virtio1.count == 1)
        #expect(jsonReply(rig.output("info block virtio1")) == .object(["return": .array(virtio1.map(\.qapi))]))
        #expect(jsonReply(rig.output("info block -n")) == .object(["return": .array(rig.nodes.map(\.qapi))]))
        let qdev = rig.blocks.last?.qdev ?? ""
        #expect(
            rig.output("info block ide1-cd0") == """
                {"return": [{"device": "ide1-cd0", "qdev": "\(qdev)", "type": "unknown", "removable": true, "locked": false, "tray_open": false, "io-status": "ok"}]}

                """)
    }

    // MARK: errors

    /// QEMU prints nothing for an unknown name; we say so.
    @Test func unknownNameIsAnError() {
        for format in OutputFormat.allCases where format != .json {
            let rig = BlockRig(format: format)
            let r = rig.run("info block nosuch")
            #expect(rig.actions.isEmpty)
            #expect(r.output == "")
            #expect(r.error == "Error: Cannot find device='nosuch' nor node-name='nosuch'\n")
        }
        let json = BlockRig(format: .json).run("info block -n virtio0")
        #expect(!json.succeeded)
        #expect(
            json.output
                == "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Cannot find device='virtio0' nor node-name='virtio0'\"}}\n")
    }
}
