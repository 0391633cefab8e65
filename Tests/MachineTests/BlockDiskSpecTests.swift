import QAPI
import Testing

@testable import Machine

@Suite struct BlockDiskSpecTests {
    @Test func minimalQcow2() throws {
        let spec = try DiskSpec.parse("virtio2:qcow2:40G")
        #expect(spec.device == "virtio2" && spec.media == .qcow2 && spec.size == 40 * GiB)
        #expect(spec.readOnly == false && spec.file == nil && spec.workload == .idle)
        #expect(spec.writeErrorPolicy == .enospc && spec.readErrorPolicy == .report)
    }

    @Test func everyOption() throws {
        let spec = try DiskSpec.parse(
            "virtio4:qcow2:100G:volume=2G:used=1G:wr=20M:rd=8M:new=50:cache=none:werror=stop:rerror=ignore:node=thin-fmt:detect-zeroes=unmap:file=/srv/thin.qcow2"
        )
        #expect(spec.volumeSize == 2 * GiB && spec.usedBytes == GiB)
        #expect(spec.cache == CacheMode(writeback: true, direct: true))
        #expect(spec.writeErrorPolicy == .stop && spec.readErrorPolicy == .ignore)
        #expect(spec.nodeName == "thin-fmt" && spec.detectZeroes == .unmap && spec.file == "/srv/thin.qcow2")
        #expect(spec.workload.writeBytesPerSecond == 20 * MiB && spec.workload.writeOpsPerSecond == 320)
        #expect(spec.workload.readBytesPerSecond == 8 * MiB && spec.workload.newDataPerMillion == 500_000)
    }

    @Test func rawReadOnlyAndCdrom() throws {
        let raw = try DiskSpec.parse("virtio3:raw:8G:ro:file=/srv/data.img")
        #expect(raw.media == .raw && raw.readOnly && raw.file == "/srv/data.img")
        let cd = try DiskSpec.parse("ide1-cd1:cdrom:file=/isos/install.iso")
        #expect(cd.media == .cdrom && cd.size == 0 && cd.file == "/isos/install.iso")
        let sized = try DiskSpec.parse("ide1-cd1:cdrom:4.5G:file=/isos/dvd.iso")
        #expect(sized.size == 4_831_838_208)
        let empty = try DiskSpec.parse("ide0-cd0:cdrom")
        #expect(empty.file == nil)
    }

    @Test func sizes() {
        #expect(DiskSpec.parseSizeValue("512") == 512)
        #expect(DiskSpec.parseSizeValue("1k") == 1024)
        #expect(DiskSpec.parseSizeValue("1.5G") == 1_610_612_736)
        #expect(DiskSpec.parseSizeValue("2T") == 2 << 40)
        #expect(DiskSpec.parseSizeValue("1.5") == nil)
        #expect(DiskSpec.parseSizeValue("G") == nil)
        #expect(DiskSpec.parseSizeValue("-1G") == nil)
        #expect(DiskSpec.parseSizeValue("12Q") == nil)
        #expect(DiskSpec.parseSizeValue("99999999999E") == nil)
    }

