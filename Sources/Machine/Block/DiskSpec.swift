import QAPI

/// A disk to attach when the VM starts, as the console's `--disk` option gives it.
///
/// Grammar: fields separated by `:` (so paths cannot contain `:`), options in any order.
///
///     spec    = device ":" format [ ":" size ] *( ":" option )
///     device  = backend name: a letter, then letters, digits, "-", "_", "."
///               (virtio* is a virtio disk, ide*-cd* an IDE CD-ROM, ide* an IDE disk, scsi* a SCSI disk)
///     format  = "raw" | "qcow2" | "cdrom"
///     size    = number [ "K" | "M" | "G" | "T" | "P" | "E" ]   binary units, no suffix = bytes,
///               a fraction only with a suffix (1.5G); a multiple of 512; required for raw and qcow2;
///               for cdrom optional, the size of the image given with file= (default 1G)
///     option  = "ro"                   read-only
///             | "file=" PATH           image file (default /var/lib/hmp/images/DEVICE.FORMAT)
///             | "used=" SIZE           guest data already in the image (default: none for qcow2,
///                                      the whole disk for raw, which is then fully allocated)
///             | "backing=" PATH        qcow2: a read-only qcow2 base image of the same size below it
///             | "volume=" SIZE         qcow2: the file sits on a block volume of this size (an LV);
///                                      the image cannot grow past it until the volume is resized
///             | "cache=" MODE          writeback | writethrough | none | directsync | unsafe
///             | "werror=" POLICY       report | ignore | enospc | stop   (default enospc)
///             | "rerror=" POLICY       report | ignore | stop            (default report)
///             | "node=" NAME           node name of the format node (default DEVICE-fmt; the file
///                                      node is NAME with -fmt replaced by -file, or NAME-file)
///             | "detect-zeroes=" MODE  off | on | unmap
///             | "rd=" SIZE             guest reads, bytes per second (in 64 KiB requests)
///             | "wr=" SIZE             guest writes, bytes per second (in 64 KiB requests)
///             | "new=" PERCENT         share of writes that land on never-written space (default 10)
///
/// Examples: `virtio2:qcow2:40G`, `virtio3:raw:8G:ro:file=/srv/data.img`,
/// `ide1-cd1:cdrom:file=/isos/install.iso`, `virtio4:qcow2:100G:volume=2G:used=1G:wr=20M`.
public struct DiskSpec: Sendable, Hashable {
    public enum Media: String, Sendable, Hashable {
        case raw
        case qcow2
        case cdrom
    }

    public var device: String
    public var media: Media
    /// Disk size in bytes (for a CD-ROM, the image size; 0 takes the default).
    public var size: UInt64
    public var readOnly = false
    public var file: String?
    public var usedBytes: UInt64?
    public var backingFile: String?
    public var backingUsedBytes: UInt64?
    public var volumeSize: UInt64?
    public var cache = CacheMode()
    public var writeErrorPolicy: BlockdevOnError = .enospc
    public var readErrorPolicy: BlockdevOnError = .report
    public var nodeName: String?
    public var detectZeroes: BlockdevDetectZeroesOptions = .off
    public var workload = DiskIOWorkload.idle

    public init(device: String, media: Media, size: UInt64) {
        self.device = device
        self.media = media
        self.size = size
    }

    /// The usual place for a disk's image file.
    public static func defaultFile(device: String, media: Media) -> String {
        "/var/lib/hmp/images/\(device).\(media == .cdrom ? "iso" : media.rawValue)"
    }

    /// The disks of the default VM: a thin qcow2 system disk over a base image, a read-only raw
    /// data disk, and an empty CD-ROM drive.
    public static let defaultMachine: [DiskSpec] = {
        var system = DiskSpec(device: "virtio0", media: .qcow2, size: 20 << 30)
        system.file = "/var/lib/hmp/images/vm0-system.qcow2"
        system.backingFile = "/var/lib/hmp/images/fedora-41-base.qcow2"
        system.backingUsedBytes = 2_576_351_232
        system.usedBytes = 1_288_175_616
        system.workload = DiskIOWorkload(
            readBytesPerSecond: 4_194_304, readOpsPerSecond: 256,
            writeBytesPerSecond: 1_572_864, writeOpsPerSecond: 96,
            flushesPerSecond: 8, newDataPerMillion: 50_000)
        var data = DiskSpec(device: "virtio1", media: .raw, size: 8 << 30)
        data.file = "/var/lib/hmp/images/vm0-data.raw"
        data.readOnly = true
        data.workload = DiskIOWorkload.steady(readBytesPerSecond: 1_048_576)
        let cdrom = DiskSpec(device: "ide1-cd0", media: .cdrom, size: 0)
        return [system, data, cdrom]
    }()
}

