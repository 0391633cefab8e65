import Machine
import QAPI

/// Installs the handlers of the block commands of the schema, served by the model's block layer.
/// Each handler is a thin translation: the block layer checks everything and keeps the model
/// unchanged when it refuses.
public func registerBlockCommands(on dispatcher: QMPDispatcher, block: BlockLayer) {
    dispatcher.register(QueryBlockCommand.self) { (_: QAPIEmpty) throws(QMPError) in block.queryBlock() }
    dispatcher.register(QueryNamedBlockNodesCommand.self) { a throws(QMPError) in
        block.queryNamedBlockNodes(flat: a.flat ?? false)
    }
    dispatcher.register(QueryBlockstatsCommand.self) { a throws(QMPError) in
        block.queryBlockstats(queryNodes: a.queryNodes ?? false)
    }
    dispatcher.register(QueryBlockJobsCommand.self) { (_: QAPIEmpty) throws(QMPError) in block.queryBlockJobs() }

    dispatcher.register(BlockResizeCommand.self) { a throws(QMPError) in
        try block.resize(device: a.device, nodeName: a.nodeName, size: a.size)
        return QAPIEmpty()
    }
    dispatcher.register(BlockSetIoThrottleCommand.self) { a throws(QMPError) in
        try block.setIOThrottle(a)
        return QAPIEmpty()
    }
    dispatcher.register(BlockSetWriteThresholdCommand.self) { a throws(QMPError) in
        try block.setWriteThreshold(nodeName: a.nodeName, bytes: a.writeThreshold)
        return QAPIEmpty()
    }
    dispatcher.register(EjectCommand.self) { a throws(QMPError) in
        try block.eject(device: a.device, id: a.id, force: a.force ?? false)
        return QAPIEmpty()
    }
    dispatcher.register(BlockdevSnapshotSyncCommand.self) { a throws(QMPError) in
        try block.externalSnapshot(a)
        return QAPIEmpty()
    }

    dispatcher.register(BlockStreamCommand.self) { a throws(QMPError) in
        try block.startStream(a)
        return QAPIEmpty()
    }
    dispatcher.register(BlockCommitCommand.self) { a throws(QMPError) in
        try block.startCommit(a)
        return QAPIEmpty()
    }
    dispatcher.register(DriveMirrorCommand.self) { a throws(QMPError) in
        try block.startMirror(a)
        return QAPIEmpty()
    }
    dispatcher.register(DriveBackupCommand.self) { a throws(QMPError) in
        try block.startBackup(a)
        return QAPIEmpty()
    }

    dispatcher.register(BlockJobSetSpeedCommand.self) { a throws(QMPError) in
        try block.setJobSpeed(a.device, speed: a.speed)
        return QAPIEmpty()
    }
    dispatcher.register(BlockJobCancelCommand.self) { a throws(QMPError) in
        try block.cancelJob(a.device, force: a.force ?? false)
        return QAPIEmpty()
    }
    dispatcher.register(BlockJobPauseCommand.self) { a throws(QMPError) in
        try block.pauseJob(a.device)
        return QAPIEmpty()
    }
    dispatcher.register(BlockJobResumeCommand.self) { a throws(QMPError) in
        try block.resumeJob(a.device)
        return QAPIEmpty()
    }
    dispatcher.register(BlockJobCompleteCommand.self) { a throws(QMPError) in
        try block.completeJob(a.device)
        return QAPIEmpty()
    }
}

/// Names of the commands `registerBlockCommands` installs.
public let blockCommandNames: [String] = [
    QueryBlockCommand.name, QueryNamedBlockNodesCommand.name, QueryBlockstatsCommand.name, QueryBlockJobsCommand.name,
    BlockResizeCommand.name, BlockSetIoThrottleCommand.name, BlockSetWriteThresholdCommand.name, EjectCommand.name,
    BlockdevSnapshotSyncCommand.name, BlockStreamCommand.name, BlockCommitCommand.name, DriveMirrorCommand.name,
    DriveBackupCommand.name, BlockJobSetSpeedCommand.name, BlockJobCancelCommand.name, BlockJobPauseCommand.name,
    BlockJobResumeCommand.name, BlockJobCompleteCommand.name,
]
