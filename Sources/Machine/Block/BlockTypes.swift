// Vocabulary of the block model. Raw values are the QMP wire names, so the schema adapter maps
// them one to one; the model keeps its own enums so it does not change when the schema grows.

/// Image formats the model implements.
public enum DiskFormat: String, Sendable, Hashable, CaseIterable {
    case raw
    case qcow2

    /// Whether images of this format can have a backing file and internal snapshots.
    public var supportsBacking: Bool { self == .qcow2 }
    public var supportsSnapshots: Bool { self == .qcow2 }
}

/// What the guest or a job does when an I/O request fails (BlockdevOnError).
public enum ErrorPolicy: String, Sendable, Hashable, CaseIterable {
    case report
    case ignore
    case enospc
    case stop

    /// The action taken for one failure: `enospc` stops only when the disk is full.
    func action(noSpace: Bool) -> ErrorAction {
        switch self {
        case .report: .report
        case .ignore: .ignore
        case .stop: .stop
        case .enospc: noSpace ? .stop : .report
        }
    }
}

/// The action taken on an I/O error, as BLOCK_IO_ERROR and BLOCK_JOB_ERROR report it.
public enum ErrorAction: String, Sendable, Hashable, CaseIterable {
    case ignore
    case report
    case stop
}

/// Outcome of the last failed request of a device or job (BlockDeviceIoStatus).
public enum IOStatus: String, Sendable, Hashable, CaseIterable {
    case ok
    case failed
    case nospace
}

public enum IOOperation: String, Sendable, Hashable, CaseIterable {
    case read
    case write
}

/// Zero-write detection of a backend (BlockdevDetectZeroesOptions).
public enum ZeroDetection: String, Sendable, Hashable, CaseIterable {
    case off
    case on
    case unmap
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

/// What a block job does (BlockJobType / JobType).
public enum JobKind: String, Sendable, Hashable, CaseIterable {
    case commit
    case stream
    case mirror
    case backup
}

/// Life-cycle state of a job (JobStatus).
public enum JobState: String, Sendable, Hashable, CaseIterable {
    case created
    case running
    case paused
    case ready
    case standby
    case waiting
    case pending
    case aborting
    case concluded
    case null
}

/// Requests a job may or may not accept in a given state (JobVerb).
public enum JobVerb: String, Sendable, Hashable, CaseIterable {
    case cancel
    case pause
    case resume
    case setSpeed = "set-speed"
    case complete
    case dismiss
    case finalize
    case change

    /// QEMU's verb table (job.c): the states in which each verb is accepted.
    func isAccepted(in state: JobState) -> Bool {
        switch self {
        case .cancel: [.created, .running, .paused, .ready, .standby, .waiting, .pending].contains(state)
        case .pause, .resume, .setSpeed, .change: [.created, .running, .paused, .ready, .standby].contains(state)
        case .complete: state == .ready || state == .standby
        case .finalize: state == .pending
        case .dismiss: state == .concluded
        }
    }
}

/// Which data a mirror or backup copies first (MirrorSyncMode).
public enum SyncMode: String, Sendable, Hashable, CaseIterable {
    case top
    case full
    case none
}

/// How a command treats the image file it is given (NewImageMode).
public enum ImageCreationMode: String, Sendable, Hashable, CaseIterable {
    case existing
    case absolutePaths = "absolute-paths"
}
