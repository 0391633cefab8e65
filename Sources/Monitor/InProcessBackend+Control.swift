import Backend
import Machine
import QAPI

extension InProcessBackend {
    func registerControlCommands() {
        // The in-process session starts in command mode, so negotiation is already over.
        dispatcher.register(QmpCapabilitiesCommand.self) { _ throws(QMPError) in
            throw QMPError(.commandNotFound, "Capabilities negotiation is already complete, command ignored")
        }
        dispatcher.register(QueryVersionCommand.self) { _ throws(QMPError) in ProductVersion.versionInfo }
        dispatcher.register(QueryCommandsCommand.self) { [unowned self] _ throws(QMPError) in
            QAPISchema.commands.filter { dispatcher.hasHandler($0.name) }.map { CommandInfo(name: $0.name) }
        }
        dispatcher.register(QuitCommand.self) { [unowned self] _ throws(QMPError) in
            requestQuit()
            return QAPIEmpty()
        }
        let machine = self.machine
        dispatcher.register(QueryNameCommand.self) { _ throws(QMPError) in
            NameInfo(name: machine.configuration.name)
        }
        dispatcher.register(QueryQmpSchemaCommand.self) { _ throws(QMPError) in try SchemaCache.schema() }
        dispatcher.register(HumanMonitorCommandCommand.self) { [unowned self] arguments throws(QMPError) in
            guard let hook = humanMonitorHook else {
                throw QMPError.generic("human-monitor-command needs the human monitor, which is not attached")
            }
            return try hook(arguments)
        }
    }

    func registerRunStateCommands() {
        let machine = self.machine
        dispatcher.register(QueryStatusCommand.self) { _ throws(QMPError) in machine.statusInfo }
        dispatcher.register(StopCommand.self) { _ throws(QMPError) in
            machine.stop()
            return QAPIEmpty()
        }
        dispatcher.register(ContCommand.self) { _ throws(QMPError) in
            try machine.cont()
            return QAPIEmpty()
        }
    }
}

/// `query-qmp-schema`'s answer, decoded once from the generated introspection data.
enum SchemaCache {
    private static let decoded: Result<[SchemaInfo], QMPError> = {
        do throws(QAPIDecodingError) {
            return .success(try [SchemaInfo](qapi: QAPISchema.introspection))
        } catch {
            return .failure(QMPError.generic("introspection data does not decode: \(error.description)"))
        }
    }()

    static func schema() throws(QMPError) -> [SchemaInfo] { try decoded.get() }
}
