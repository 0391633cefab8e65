import Backend
import QAPI

/// Capabilities and parameters that only the connected QEMU has (QEMU 7.2's `compress`,
/// `block`, `compress-level`, ...): hmp's schema has no type for them, so the remote's schema
/// (query-qmp-schema) decides whether the name exists and how its value is read, and the
/// request goes out as JSON. Names neither knows are refused with the names accepted.
enum RemoteMigrationSettings {
    static let capabilitiesCommand = "migrate-set-capabilities"
    static let parametersCommand = "migrate-set-parameters"

    /// The remote behind the invocation, also while a line is only explained.
    static func remote(_ invocation: HMPInvocation) -> (any RemoteMonitorBackend)? {
        ((invocation.backend as? ExplainingBackend)?.real ?? invocation.backend) as? any RemoteMonitorBackend
    }

    /// `migrate_set_capability NAME on|off` for a name hmp's schema lacks.
    static func setCapability(_ invocation: HMPInvocation, name: String, state: Bool) throws(HMPError) -> HMPOutput {
        let remote = remote(invocation)
        let theirs = remote?.schemaNames(command: capabilitiesCommand, path: ["capabilities", "capability"]) ?? []
        guard theirs.contains(name) else {
            throw .command(
                unknown(
                    name, kind: "capabilities", accepted: remote == nil ? MigrationCapability.wireNames : theirs,
                    tableFormat: invocation.format == .table))
        }
        let entry = JSONValue.object(["capability": .string(name), "state": .bool(state)])
        try send(invocation, capabilitiesCommand, .object(["capabilities": .array([entry])]))
        return invocation.done("\(name) set to \(state ? "on" : "off")")
    }

    /// `migrate_set_parameter NAME VALUE` for a name hmp's schema lacks: the value is read as
    /// the remote's type for it says, as QEMU's string input visitor reads it.
    static func setParameter(_ invocation: HMPInvocation, name: String, value: String) throws(HMPError) -> HMPOutput {
        let remote = remote(invocation)
        guard let remote, let type = remote.schemaJSONType(command: parametersCommand, path: [name]) else {
            let accepted = remote?.schemaNames(command: parametersCommand, path: []) ?? MigrationParameter.wireNames
            throw .command(unknown(name, kind: "parameters", accepted: accepted, tableFormat: invocation.format == .table))
        }
        let read: JSONValue
        do throws(QMPError) {
            read = try self.read(value, name: name, type: type, remote: remote)
        } catch {
            throw .command(error)
        }
        try send(invocation, parametersCommand, .object([name: read]))
        return invocation.done("\(name) set to \(value)")
    }

    static func read(_ value: String, name: String, type: String, remote: any RemoteMonitorBackend) throws(QMPError) -> JSONValue {
        switch type {
        case "int":
            if value.hasPrefix("-"), let negative = Int64(value) { return .int(negative) }
            return .int(Int64(try MigrationParameterValue.visitUnsigned(value, name: name, max: UInt64(Int64.max), type: "int64")))
        case "boolean":
            return .bool(try MigrationParameterValue.visitBool(value, name: name))
        case "number":
            guard let number = Double(value), number.isFinite else { throw .generic("Parameter '\(name)' expects a number") }
            return .double(number)
        case "string":
            return .string(value)
        case "enum":
            let values = remote.schemaNames(command: parametersCommand, path: [name])
            guard values.contains(value) else {
                throw .generic(
                    "Parameter '\(name)' does not accept value '\(value)'",
                    hint: "\(remote.remoteVersion) accepts: \(values.joined(separator: ", "))")
            }
            return .string(value)
        default:
            throw .generic(
                "\(remote.remoteVersion)'s parameter '\(name)' is of a kind hmp cannot read from text (\(type)); use the qmp command")
        }
    }

    /// QEMU's qapi_enum_parse() text, with the names accepted; the table format says what the
    /// name was meant to be and suggests the nearest one, listing them all only when none is near.
    private static func unknown(_ name: String, kind: String, accepted: [String], tableFormat: Bool) -> QMPError {
        guard tableFormat else {
            return .generic("invalid parameter value: \(name)", hint: "The \(kind) are: \(accepted.joined(separator: ", "))")
        }
        let singular = kind == "capabilities" ? "capability" : "parameter"
        if let best = Suggestion.nearest(name, among: accepted) {
            return .generic("unknown migration \(singular): '\(name)'; did you mean '\(best)'?")
        }
        return .generic("unknown migration \(singular): '\(name)'", hint: Suggestion.list("The \(kind) are", accepted))
    }

    /// Sends the request as JSON; the remote's error comes back as the command's.
    private static func send(_ invocation: HMPInvocation, _ command: String, _ arguments: JSONValue) throws(HMPError) {
        let reply = invocation.backend.dispatch(.object(["execute": .string(command), "arguments": arguments]))
        if let error = reply["error"] {
            let errorClass = error["class"]?.stringValue.flatMap(QMPErrorClass.init(rawValue:)) ?? .genericError
            throw .command(QMPError(errorClass, error["desc"]?.stringValue ?? "\(error)"))
        }
    }
}
