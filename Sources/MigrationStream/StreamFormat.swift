/// The constants of QEMU's migration stream, version 3 (QEMU's migration/savevm.c and
/// migration/ram.c), as QEMU 7.2 and later write it:
///
///     "QEVM" be32(3)
///     [0x07 be32(len) machine-name]                      configuration
///     { 0x01|0x04 be32(id) u8(len) idstr be32(instance) be32(version) payload 0x7e be32(id)
///     | 0x02|0x03 be32(id) payload 0x7e be32(id) }       sections with their footers
///     0x00                                               end of the device state
///     [0x06 be32(len) json]                              the description of the devices
public enum StreamFormat {
    /// `QEMU_VM_FILE_MAGIC`: "QEVM".
    public static let magic: UInt32 = 0x5145_564D
    /// `QEMU_VM_FILE_VERSION`.
    public static let version: UInt32 = 3
    /// `QEMU_VM_FILE_VERSION_COMPAT`, refused since QEMU 2.x.
    public static let obsoleteVersion: UInt32 = 2
    /// The RAM section's version (`ram_mig_init()` registers version 4).
    public static let ramVersion: UInt32 = 4
    /// `TARGET_PAGE_SIZE` of x86: the page size streams use when they do not say.
    public static let defaultPageSize = 4096
}

/// The byte that opens each record at the top level of the stream (`QEMU_VM_*`).
public enum SectionType: UInt8, Sendable, Hashable, CaseIterable {
    case eof = 0x00
    case start = 0x01
    case part = 0x02
    case end = 0x03
    case full = 0x04
    case subsection = 0x05
    case vmDescription = 0x06
    case configuration = 0x07
    case command = 0x08
    case footer = 0x7E

    /// QEMU's name for it, as the decipherer prints it.
    public var name: String {
        switch self {
        case .eof: "EOF"
        case .start: "START"
        case .part: "PART"
        case .end: "END"
        case .full: "FULL"
        case .subsection: "SUBSECTION"
        case .vmDescription: "VMDESCRIPTION"
        case .configuration: "CONFIGURATION"
        case .command: "COMMAND"
        case .footer: "FOOTER"
        }
    }
}

/// Flags in the low bits of each 64-bit RAM record header (`RAM_SAVE_FLAG_*` in migration/ram.c).
public enum RAMFlag {
    public static let full: UInt64 = 0x01
    /// A page whose bytes all equal the one fill byte that follows (QEMU writes zero).
    public static let zero: UInt64 = 0x02
    /// The block list: total RAM size in the high bits, then each block's name and length.
    public static let memSize: UInt64 = 0x04
    /// A page sent in full.
    public static let page: UInt64 = 0x08
    /// End of this RAM section's records.
    public static let eos: UInt64 = 0x10
    /// The page is in the same block as the previous one, whose name is not repeated.
    public static let continuePage: UInt64 = 0x20
    public static let xbzrle: UInt64 = 0x40
    public static let hook: UInt64 = 0x80
    public static let compressPage: UInt64 = 0x100
    /// Multifd sync point (QEMU 8.1 and later, multifd only).
    public static let multifdFlush: UInt64 = 0x200
}

/// The name, instance and version of the sections every QEMU machine writes.
public enum KnownSection {
    /// `ram`, instance 0, version 4.
    public static let ram = "ram"
    /// `timer` (the vCPU clocks, `cpu_ticks_offset` and `cpu_clock_offset`), version 2.
    public static let timer = "timer"
    /// `globalstate` (the run state the source had), version 1.
    public static let globalState = "globalstate"
}
