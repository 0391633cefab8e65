import Machine
import QAPI

extension InProcessBackend {
    func registerMigrationCommands() {
        let machine = self.machine
        let migration = machine.migration
        dispatcher.register(QueryMigrateCommand.self) { _ throws(QMPError) in migration.info() }
        dispatcher.register(MigrateSetCapabilitiesCommand.self) { arguments throws(QMPError) in
            try migration.setCapabilities(arguments.capabilities)
            return QAPIEmpty()
        }
        dispatcher.register(QueryMigrateCapabilitiesCommand.self) { _ throws(QMPError) in migration.capabilityList }
        dispatcher.register(MigrateSetParametersCommand.self) { arguments throws(QMPError) in
            try migration.setParameters(arguments)
            return QAPIEmpty()
        }
        dispatcher.register(QueryMigrateParametersCommand.self) { _ throws(QMPError) in migration.parameters }
        dispatcher.register(MigrateStartPostcopyCommand.self) { _ throws(QMPError) in
            try migration.startPostcopy()
            return QAPIEmpty()
        }
        dispatcher.register(MigrateCancelCommand.self) { _ throws(QMPError) in
            try migration.cancel()
            return QAPIEmpty()
        }
        dispatcher.register(MigrateContinueCommand.self) { arguments throws(QMPError) in
            try migration.continueMigration(expecting: arguments.state)
            return QAPIEmpty()
        }
        dispatcher.register(MigrateCommand.self) { arguments throws(QMPError) in
            try migration.migrate(uri: arguments.uri, channels: arguments.channels, resume: arguments.resume ?? false)
            return QAPIEmpty()
        }
        dispatcher.register(MigrateIncomingCommand.self) { arguments throws(QMPError) in
            try migration.migrateIncoming(
                uri: arguments.uri, channels: arguments.channels, exitOnError: arguments.exitOnError)
            return QAPIEmpty()
        }
        dispatcher.register(MigrateRecoverCommand.self) { arguments throws(QMPError) in
            try migration.recover(uri: arguments.uri)
            return QAPIEmpty()
        }
        dispatcher.register(MigratePauseCommand.self) { _ throws(QMPError) in
            try migration.pause()
            return QAPIEmpty()
        }
        dispatcher.register(QueryMigrationthreadsCommand.self) { _ throws(QMPError) in migration.threads }
        dispatcher.register(SnapshotSaveCommand.self) { arguments throws(QMPError) in
            try machine.snapshotSave(arguments)
            return QAPIEmpty()
        }
        dispatcher.register(SnapshotLoadCommand.self) { arguments throws(QMPError) in
            try machine.snapshotLoad(arguments)
            return QAPIEmpty()
        }
        dispatcher.register(SnapshotDeleteCommand.self) { arguments throws(QMPError) in
            try machine.snapshotDelete(arguments)
            return QAPIEmpty()
        }
        dispatcher.register(QueryJobsCommand.self) { _ throws(QMPError) in machine.jobInfos }
        dispatcher.register(JobDismissCommand.self) { arguments throws(QMPError) in
            try machine.dismissJob(id: arguments.id)
            return QAPIEmpty()
        }
    }

    func registerDirtyRateCommands() {
        let machine = self.machine
        dispatcher.register(CalcDirtyRateCommand.self) { arguments throws(QMPError) in
            try machine.calcDirtyRate(
                calcTime: arguments.calcTime, unit: arguments.calcTimeUnit, samplePages: arguments.samplePages,
                mode: arguments.mode)
            return QAPIEmpty()
        }
        dispatcher.register(QueryDirtyRateCommand.self) { arguments throws(QMPError) in
            machine.queryDirtyRate(unit: arguments.calcTimeUnit)
        }
        dispatcher.register(SetVcpuDirtyLimitCommand.self) { arguments throws(QMPError) in
            try machine.setVcpuDirtyLimit(cpuIndex: arguments.cpuIndex, dirtyRate: arguments.dirtyRate)
            return QAPIEmpty()
        }
        dispatcher.register(CancelVcpuDirtyLimitCommand.self) { arguments throws(QMPError) in
            try machine.cancelVcpuDirtyLimit(cpuIndex: arguments.cpuIndex)
            return QAPIEmpty()
        }
        dispatcher.register(QueryVcpuDirtyLimitCommand.self) { _ throws(QMPError) in machine.queryVcpuDirtyLimit() }
    }
}
