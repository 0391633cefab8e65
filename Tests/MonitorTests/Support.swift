import Machine
import Monitor
import QAPI
import Testing

func makeBackend(_ configuration: MachineConfiguration = MachineConfiguration()) -> InProcessBackend {
    InProcessBackend(machine: VirtualMachine(configuration: configuration), clock: .virtual())
}

extension InProcessBackend {
    /// Runs `name` with `arguments` through the JSON path and gives the reply object.
    func call(_ name: String, _ arguments: JSONValue? = nil) -> JSONValue {
        var request: JSONObject = ["execute": .string(name)]
        if let arguments { request.append("arguments", arguments) }
        return dispatch(.object(request))
    }

    /// The `return` member of a successful reply; records an issue otherwise.
    func result(_ name: String, _ arguments: JSONValue? = nil, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue? {
        let reply = call(name, arguments)
        if let value = reply["return"] { return value }
        Issue.record("\(name) failed: \(JSONWriter().string(reply))", sourceLocation: sourceLocation)
        return nil
    }

    /// The error `desc` of a failed reply, nil when it succeeded.
    func errorText(_ name: String, _ arguments: JSONValue? = nil) -> String? {
        call(name, arguments)["error"]?["desc"]?.stringValue
    }

    func waitSeconds(_ seconds: Double) { wait(nanoseconds: UInt64(seconds * 1e9)) }
}
