import QAPI

/// Everything fixed when the model VM is created (what QEMU takes from its command line).
/// The workload and the link can still change at run time through the VM.
public struct MachineConfiguration: Sendable, Hashable {
    /// `-name`; `query-name` returns nothing when nil.
    public var name: String?
    /// Guest RAM in bytes.
    public var ramSize: UInt64
    /// Target page size in bytes.
    public var pageSize: UInt64
    public var vcpus: Int
    /// The memory workload at start-up.
    public var workload: GuestWorkload
    public var host: HostDescription
    /// The link and disk at start-up.
    public var link: NetworkLink
    /// Whether `exec:` migration URIs may be used. Off by default: the model never runs a
    /// command the operator did not allow at start-up.
    public var allowExec: Bool
    /// The run state at start: `running`, `prelaunch` (QEMU's `-S`), or `inmigrate`
    /// (QEMU's `-incoming`).
    public var startState: RunState
    /// With `startState == .inmigrate`: the `-incoming` URI, or nil for `-incoming defer`
    /// (then `migrate-incoming` names the address).
    public var incomingURI: String?
    /// Bytes of device state (CPU, devices) sent when the guest is stopped for switch-over.
    public var deviceStateBytes: UInt64
    /// The block devices (QEMU's `-drive`/`-blockdev`); the block layer's default machine
    /// unless given.
    public var disks: [DiskSpec]
    /// The machine type the migration stream's configuration section names: "none" for a
    /// machine built like QEMU's `-M none` (no RAM, no disks, only QEMU's own sections in its
    /// streams).
    public var machineType: String

    /// The machine type of the model VM.
    public static let modelMachineType = "hmp-model"

    public init(
        name: String? = nil,
        ramSize: UInt64 = 4 << 30,
        pageSize: UInt64 = 4096,
        vcpus: Int = 2,
        workload: GuestWorkload = GuestWorkload(),
        host: HostDescription = HostDescription(),
        link: NetworkLink = NetworkLink(),
        allowExec: Bool = false,
        startState: RunState = .running,
        incomingURI: String? = nil,
        deviceStateBytes: UInt64? = nil,
        disks: [DiskSpec] = DiskSpec.defaultMachine,
        machineType: String = MachineConfiguration.modelMachineType
    ) {
        self.name = name
        self.ramSize = ramSize
        self.pageSize = pageSize
        self.vcpus = max(1, vcpus)
        self.workload = workload
        self.host = host
        self.link = link
        self.allowExec = allowExec
        self.startState = startState
        self.incomingURI = incomingURI
        // A few hundred KiB of device state is what small QEMU guests send at switch-over.
        self.deviceStateBytes = deviceStateBytes ?? (256 << 10) + UInt64(max(1, vcpus)) * (16 << 10)
        self.disks = disks
        self.machineType = machineType
    }

    /// QEMU's `-M none`: no RAM, no disks.
    public static func machineNone(vcpus: Int = 1) -> MachineConfiguration {
        MachineConfiguration(ramSize: 0, vcpus: vcpus, workload: .idle(), disks: [], machineType: "none")
    }

    /// Whether the streams hold only the sections QEMU's `-M none` has.
    public var isMachineNone: Bool { machineType == "none" }

    /// Pages of guest RAM.
    public var totalPages: UInt64 { ramSize / pageSize }
}