/// Why a disk spec was refused; the text says what was wrong and what is accepted.
public struct DiskSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension DiskSpec {
    static let optionNames = [
        "ro", "file=", "used=", "backing=", "volume=", "cache=", "werror=", "rerror=", "node=",
        "detect-zeroes=", "rd=", "wr=", "new=",
    ]

    /// Parses one `--disk` value (see the grammar above).
    public static func parse(_ text: String) throws(DiskSpecError) -> DiskSpec {
        let usage = "expected DEVICE:FORMAT:SIZE[:OPTION]..., e.g. virtio2:qcow2:40G"
        guard !text.isEmpty else { throw DiskSpecError("empty disk spec: \(usage)") }
        let fields = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let device = fields[0]
        guard isWellFormedID(device) else {
            throw DiskSpecError(
                "invalid device name '\(device)' in disk spec '\(text)': use a letter followed by letters, digits, '-', '_' or '.'")
        }
        guard fields.count >= 2, !fields[1].isEmpty else {
            throw DiskSpecError("disk spec '\(text)' has no format: expected raw, qcow2 or cdrom after the device name")
        }
        guard let media = Media(rawValue: fields[1]) else {
            throw DiskSpecError("unknown format '\(fields[1])' in disk spec '\(text)': expected raw, qcow2 or cdrom")
        }
        var rest = Array(fields.dropFirst(2))
        var size: UInt64 = 0
        if media != .cdrom {
            guard let first = rest.first, !first.isEmpty, first.first!.isNumber else {
                throw DiskSpecError("disk spec '\(text)' needs a size after '\(media.rawValue)', e.g. \(device):\(media.rawValue):8G")
            }
            size = try parseSize(first, what: "size", spec: text)
            guard size > 0 else { throw DiskSpecError("size in disk spec '\(text)' must be greater than 0") }
            guard size % 512 == 0 else {
                throw DiskSpecError("size \(size) in disk spec '\(text)' is not a multiple of 512")
            }
            rest.removeFirst()
        } else if let first = rest.first, let c = first.first, c.isNumber {
            size = try parseSize(first, what: "size", spec: text)
            rest.removeFirst()
        }
        var spec = DiskSpec(device: device, media: media, size: size)
        var seen = Set<String>()
        var newDataPercent: UInt64 = 10
        var rd: UInt64 = 0
        var wr: UInt64 = 0
        for option in rest {
            let (key, value) = splitOption(option)
            guard optionNames.contains(key) || optionNames.contains(key + "=") else {
                throw DiskSpecError(
                    "unknown option '\(option)' in disk spec '\(text)': expected one of \(optionNames.map { $0.hasSuffix("=") ? $0 + "..." : $0 }.joined(separator: ", "))"
                )
            }
            guard seen.insert(key).inserted else { throw DiskSpecError("option '\(key)' given twice in disk spec '\(text)'") }
            if let value, value.isEmpty { throw DiskSpecError("option '\(key)=' in disk spec '\(text)' needs a value") }
            switch (key, value) {
            case ("ro", nil): spec.readOnly = true
            case ("file", let v?): spec.file = v
            case ("used", let v?): spec.usedBytes = try parseSize(v, what: "used size", spec: text)
            case ("backing", let v?): spec.backingFile = v
            case ("volume", let v?): spec.volumeSize = try parseSize(v, what: "volume size", spec: text)
            case ("node", let v?):
                guard isWellFormedID(v) else {
                    throw DiskSpecError(
                        "invalid node name '\(v)' in disk spec '\(text)': use a letter followed by letters, digits, '-', '_' or '.'")
                }
                spec.nodeName = v
            case ("cache", let v?):
                guard let mode = CacheMode(name: v) else {
                    throw DiskSpecError(
                        "invalid cache mode '\(v)' in disk spec '\(text)': expected \(CacheMode.names.joined(separator: ", "))")
                }
                spec.cache = mode
            case ("werror", let v?):
                guard let p = BlockdevOnError(rawValue: v), p != .auto else {
                    throw DiskSpecError("invalid werror '\(v)' in disk spec '\(text)': expected report, ignore, enospc or stop")
                }
                spec.writeErrorPolicy = p
            case ("rerror", let v?):
                guard let p = BlockdevOnError(rawValue: v), p != .auto, p != .enospc else {
                    throw DiskSpecError("invalid rerror '\(v)' in disk spec '\(text)': expected report, ignore or stop")
                }
                spec.readErrorPolicy = p
            case ("detect-zeroes", let v?):
                guard let z = BlockdevDetectZeroesOptions(rawValue: v) else {
                    throw DiskSpecError("invalid detect-zeroes '\(v)' in disk spec '\(text)': expected off, on or unmap")
                }
                spec.detectZeroes = z
            case ("rd", let v?): rd = try parseSize(v, what: "read rate", spec: text)
            case ("wr", let v?): wr = try parseSize(v, what: "write rate", spec: text)
            case ("new", let v?):
                guard let p = UInt64(v), p <= 100 else {
                    throw DiskSpecError("invalid new '\(v)' in disk spec '\(text)': expected a percentage from 0 to 100")
                }
                newDataPercent = p
            default:
                throw DiskSpecError(
                    "option '\(key)' in disk spec '\(text)' \(value == nil ? "needs a value: \(key)=..." : "takes no value")")
            }
        }
        try spec.checkCombination(text)
        if rd > 0 || wr > 0 {
            spec.workload = .steady(
                readBytesPerSecond: rd, writeBytesPerSecond: wr, flushesPerSecond: wr > 0 ? 4 : 0,
                newDataPerMillion: newDataPercent * 10_000)
        }
        return spec
    }