    @Test(arguments: [
        ("", "empty disk spec: expected DEVICE:FORMAT:SIZE[:OPTION]..., e.g. virtio2:qcow2:40G"),
        (
            "2disk:raw:1G",
            "invalid device name '2disk' in disk spec '2disk:raw:1G': use a letter followed by letters, digits, '-', '_' or '.'"
        ),
        ("virtio2", "disk spec 'virtio2' has no format: expected raw, qcow2 or cdrom after the device name"),
        ("virtio2:vmdk:1G", "unknown format 'vmdk' in disk spec 'virtio2:vmdk:1G': expected raw, qcow2 or cdrom"),
        ("virtio2:qcow2", "disk spec 'virtio2:qcow2' needs a size after 'qcow2', e.g. virtio2:qcow2:8G"),
        ("virtio2:raw:ro", "disk spec 'virtio2:raw:ro' needs a size after 'raw', e.g. virtio2:raw:8G"),
        (
            "virtio2:raw:12Q",
            "invalid size '12Q' in disk spec 'virtio2:raw:12Q': expected a number with an optional K, M, G, T, P or E suffix"
        ),
        ("virtio2:raw:1000", "size 1000 in disk spec 'virtio2:raw:1000' is not a multiple of 512"),
        ("virtio2:raw:0", "size in disk spec 'virtio2:raw:0' must be greater than 0"),
        (
            "virtio2:raw:1G:fast",
            "unknown option 'fast' in disk spec 'virtio2:raw:1G:fast': expected one of ro, file=..., used=..., backing=..., volume=..., cache=..., werror=..., rerror=..., node=..., detect-zeroes=..., rd=..., wr=..., new=..."
        ),
        ("virtio2:raw:1G:ro:ro", "option 'ro' given twice in disk spec 'virtio2:raw:1G:ro:ro'"),
        ("virtio2:raw:1G:file=", "option 'file=' in disk spec 'virtio2:raw:1G:file=' needs a value"),
        ("virtio2:raw:1G:file", "option 'file' in disk spec 'virtio2:raw:1G:file' needs a value: file=..."),
        ("virtio2:raw:1G:ro=yes", "option 'ro' in disk spec 'virtio2:raw:1G:ro=yes' takes no value"),
        (
            "virtio2:raw:1G:cache=fast",
            "invalid cache mode 'fast' in disk spec 'virtio2:raw:1G:cache=fast': expected writeback, writethrough, none, directsync, unsafe"
        ),
        (
            "virtio2:raw:1G:werror=auto",
            "invalid werror 'auto' in disk spec 'virtio2:raw:1G:werror=auto': expected report, ignore, enospc or stop"
        ),
        (
            "virtio2:raw:1G:rerror=enospc",
            "invalid rerror 'enospc' in disk spec 'virtio2:raw:1G:rerror=enospc': expected report, ignore or stop"
        ),
        (
            "virtio2:raw:1G:detect-zeroes=yes",
            "invalid detect-zeroes 'yes' in disk spec 'virtio2:raw:1G:detect-zeroes=yes': expected off, on or unmap"
        ),
        ("virtio2:raw:1G:new=120", "invalid new '120' in disk spec 'virtio2:raw:1G:new=120': expected a percentage from 0 to 100"),
        (
            "virtio2:raw:1G:node=-x",
            "invalid node name '-x' in disk spec 'virtio2:raw:1G:node=-x': use a letter followed by letters, digits, '-', '_' or '.'"
        ),
        ("virtio2:raw:1G:backing=/b.qcow2", "backing= in disk spec 'virtio2:raw:1G:backing=/b.qcow2' needs the qcow2 format"),
        ("virtio2:raw:1G:volume=2G", "volume= in disk spec 'virtio2:raw:1G:volume=2G' needs the qcow2 format"),
        ("virtio2:qcow2:1G:used=2G", "used size 2147483648 in disk spec 'virtio2:qcow2:1G:used=2G' is larger than the disk (1073741824)"),
        (
            "virtio2:qcow2:10G:used=1G:volume=1G",
            "volume size 1073741824 in disk spec 'virtio2:qcow2:10G:used=1G:volume=1G' cannot hold the image (1073938432 bytes needed)"
        ),
        ("ide1-cd1:cdrom:2G", "a cdrom size in disk spec 'ide1-cd1:cdrom:2G' needs the image: add file=PATH"),
        ("ide1-cd1:cdrom:used=1G", "used= in disk spec 'ide1-cd1:cdrom:used=1G' does not apply to a cdrom"),
    ])
    func badSpecs(spec: String, message: String) {
        #expect(throws: DiskSpecError(message)) { try DiskSpec.parse(spec) }
    }

    @Test func attachedSpecDisks() throws {
        let (block, _) = try blockLayer([
            "virtio2:qcow2:40G:backing=/img/base.qcow2", "virtio3:raw:8G:used=1G", "scsi0-hd0:raw:1G",
            "ide1-cd1:cdrom:file=/isos/x.iso",
        ])
        let info = block.queryBlock()
        #expect(info[0].inserted?.backingFileDepth == 1 && info[0].inserted?.image.actualSize == 196_608)
        #expect(info[0].qdev == "/machine/peripheral-anon/device[0]/virtio-backend")
        #expect(info[1].inserted?.image.actualSize == Int64(GiB))
        #expect(info[2].qdev == "/machine/peripheral-anon/device[2]")
        #expect(info[3].removable && info[3].inserted?.ro == true && info[3].inserted?.image.virtualSize == Int64(GiB))
        #expect(info[3].qdev == "/machine/unattached/device[3]")
    }

    @Test func attachRefusesClashes() throws {
        let block = BlockLayer(events: EventQueue())
        func attach(_ text: String) throws -> QMPError? {
            let spec = try DiskSpec.parse(text)
            return failure { try block.attach(spec) }
        }
        #expect(try attach("virtio0:raw:1G")?.desc == "Duplicate ID 'virtio0' for drive")
        #expect(try attach("virtio2:raw:1G:node=virtio0-fmt")?.desc == "Duplicate nodes with node-name='virtio0-fmt'")
        #expect(try attach("virtio2:raw:1G:node=virtio1")?.desc == "node-name=virtio1 is conflicting with a device id")
        let lock = try attach("virtio2:raw:1G:file=/var/lib/hmp/images/vm0-data.raw")
        #expect(lock?.desc == "Failed to get \"write\" lock")
        #expect(lock?.hint == "Is another process using the image [/var/lib/hmp/images/vm0-data.raw]?")
        #expect(block.backendNames == ["virtio0", "virtio1", "ide1-cd0"])
        try block.attach(DiskSpec.parse("virtio2:qcow2:40G"))
        #expect(block.backendNames.last == "virtio2")
    }
}
