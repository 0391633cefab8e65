import Backend
import Monitor
import QAPI
@testable import HMP

/// A MonitorBackend over a QMPDispatcher whose block commands answer from fixed data. It keeps
/// every request so tests can check the QMP mapping.
final class BlockFakeBackend: MonitorBackend {
    let dispatcher = QMPDispatcher()
    var blocks: [BlockInfo]
    var nodes: [BlockDeviceInfo]
    var stats: [BlockStats]
    var jobs: [BlockJobInfo]
    /// Commands run, in order, with their wire arguments.
    private(set) var requests: [(name: String, arguments: JSONValue)] = []
    private(set) var waited: UInt64 = 0
    /// Background jobs (the snapshot jobs) and when, in waited nanoseconds, each concludes.
    var backgroundJobs: [(info: JobInfo, doneAt: UInt64)] = []
    /// The error the next snapshot job concludes with.
    var failNextJob: String?
    /// How long a snapshot job runs.
    var jobDuration: UInt64 = 5_000_000

    init(
        blocks: [BlockInfo] = BlockFixtures.blocks, nodes: [BlockDeviceInfo] = BlockFixtures.nodes,
        stats: [BlockStats] = BlockFixtures.stats, jobs: [BlockJobInfo] = []
    ) {
        self.blocks = blocks
        self.nodes = nodes
        self.stats = stats
        self.jobs = jobs
        register()
        registerSnapshots()
    }

    /// The requests other than the queries the handlers make to look names up.
    var actions: [(name: String, arguments: JSONValue)] { requests.filter { !$0.name.hasPrefix("query-") } }
    var lastAction: String? { actions.last.map { "\($0.name) \($0.arguments)" } }

    private func register() {
        dispatcher.register(QueryBlockCommand.self) { [unowned self] _ in blocks }
        dispatcher.register(QueryNamedBlockNodesCommand.self) { [unowned self] _ in nodes }
        dispatcher.register(QueryBlockstatsCommand.self) { [unowned self] _ in stats }
        dispatcher.register(QueryBlockJobsCommand.self) { [unowned self] _ in jobs }
        dispatcher.register(BlockResizeCommand.self) { [unowned self] a throws(QMPError) in
            guard let i = blocks.firstIndex(where: { $0.device == a.device && $0.inserted != nil }) else {
                throw QMPError.generic("Cannot find device='\(a.device ?? "")' nor node-name='\(a.nodeName ?? "")'")
            }
            blocks[i].inserted!.image.virtualSize = a.size
            return QAPIEmpty()
        }
        dispatcher.register(BlockJobPauseCommand.self) { [unowned self] a throws(QMPError) in
            guard jobs.contains(where: { $0.device == a.device }) else {
                throw QMPError(.deviceNotActive, "Block job '\(a.device)' not found")
            }
            return QAPIEmpty()
        }
        dispatcher.register(BlockStreamCommand.self) { _ in QAPIEmpty() }
        dispatcher.register(BlockJobSetSpeedCommand.self) { _ in QAPIEmpty() }
        dispatcher.register(BlockJobCancelCommand.self) { _ in QAPIEmpty() }
        dispatcher.register(BlockJobCompleteCommand.self) { _ in QAPIEmpty() }
        dispatcher.register(BlockJobResumeCommand.self) { _ in QAPIEmpty() }
        dispatcher.register(DriveMirrorCommand.self) { _ in QAPIEmpty() }
        dispatcher.register(DriveBackupCommand.self) { _ in QAPIEmpty() }
        dispatcher.register(BlockdevSnapshotSyncCommand.self) { _ in QAPIEmpty() }
        dispatcher.register(BlockSetIoThrottleCommand.self) { _ in QAPIEmpty() }
        dispatcher.register(EjectCommand.self) { _ in QAPIEmpty() }
        dispatcher.register(BlockSetWriteThresholdCommand.self) { _ in QAPIEmpty() }
    }

    private func registerSnapshots() {
        // savevm asks whether a migration runs before it replaces a snapshot.
        dispatcher.register(QueryMigrateCommand.self) { _ in MigrationInfo() }
        dispatcher.register(QueryJobsCommand.self) { [unowned self] _ in
            backgroundJobs.map { job in
                var info = job.info
                if waited >= job.doneAt {
                    info.status = .concluded
                    info.currentProgress = info.totalProgress
                }
                return info
            }
        }
        dispatcher.register(JobDismissCommand.self) { [unowned self] a throws(QMPError) in
            guard let i = backgroundJobs.firstIndex(where: { $0.info.id == a.id }) else {
                throw QMPError(.deviceNotActive, "Job '\(a.id)' not found")
            }
            backgroundJobs.remove(at: i)
            return QAPIEmpty()
        }
        dispatcher.register(SnapshotSaveCommand.self) { [unowned self] a throws(QMPError) in
            for i in blocks.indices where blocks[i].inserted.map({ a.devices.contains($0.nodeName ?? "") }) == true {
                let holder = blocks[i].inserted?.nodeName == a.vmstate
                var list = blocks[i].inserted!.image.snapshots ?? []
                list.append(
                    SnapshotInfo(
                        id: String(list.count + 1), name: a.tag, vmStateSize: holder ? 512 * BlockFixtures.MiB : 0,
                        dateSec: 1_700_003_600, dateNsec: 0, vmClockSec: 60, vmClockNsec: 0))
                blocks[i].inserted!.image.snapshots = list
            }
            startJob(a.jobId, .snapshotSave)
            return QAPIEmpty()
        }
        dispatcher.register(SnapshotLoadCommand.self) { [unowned self] a throws(QMPError) in
            let covered = blocks.compactMap(\.inserted).filter { a.devices.contains($0.nodeName ?? "") }
            if covered.contains(where: { ($0.image.snapshots ?? []).allSatisfy { $0.name != a.tag } }) {
                throw QMPError.generic("Snapshot '\(a.tag)' does not exist in one or more devices")
            }
            startJob(a.jobId, .snapshotLoad)
            return QAPIEmpty()
        }
        dispatcher.register(SnapshotDeleteCommand.self) { [unowned self] a throws(QMPError) in
            for i in blocks.indices where blocks[i].inserted.map({ a.devices.contains($0.nodeName ?? "") }) == true {
                blocks[i].inserted!.image.snapshots?.removeAll { $0.name == a.tag }
            }
            startJob(a.jobId, .snapshotDelete)
            return QAPIEmpty()
        }
    }

    private func startJob(_ id: String, _ type: JobType) {
        let info = JobInfo(id: id, type: type, status: .running, currentProgress: 0, totalProgress: 1, error: failNextJob)
        failNextJob = nil
        backgroundJobs.append((info, waited + jobDuration))
    }

    func execute<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(QMPError) -> C.Returns {
        requests.append((C.name, arguments.qapi))
        return try dispatcher.execute(command, arguments)
    }

    func dispatch(_ request: JSONValue) -> JSONValue { dispatcher.dispatch(request) }
    func synchronize() {}
    func wait(nanoseconds: UInt64) { waited += nanoseconds }
    func takeEvents() -> [JSONValue] { [] }
}
