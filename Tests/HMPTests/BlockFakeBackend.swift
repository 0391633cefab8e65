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

    init(blocks: [BlockInfo] = BlockFixtures.blocks, nodes: [BlockDeviceInfo] = BlockFixtures.nodes,
         stats: [BlockStats] = BlockFixtures.stats, jobs: [BlockJobInfo] = []) {
        self.blocks = blocks
        self.nodes = nodes
        self.stats = stats
        self.jobs = jobs
        register()
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

    func execute<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(QMPError) -> C.Returns {
        requests.append((C.name, arguments.qapi))
        return try dispatcher.execute(command, arguments)
    }

    func dispatch(_ request: JSONValue) -> JSONValue { dispatcher.dispatch(request) }
    func synchronize() {}
    func wait(nanoseconds: UInt64) { waited += nanoseconds }
    func takeEvents() -> [JSONValue] { [] }
}
