import QAPI

/// Which migration capabilities are on. All start off, as in QEMU.
public struct CapabilitySet: Sendable, Hashable {
    private var enabled: Set<MigrationCapability> = []

    public init() {}

    public init(_ on: [MigrationCapability]) { enabled = Set(on) }

    public subscript(capability: MigrationCapability) -> Bool {
        get { enabled.contains(capability) }
        set {
            if newValue { enabled.insert(capability) } else { enabled.remove(capability) }
        }
    }

    /// Every capability in schema order, as `query-migrate-capabilities` lists them.
    public var statusList: [MigrationCapabilityStatus] {
        MigrationCapability.allCases.map { MigrationCapabilityStatus(capability: $0, state: self[$0]) }
    }
}

/// What the capability rules need to know besides the two capability sets.
struct CapabilityCheckContext {
    var host: HostDescription
    var settings: MigrationSettings
    /// The VM waits for an incoming migration (postcopy support is checked only then).
    var inMigrate: Bool
    /// The incoming side has started listening (multifd and preempt must be set before).
    var incomingStarted: Bool
    /// The current (or last) migration runs over RDMA.
    var rdmaInUse: Bool
}

/// QEMU's `migrate_caps_check` for the capabilities this schema has, in QEMU's order, with
/// QEMU's texts. Host-dependent rules read the host description.
enum CapabilityRules {
    /// Capabilities a background snapshot cannot be combined with.
    static let backgroundSnapshotConflicts: [MigrationCapability] = [
        .postcopyRam, .dirtyBitmaps, .postcopyBlocktime, .lateBlockActivate, .returnPath, .multifd,
        .pauseBeforeSwitchover, .autoConverge, .releaseRam, .rdmaPinAll, .xbzrle, .xColo, .validateUuid,
        .zeroCopySend,
    ]

    static func check(old: CapabilitySet, new: CapabilitySet, context: CapabilityCheckContext) throws(QMPError) {
        if new[.xColo] && !context.host.replication {
            throw QMPError.generic(
                "QEMU compiled without replication module can't enable COLO", hint: "Please enable replication before COLO.")
        }
        if context.rdmaInUse { try checkRDMA(new) }

        if new[.postcopyRam] {
            if !old[.postcopyRam] && context.inMigrate && !context.host.postcopySupported {
                throw QMPError.generic(
                    "Postcopy is not supported: Userfaultfd not available: Operation not permitted",
                    hint: HostHints.noUserfaultfd)
            }
            if new[.xIgnoreShared] { throw QMPError.generic("Postcopy is not compatible with ignore-shared") }
            if new[.multifd] { throw QMPError.generic("Postcopy is not yet compatible with multifd") }
        }

        if new[.backgroundSnapshot] {
            switch context.host.writeTracking {
            case .absent:
                throw QMPError.generic("Background-snapshot is not supported by host kernel", hint: HostHints.noWriteTracking)
            case .available:
                throw QMPError.generic(
                    "Background-snapshot is not compatible with guest memory configuration",
                    hint: HostHints.writeTrackingIncompatible)
            case .compatible:
                break
            }
            for conflict in backgroundSnapshotConflicts where new[conflict] {
                throw QMPError.generic("Background-snapshot is not compatible with \(conflict.rawValue)")
            }
        }

        if new[.zeroCopySend]
            && (!new[.multifd] || new[.xbzrle] || context.settings.multifdCompression != .none
                || !context.settings.tlsCreds.isEmpty)
        {
            throw QMPError.generic("Zero copy only available for non-compressed non-TLS multifd migration")
        }

        if new[.postcopyPreempt] {
            if !new[.postcopyRam] { throw QMPError.generic("Postcopy preempt requires postcopy-ram") }
            if context.incomingStarted { throw QMPError.generic("Postcopy preempt must be set before incoming starts") }
        }

        if new[.multifd] && context.incomingStarted {
            throw QMPError.generic("Multifd must be set before incoming starts")
        }

        if new[.switchoverAck] && !new[.returnPath] {
            throw QMPError.generic("Capability 'switchover-ack' requires capability 'return-path'")
        }

        if new[.dirtyLimit] {
            if new[.autoConverge] {
                throw QMPError.generic("dirty-limit conflicts with auto-converge either of then available currently")
            }
            if !context.host.hasDirtyRing {
                throw QMPError.generic(
                    "dirty-limit requires KVM with accelerator property 'dirty-ring-size' set", hint: HostHints.noDirtyRing)
            }
        }

        if new[.multifd] && new[.xbzrle] { throw QMPError.generic("Multifd is not compatible with xbzrle") }

        if new[.mappedRam] {
            if new[.xbzrle] { throw QMPError.generic("Mapped-ram migration is incompatible with xbzrle") }
            if new[.postcopyRam] { throw QMPError.generic("Mapped-ram migration is incompatible with postcopy") }
        }
    }

    /// Capabilities RDMA cannot carry; checked when an RDMA migration starts and when
    /// capabilities change while one is in use.
    static func checkRDMA(_ caps: CapabilitySet) throws(QMPError) {
        if caps[.xbzrle] { throw QMPError.generic("RDMA and XBZRLE can't be used together") }
        if caps[.multifd] { throw QMPError.generic("RDMA and multifd can't be used together") }
        if caps[.postcopyRam] { throw QMPError.generic("RDMA and postcopy-ram can't be used together") }
    }
}

/// Hints that say an error comes from the model's host description, not from the guest.
enum HostHints {
    static let noDirtyRing =
        "The model's host description has no KVM dirty ring (dirty-ring-size is 0); hmp --dirty-ring 4096 gives it one."
    static let noUserfaultfd = "The model's host description has no userfaultfd support."
    static let noWriteTracking = "The model's host description has no userfaultfd write protection."
    static let writeTrackingIncompatible =
        "The model's host description says write protection cannot cover this guest's memory."
}
