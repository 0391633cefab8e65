/// Routes QMP requests to typed handlers. Transport-free: it takes a request (JSON text or a
/// parsed value) and gives the reply value. The envelope and the arguments are checked against
/// the schema before any handler runs, so a rejected request never has side effects.
///
/// Not thread-safe by design: the console and the model are single-threaded.
public final class QMPDispatcher {
    private struct Entry {
        /// Runs the handler from wire arguments.
        let wire: (JSONValue) -> Result<JSONValue, QMPError>
        /// The command type whose typed handler is in `typedHandlers`.
        let type: ObjectIdentifier
    }

    private final class TypedHandler<C: QAPICommand> {
        let body: (C.Arguments) throws(QMPError) -> C.Returns
        init(_ body: @escaping (C.Arguments) throws(QMPError) -> C.Returns) { self.body = body }
    }

    private var entries: [String: Entry] = [:]
    /// The typed handlers by command type, for `execute`: it runs for every in-process command,
    /// and neither hashing the name nor a dynamic cast should be on that path.
    private var typedHandlers: [ObjectIdentifier: AnyObject] = [:]
    private var disabled: [String: String] = [:]

    public init() {}

    /// Installs the handler of one schema command, replacing any earlier one.
    public func register<C: QAPICommand>(_ command: C.Type, _ handler: @escaping (C.Arguments) throws(QMPError) -> C.Returns) {
        let box = TypedHandler<C>(handler)
        // Another type registered under the same name is replaced too.
        if let earlier = entries[C.name] { typedHandlers[earlier.type] = nil }
        entries[C.name] = Entry(
            wire: { value in
                let arguments: C.Arguments
                do throws(QAPIDecodingError) {
                    arguments = try C.Arguments(qapi: value)
                } catch {
                    return .failure(error.qmpError)
                }
                do throws(QMPError) {
                    return .success(try box.body(arguments).qapi)
                } catch {
                    return .failure(error)
                }
            }, type: ObjectIdentifier(C.self))
        typedHandlers[ObjectIdentifier(C.self)] = box
    }

    /// Makes a registered command fail with CommandNotFound and QEMU's "disabled" text.
    public func disable(_ name: String, reason: String? = nil) { disabled[name] = reason ?? "" }
    public func enable(_ name: String) { disabled[name] = nil }

    public var registeredCommands: [String] { entries.keys.sorted() }
    public func hasHandler(_ name: String) -> Bool { entries[name] != nil }

    /// Calls a command in-process with typed arguments, skipping JSON altogether.
    public func execute<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(QMPError) -> C.Returns {
        guard let handler = typedHandlers[ObjectIdentifier(C.self)] else {
            throw QMPError(.commandNotFound, "The command \(C.name) has not been found")
        }
        if !disabled.isEmpty, let reason = disabled[C.name] { throw Self.disabledError(C.name, reason) }
        // Stored under C's own type by `register`, so it is a TypedHandler<C>.
        return try unsafeDowncast(handler, to: TypedHandler<C>.self).body(arguments)
    }

    /// Dispatches one request given as JSON text; answers with one line of JSON text.
    public func dispatch(json text: String) -> String {
        let reply: JSONValue
        do {
            reply = dispatch(try JSONParser.parse(text))
        } catch {
            reply = .object(["error": QMPError.generic(error.description).qmpValue])
        }
        return JSONWriter().string(reply)
    }

    /// Dispatches one parsed request; the reply is `{"return": ...}` or `{"error": ...}`,
    /// echoing `id` when the request had one.
    public func dispatch(_ request: JSONValue) -> JSONValue {
        var id: JSONValue?
        let result: Result<JSONValue, QMPError>
        switch checkEnvelope(request) {
        case .failure(let error):
            if case .object(let object) = request { id = object["id"] }
            result = .failure(error)
        case .success(let envelope):
            id = envelope.id
            result = run(envelope)
        }
        var reply = JSONObject(capacity: 2)
        switch result {
        case .success(let value): reply.append("return", value)
        case .failure(let error): reply.append("error", error.qmpValue)
        }
        if let id { reply.append("id", id) }
        return .object(reply)
    }

    private struct Envelope {
        var command: String
        var outOfBand: Bool
        var arguments: JSONValue
        var id: JSONValue?
    }

    private func checkEnvelope(_ request: JSONValue) -> Result<Envelope, QMPError> {
        guard case .object(let object) = request else { return .failure(.generic("QMP input must be a JSON object")) }
        var execKey: String?
        var command = ""
        var arguments: JSONValue = .object(JSONObject())
        var id: JSONValue?
        for member in object {
            switch member.key {
            case "execute", "exec-oob":
                guard case .string(let name) = member.value else {
                    return .failure(.generic("QMP input member '\(member.key)' must be a string"))
                }
                if let execKey { return .failure(.generic("QMP input member '\(member.key)' clashes with '\(execKey)'")) }
                execKey = member.key
                command = name
            case "arguments":
                guard case .object = member.value else {
                    return .failure(.generic("QMP input member 'arguments' must be an object"))
                }
                arguments = member.value
            case "id":
                id = member.value
            default:
                return .failure(.generic("QMP input member '\(member.key)' is unexpected"))
            }
        }
        guard let execKey else { return .failure(.generic("QMP input lacks member 'execute'")) }
        return .success(Envelope(command: command, outOfBand: execKey == "exec-oob", arguments: arguments, id: id))
    }

    private func run(_ envelope: Envelope) -> Result<JSONValue, QMPError> {
        guard let entry = entries[envelope.command] else {
            return .failure(QMPError(.commandNotFound, "The command \(envelope.command) has not been found"))
        }
        if envelope.outOfBand && !(QAPISchema.command(named: envelope.command)?.allowOOB ?? false) {
            return .failure(.generic("The command \(envelope.command) does not support OOB"))
        }
        if let reason = disabled[envelope.command] { return .failure(Self.disabledError(envelope.command, reason)) }
        return entry.wire(envelope.arguments)
    }

    private static func disabledError(_ name: String, _ reason: String) -> QMPError {
        QMPError(.commandNotFound, reason.isEmpty ? "Command \(name) has been disabled" : "Command \(name) has been disabled: \(reason)")
    }
}
