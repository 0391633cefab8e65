/// What the (simulated) host offers. Some of QEMU's rules depend on the host rather than on
/// the guest (KVM's dirty ring, userfaultfd write protection); the model reads them from here,
/// so a test or an operator can describe the host they care about.
public struct HostDescription: Sendable, Hashable {
    /// How far userfaultfd write protection goes (needed by background snapshots).
    public enum WriteTracking: Sendable, Hashable {
        /// The kernel has no write-protect support.
        case absent
        /// The kernel has it, but the guest memory configuration cannot use it.
        case available
        /// Usable with this guest.
        case compatible
    }

    /// KVM's `dirty-ring-size` accelerator property in entries; 0 means the dirty ring is off
    /// (dirty bitmap tracking), which rules out dirty-ring measurement and dirty limits.
    public var kvmDirtyRingSize: UInt32
    /// Userfaultfd write protection, for `background-snapshot`.
    public var writeTracking: WriteTracking
    /// Whether userfaultfd is usable for postcopy on this host (matters on the destination).
    public var postcopySupported: Bool
    /// Whether the build has replication (COLO); QEMU builds without it refuse `x-colo`.
    public var replication: Bool
    /// Whether O_DIRECT is available for `direct-io`.
    public var directIO: Bool
    /// Bytes per second one migration stream can push before the sending CPU, not the
    /// network, is the limit; multifd spreads the load over several streams.
    public var streamThroughput: UInt64

    public init(
        kvmDirtyRingSize: UInt32 = 0,
        writeTracking: WriteTracking = .compatible,
        postcopySupported: Bool = true,
        replication: Bool = true,
        directIO: Bool = true,
        streamThroughput: UInt64 = 3_000_000_000
    ) {
        self.kvmDirtyRingSize = kvmDirtyRingSize
        self.writeTracking = writeTracking
        self.postcopySupported = postcopySupported
        self.replication = replication
        self.directIO = directIO
        self.streamThroughput = streamThroughput
    }

    /// True when KVM runs with a dirty ring (`dirty-ring-size` set).
    public var hasDirtyRing: Bool { kvmDirtyRingSize > 0 }
}
