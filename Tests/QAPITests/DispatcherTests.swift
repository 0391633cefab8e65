import Testing

@testable import QAPI

/// The dispatcher with test-double handlers: envelope and argument checks, before any handler runs.
@Suite struct DispatcherTests {
    final class Double {
        var parameters = MigrationParameters(downtimeLimit: 300, multifdChannels: 2)
        var calls = 0
    }

    func makeDispatcher() -> (QMPDispatcher, Double) {
        let dispatcher = QMPDispatcher()
        let double = Double()
        dispatcher.register(QueryMigrateParametersCommand.self) { _ in
            double.calls += 1
            return double.parameters
        }
        dispatcher.register(MigrateSetParametersCommand.self) { args throws(QMPError) in
            double.calls += 1
            if let limit = args.downtimeLimit, limit > 2_000_000 {
                throw .generic("Parameter 'downtime_limit' expects an integer in the range of 0 to 2000000 ms")
            }
            if let limit = args.downtimeLimit { double.parameters.downtimeLimit = limit }
            if let channels = args.multifdChannels { double.parameters.multifdChannels = channels }
            return QAPIEmpty()
        }
        dispatcher.register(MigrateCommand.self) { _ in
            double.calls += 1
            return QAPIEmpty()
        }
        dispatcher.register(QueryBlockCommand.self) { _ throws(QMPError) in
            throw QMPError(.deviceNotFound, "Device 'nope' not found")
        }
        return (dispatcher, double)
    }

    @Test(arguments: [
        (#"[]"#, #"{"error": {"class": "GenericError", "desc": "QMP input must be a JSON object"}}"#),
        (#"{}"#, #"{"error": {"class": "GenericError", "desc": "QMP input lacks member 'execute'"}}"#),
        (#"{"execute": 1}"#, #"{"error": {"class": "GenericError", "desc": "QMP input member 'execute' must be a string"}}"#),
        (#"{"execute": "stop", "x": 1}"#, #"{"error": {"class": "GenericError", "desc": "QMP input member 'x' is unexpected"}}"#),
        (
            #"{"execute": "stop", "exec-oob": "stop"}"#,
            #"{"error": {"class": "GenericError", "desc": "QMP input member 'exec-oob' clashes with 'execute'"}}"#
        ),
        (
            #"{"execute": "migrate", "arguments": []}"#,
            #"{"error": {"class": "GenericError", "desc": "QMP input member 'arguments' must be an object"}}"#
        ),
        (
            #"{"execute": "nope", "id": 7}"#,
            #"{"error": {"class": "CommandNotFound", "desc": "The command nope has not been found"}, "id": 7}"#
        ),
        (
            #"{"exec-oob": "query-migrate-parameters"}"#,
            #"{"error": {"class": "GenericError", "desc": "The command query-migrate-parameters does not support OOB"}}"#
        ),
        (
            #"{"execute": "migrate-set-parameters", "arguments": {"bogus": 1}}"#,
            #"{"error": {"class": "GenericError", "desc": "Parameter 'bogus' is unexpected"}}"#
        ),
        (
            #"{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": "1"}}"#,
            #"{"error": {"class": "GenericError", "desc": "Invalid parameter type for 'downtime-limit', expected: integer"}}"#
        ),
        (
            #"{"execute": "migrate-set-parameters", "arguments": {"multifd-channels": 256}}"#,
            #"{"error": {"class": "GenericError", "desc": "Parameter 'multifd-channels' expects uint8_t"}}"#
        ),
        (
            #"{"execute": "migrate-set-parameters", "arguments": {"mode": "fast"}}"#,
            #"{"error": {"class": "GenericError", "desc": "Parameter 'mode' does not accept value 'fast'"}}"#
        ),
        (
            #"{"execute": "migrate-set-parameters", "arguments": {"tls-creds": 5}}"#,
            #"{"error": {"class": "GenericError", "desc": "Invalid parameter type for 'tls-creds', expected: StrOrNull"}}"#
        ),
        (
            #"{"execute": "migrate", "arguments": {"channels": [{"channel-type": "main", "addr": {"transport": "socket", "type": "inet", "host": "h"}}]}}"#,
            #"{"error": {"class": "GenericError", "desc": "Parameter 'channels[0].addr.port' is missing"}}"#
        ),
        (
            #"{"execute": "migrate", "arguments": {"channels": [{"channel-type": "main", "addr": {"transport": "pigeon"}}]}}"#,
            #"{"error": {"class": "GenericError", "desc": "Parameter 'channels[0].addr.transport' does not accept value 'pigeon'"}}"#
        ),
        (#"{"execute": "query-block"}"#, #"{"error": {"class": "DeviceNotFound", "desc": "Device 'nope' not found"}}"#),
        (
            #"{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 2000001}}"#,
            #"{"error": {"class": "GenericError", "desc": "Parameter 'downtime_limit' expects an integer in the range of 0 to 2000000 ms"}}"#
        ),
        ("{\"execute\": ", #"{"error": {"class": "GenericError", "desc": "JSON parse error, expecting value"}}"#),
    ])
    func errorsAreQMPs(request: String, reply: String) {
        let (dispatcher, _) = makeDispatcher()
        #expect(dispatcher.dispatch(json: request) == reply)
    }

    @Test func invalidArgumentsNeverReachTheHandler() {
        let (dispatcher, double) = makeDispatcher()
        _ = dispatcher.dispatch(json: #"{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 100, "bogus": 1}}"#)
        #expect(double.calls == 0)
        #expect(double.parameters.downtimeLimit == 300)
    }

    @Test func successEchoesIdAndReturnsTheValue() {
        let (dispatcher, double) = makeDispatcher()
        #expect(
            dispatcher.dispatch(json: #"{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 500}, "id": "a"}"#)
                == #"{"return": {}, "id": "a"}"#)
        #expect(double.parameters.downtimeLimit == 500)
        #expect(
            dispatcher.dispatch(json: #"{"execute": "query-migrate-parameters"}"#)
                == #"{"return": {"downtime-limit": 500, "multifd-channels": 2}}"#)
    }

    @Test func typedExecutionSkipsJSON() throws {
        let (dispatcher, _) = makeDispatcher()
        _ = try dispatcher.execute(MigrateSetParametersCommand.self, MigrateSetParameters(multifdChannels: 8))
        #expect(try dispatcher.execute(QueryMigrateParametersCommand.self, QAPIEmpty()).multifdChannels == 8)
        #expect(throws: QMPError(.commandNotFound, "The command stop has not been found")) {
            try dispatcher.execute(StopCommand.self, QAPIEmpty())
        }
    }

    @Test func disabledCommands() {
        let (dispatcher, _) = makeDispatcher()
        dispatcher.disable("migrate", reason: "not in this build")
        #expect(
            dispatcher.dispatch(json: #"{"execute": "migrate", "arguments": {"uri": "tcp:h:1"}}"#)
                == #"{"error": {"class": "CommandNotFound", "desc": "Command migrate has been disabled: not in this build"}}"#)
    }
}
