import QAPI

/// What kind of guest device a backend is attached to.
public enum DeviceKind: String, Sendable, Hashable {
    case virtioDisk = "virtio-blk-pci"
    case ideDisk = "ide-hd"
    case ideCDROM = "ide-cd"
    case scsiDisk = "scsi-hd"

    public var isRemovable: Bool { self == .ideCDROM }
    public var hasTray: Bool { self == .ideCDROM }
}

/// The accounting counters of one backend (BlockDeviceStats).
public struct DeviceCounters: Sendable, Hashable {
    var readBytes = RateCounter()
    var writeBytes = RateCounter()
    var readOps = RateCounter()
    var writeOps = RateCounter()
    var flushOps = RateCounter()
    var failedWriteOps = RateCounter()
    public internal(set) var failedReadOps: UInt64 = 0
    public internal(set) var readTotalNanoseconds: UInt64 = 0
    public internal(set) var writeTotalNanoseconds: UInt64 = 0
    public internal(set) var flushTotalNanoseconds: UInt64 = 0

    public var rdBytes: UInt64 { readBytes.whole }
    public var wrBytes: UInt64 { writeBytes.whole }
    public var rdOperations: UInt64 { readOps.whole }
    public var wrOperations: UInt64 { writeOps.whole }
    public var flushOperations: UInt64 { flushOps.whole }
    public var failedWrOperations: UInt64 { failedWriteOps.whole }
}

/// A block backend: the named drive a guest device uses (`virtio0`, `ide1-cd0`), with its
/// medium (the top image of a chain), tray, limits and counters.
public struct BlockBackend: Sendable {
    public let name: String
    public let kind: DeviceKind
    /// QOM path of the guest device.
    public let qdevPath: String
    /// Top image of the medium's chain.
    var medium: Int?
    public internal(set) var trayOpen = false
    /// Set by the guest (e.g. while a CD is mounted); blocks a plain eject.
    public internal(set) var locked = false
    public internal(set) var ioStatus: BlockDeviceIoStatus = .ok
    public internal(set) var cache: CacheMode
    public internal(set) var detectZeroes: BlockdevDetectZeroesOptions
    public internal(set) var readErrorPolicy: BlockdevOnError
    public internal(set) var writeErrorPolicy: BlockdevOnError
    public internal(set) var throttle = ThrottleSettings.unlimited
    public internal(set) var throttleGroup: String?
    public internal(set) var workload: DiskIOWorkload
    public internal(set) var counters = DeviceCounters()
    /// When the last request finished (idle_time_ns counts from here).
    public internal(set) var lastIOTime: ModelTime?
    /// Guest requests that need new space fail, and the policy lets the guest carry on.
    var newDataFailing = false
    /// A pending eject request the guest will honour by unlocking and opening the tray.
    var ejectRequestedAt: ModelTime?

    public var hasMedium: Bool { medium != nil }
}
