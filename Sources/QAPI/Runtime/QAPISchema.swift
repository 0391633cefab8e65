/// Decodes a wire value into a schema type, returning it type-erased (registry use).
public typealias QAPIErasedDecoder = @Sendable (JSONValue) throws(QAPIDecodingError) -> any QAPIEncodable

/// What the schema says about one command; the generated registry lists them all.
public struct QAPICommandDescriptor: Sendable {
    public var name: String
    /// Schema name of the argument type (`q_empty` when the command takes none).
    public var argumentsType: String
    /// Schema name of the reply type (`q_empty` when the command returns nothing).
    public var returnsType: String
    public var allowOOB: Bool
    public var boxed: Bool
    public var features: [String]
    public var decodeArguments: QAPIErasedDecoder
    public var decodeReturns: QAPIErasedDecoder

    public init(
        name: String, argumentsType: String, returnsType: String, allowOOB: Bool, boxed: Bool, features: [String],
        decodeArguments: @escaping QAPIErasedDecoder, decodeReturns: @escaping QAPIErasedDecoder
    ) {
        self.name = name
        self.argumentsType = argumentsType
        self.returnsType = returnsType
        self.allowOOB = allowOOB
        self.boxed = boxed
        self.features = features
        self.decodeArguments = decodeArguments
        self.decodeReturns = decodeReturns
    }
}

/// What the schema says about one event.
public struct QAPIEventDescriptor: Sendable {
    public var name: String
    public var dataType: String
    public var features: [String]
    public var decodeData: QAPIErasedDecoder

    public init(name: String, dataType: String, features: [String], decodeData: @escaping QAPIErasedDecoder) {
        self.name = name
        self.dataType = dataType
        self.features = features
        self.decodeData = decodeData
    }
}

/// One QMP example of a doc comment: its messages in order, `true` for a request (`->`).
public struct QAPIExample: Sendable {
    public var definition: String
    public var location: String
    public var messages: [(isRequest: Bool, json: String)]

    public init(definition: String, location: String, messages: [(Bool, String)]) {
        self.definition = definition
        self.location = location
        self.messages = messages.map { (isRequest: $0.0, json: $0.1) }
    }
}

/// The schema as data: the generated part (`QAPISchema+Generated.swift`) fills `commands`,
/// `events`, `examples` and the introspection text.
public enum QAPISchema {
    private static let commandIndex: [String: QAPICommandDescriptor] = Dictionary(
        uniqueKeysWithValues: commands.map { ($0.name, $0) })
    private static let eventIndex: [String: QAPIEventDescriptor] = Dictionary(
        uniqueKeysWithValues: events.map { ($0.name, $0) })

    public static func command(named name: String) -> QAPICommandDescriptor? { commandIndex[name] }
    public static func event(named name: String) -> QAPIEventDescriptor? { eventIndex[name] }

    /// The value `query-qmp-schema` returns, parsed once from the generated text.
    public static let introspection: JSONValue = {
        do {
            return try JSONParser.parse(introspectionJSON)
        } catch {
            preconditionFailure("generated introspection data is not valid JSON: \(error)")
        }
    }()
}