    private func checkCombination(_ text: String) throws(DiskSpecError) {
        if media != .qcow2 {
            if backingFile != nil { throw DiskSpecError("backing= in disk spec '\(text)' needs the qcow2 format") }
            if volumeSize != nil { throw DiskSpecError("volume= in disk spec '\(text)' needs the qcow2 format") }
        }
        if media == .cdrom {
            if usedBytes != nil { throw DiskSpecError("used= in disk spec '\(text)' does not apply to a cdrom") }
            if size > 0 && file == nil {
                throw DiskSpecError("a cdrom size in disk spec '\(text)' needs the image: add file=PATH")
            }
        }
        if let used = usedBytes, used > size {
            throw DiskSpecError("used size \(used) in disk spec '\(text)' is larger than the disk (\(size))")
        }
        if let volume = volumeSize {
            let needed = DiskImage.qcow2Metadata + (usedBytes ?? 0)
            if volume < needed {
                throw DiskSpecError("volume size \(volume) in disk spec '\(text)' cannot hold the image (\(needed) bytes needed)")
            }
        }
    }

    private static func splitOption(_ option: String) -> (String, String?) {
        guard let eq = option.firstIndex(of: "=") else { return (option, nil) }
        return (String(option[..<eq]), String(option[option.index(after: eq)...]))
    }

    private static func parseSize(_ value: String, what: String, spec: String) throws(DiskSpecError) -> UInt64 {
        guard let bytes = parseSizeValue(value) else {
            throw DiskSpecError(
                "invalid \(what) '\(value)' in disk spec '\(spec)': expected a number with an optional K, M, G, T, P or E suffix")
        }
        return bytes
    }

    /// A byte count in QEMU's size syntax (qemu_strtosz): binary suffixes, fractions only with one.
    static func parseSizeValue(_ text: String) -> UInt64? {
        var digits = Substring(text)
        var shift: UInt64 = 0
        if let last = digits.last, let s = "BKMGTPE".firstIndex(of: Character(last.uppercased())) {
            shift = UInt64("BKMGTPE".distance(from: "BKMGTPE".startIndex, to: s)) * 10
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else { return nil }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = UInt64(parts[0].isEmpty ? "0" : String(parts[0])) else { return nil }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: 1 << shift)
        guard !overflow else { return nil }
        guard parts.count == 2 else { return scaled }
        guard shift > 0, !parts[1].isEmpty || !parts[0].isEmpty, let fraction = Double("0." + (parts[1].isEmpty ? "0" : parts[1]))
        else { return nil }
        return scaled.saturatingAdd(UInt64((fraction * Double(UInt64(1) << shift)).rounded()))
    }

    /// QEMU's id_wellformed: a letter, then letters, digits, '-', '_' and '.'.
    static func isWellFormedID(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
