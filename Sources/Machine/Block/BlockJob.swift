import QAPI

/// What a job works on, by kind.
enum JobDetail: Sendable, Hashable {
    /// Copies data from the backing chain above `base` into the top image.
    case stream(base: Int?, backingFile: String?)
    /// Merges `top` (and the images between) down into `base`; `active` when top is the top image.
    case commit(top: Int, base: Int, active: Bool, backingFile: String?)
    /// Copies the disk to `target` and keeps it in sync until completed.
    case mirror(target: Int, sync: MirrorSyncMode)
    /// A point-in-time copy into `target`.
    case backup(target: Int, sync: MirrorSyncMode)
}

/// A block job. Progress is counted in bytes copied; `len` grows when guest writes add work
/// (mirror) and the job runs at its speed limit, or at the model's disk throughput when unlimited.
public struct BlockJob: Sendable {
    public let id: String
    public let kind: JobType
    /// Backend the job works on.
    public let device: String
    public internal(set) var state: JobStatus
    /// Bytes per second, 0 for unlimited.
    public internal(set) var speed: UInt64
    public internal(set) var userPaused = false
    public internal(set) var ioStatus: BlockDeviceIoStatus = .ok
    public internal(set) var autoFinalize: Bool
    public internal(set) var autoDismiss: Bool
    /// The error text of a failed job, once concluded.
    public internal(set) var error: String?
    let detail: JobDetail
    let onSourceError: BlockdevOnError
    let onTargetError: BlockdevOnError
    var initialWork: UInt64
    var copied = RateCounter()
    var dirtied = RateCounter()
    /// Asked to complete while paused: finishes when resumed.
    var completionRequested = false
    /// How the job ended: nil while it runs.
    var outcome: Outcome?

    enum Outcome: Sendable, Hashable {
        case completed
        case cancelled
        case failed(String)
    }

    /// Total work in bytes.
    public var len: UInt64 { initialWork.saturatingAdd(dirtied.whole) }
    /// Work done in bytes.
    public var offset: UInt64 { min(copied.whole, len) }

    /// Not quiescent: the job is copying (BlockJobInfo busy).
    public var busy: Bool { state == .running || state == .ready }
    /// Paused by a user or an error, or about to be (BlockJobInfo paused).
    public var paused: Bool { userPaused || state == .paused || state == .standby }
    public var isReady: Bool { state == .ready || state == .standby }
    /// Still doing or able to do work (not waiting to be finalized or dismissed).
    var isActive: Bool { [.created, .running, .paused, .ready, .standby].contains(state) }
    /// Copying in this stretch of time.
    var isCopying: Bool { state == .running || state == .ready }

    var syncsGuestWrites: Bool {
        switch detail {
        case .mirror, .commit(_, _, true, _): true
        case .backup(_, let sync): sync == .none
        default: false
        }
    }
}
