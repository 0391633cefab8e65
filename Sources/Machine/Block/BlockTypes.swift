import QAPI

// The model speaks the schema's vocabulary (BlockdevOnError, JobStatus, MirrorSyncMode, ...);
// what the schema has no word for is defined here.

/// Image formats the model implements.
public enum DiskFormat: String, Sendable, Hashable, CaseIterable {
    case raw
    case qcow2

    /// Whether images of this format can have a backing file and internal snapshots.
    public var supportsBacking: Bool { self == .qcow2 }
    public var supportsSnapshots: Bool { self == .qcow2 }
}

/// Host cache use of a backend, as `info block` shows it.
public struct CacheMode: Sendable, Hashable {
    public var writeback: Bool
    public var direct: Bool
    public var noFlush: Bool

    public init(writeback: Bool = true, direct: Bool = false, noFlush: Bool = false) {
        self.writeback = writeback
        self.direct = direct
        self.noFlush = noFlush
    }

    /// The `-drive cache=` shorthands.
    public static let names = ["writeback", "writethrough", "none", "directsync", "unsafe"]

    public init?(name: String) {
        switch name {
        case "writeback": self.init()
        case "writethrough": self.init(writeback: false)
        case "none": self.init(direct: true)
        case "directsync": self.init(writeback: false, direct: true)
        case "unsafe": self.init(noFlush: true)
        default: return nil
        }
    }
}

extension BlockdevOnError {
    /// The action taken for one failure: `enospc` stops only when the host is out of space.
    /// `auto` must have been resolved against the backend's setting before.
    func action(noSpace: Bool) -> BlockErrorAction {
        switch self {
        case .report, .auto: .report
        case .ignore: .ignore
        case .stop: .stop
        case .enospc: noSpace ? .stop : .report
        }
    }
}

extension JobVerb {
    /// QEMU's verb table (job.c): the states in which each verb is accepted.
    func isAccepted(in state: JobStatus) -> Bool {
        switch self {
        case .cancel: [.created, .running, .paused, .ready, .standby, .waiting, .pending].contains(state)
        case .pause, .resume, .setSpeed, .change: [.created, .running, .paused, .ready, .standby].contains(state)
        case .complete: state == .ready || state == .standby
        case .finalize: state == .pending
        case .dismiss: state == .concluded
        }
    }
}
