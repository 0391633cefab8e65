import QAPI

/// Where the migration stream goes, as the model sees it.
enum MigrationRoute: Hashable {
    /// Through the network link (tcp:, unix:, vsock:); `peer` names the destination for
    /// fault matching and messages.
    case socket(SocketAddress)
    case rdma(InetSocketAddress)
    case file(FileMigrationArgs)
    case exec([String])

    var isNetwork: Bool {
        switch self {
        case .socket, .rdma: true
        case .file, .exec: false
        }
    }

    /// The destination name that `refuse-connection` faults match against.
    var peerName: String {
        switch self {
        case .socket(.inet(let inet)), .rdma(let inet): inet.host
        case .socket(.unix(let unix)): unix.path
        case .socket(.vsock(let vsock)): vsock.cid
        case .socket(.fd(let fd)): fd.str
        case .file(let file): file.filename
        case .exec(let args): args.last ?? ""
        }
    }
}

/// What kind of migration runs, which decides how RAM is handled.
enum MigrationFlavor: Hashable {
    /// Live precopy, optionally switching to postcopy.
    case live
    /// `background-snapshot`: RAM as it was when the migration started, guest running.
    case backgroundSnapshot
    /// `cpr-reboot`: the guest is stopped first, then RAM is saved.
    case cprReboot
    /// `cpr-transfer`: the guest is stopped and RAM stays in place; only device state moves.
    case cprTransfer
}

/// The postcopy part of a run.
struct PostcopyProgress: Hashable {
    /// When the destination guest resumed (end of the postcopy switch-over).
    var resumedAt: ModelTime
    /// Hot pages the destination still misses (they fault when touched).
    var missingHotPages: Double
    var faultCarry = 0.0
}

/// One outgoing migration, from `migrate` to its end; kept afterwards for `query-migrate`.
struct MigrationRun {
    var route: MigrationRoute
    var flavor: MigrationFlavor
    var ram: RAMTransfer
    var multifd: Bool
    var multifdChannels: Int
    var xbzrle: Bool
    var costs: PageCosts

    var startTime: ModelTime
    /// When setup ends (connection made, bitmap ready).
    var setupDeadline: ModelTime
    var setupTimeMs: UInt64 = 0
    var roundStart: ModelTime = .zero
    var downtimeStart: ModelTime?
    var downtimeMs: UInt64?
    var totalTimeMs: UInt64?
    var expectedDowntimeMs: UInt64
    var mbps = 0.0
    var pagesPerSecond: UInt64 = 0
    var dirtyPagesRate: UInt64 = 0

    /// The run state before the migration stopped the guest, to restore if it fails.
    var runStateBeforeStop: RunState?
    /// Set by `migrate-start-postcopy`.
    var postcopyRequested = false
    /// `migrate-continue` calls that arrived before the pause they release.
    var pendingContinues = 0
    /// When the current timed step (switch-over transfer, cancel, recovery hand-shake) ends.
    var stepDeadline: ModelTime?
    var postcopy: PostcopyProgress?
    /// The guest stopped to switch to postcopy rather than to complete.
    var switchingToPostcopy = false

    // QEMU's once-per-second bookkeeping at bitmap syncs.
    var periodStart: ModelTime = .zero
    var periodTransferredStart: UInt64 = 0
    var periodDirtyPages: UInt64 = 0
    var dirtyRateHighCount = 0
    var periodXBZRLEPagesStart: UInt64 = 0
    var periodXBZRLEBytesStart: UInt64 = 0
    var periodXBZRLEMissStart: UInt64 = 0
    var periodPagesStart: UInt64 = 0
    var xbzrleCacheMissRate = 0.0
    var xbzrleEncodingRate = 0.0

    /// Thread ids shown by `query-migrationthreads` while the run is alive.
    var threadIDs: [Int64]
    /// The file a `file:` migration writes its stream to, open while the run lasts.
    var outputFile: StreamOutputFile?
    /// The real connection of a tcp:/unix: migration and what feeds it.
    var connection: (any MigrationConnection)?
    var pump: StreamPump?
    /// Switch-over is done in the model; the rest of the stream is still going out.
    var awaitingDrain = false
}
