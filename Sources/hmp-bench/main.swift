import QAPI

// Prints performance figures; nothing here is asserted. Run with `make bench` (release build).

/// A parameter store standing in for the model until the in-process backend is wired in.
func parameterStoreDispatcher() -> QMPDispatcher {
    let dispatcher = QMPDispatcher()
    var parameters = MigrationParameters(downtimeLimit: 300, multifdChannels: 2)
    dispatcher.register(QueryMigrateParametersCommand.self) { _ in parameters }
    dispatcher.register(MigrateSetParametersCommand.self) { args in
        if let limit = args.downtimeLimit { parameters.downtimeLimit = limit }
        return QAPIEmpty()
    }
    return dispatcher
}

let dispatch = dispatchBenchmark(dispatcher: parameterStoreDispatcher())
print("dispatcher: 1,000,000 JSON requests (query-migrate-parameters / migrate-set-parameters) in \(format3(dispatch.seconds)) s = \(Int(dispatch.requestsPerSecond)) requests/s")

func format3(_ x: Double) -> String {
    let scaled = (x * 1000).rounded() / 1000
    return "\(scaled)"
}
