/// What the schema says about one command; the generated registry lists them all.
public struct QAPICommandDescriptor: Sendable, Hashable {
    public var name: String
    /// Schema name of the argument type (`QAPIEmpty` when the command takes none).
    public var argumentsType: String
    /// Schema name of the reply type (`QAPIEmpty` when the command returns nothing).
    public var returnsType: String
    public var allowOOB: Bool
    public var boxed: Bool
    public var features: [String]

    public init(name: String, argumentsType: String, returnsType: String, allowOOB: Bool, boxed: Bool, features: [String]) {
        self.name = name
        self.argumentsType = argumentsType
        self.returnsType = returnsType
        self.allowOOB = allowOOB
        self.boxed = boxed
        self.features = features
    }
}

/// What the schema says about one event.
public struct QAPIEventDescriptor: Sendable, Hashable {
    public var name: String
    public var dataType: String
    public var features: [String]

    public init(name: String, dataType: String, features: [String]) {
        self.name = name
        self.dataType = dataType
        self.features = features
    }
}

/// The schema as data: the generated part (`QAPISchema+Generated.swift`) fills `commands`,
/// `events`, the argument decoders and the introspection text.
public enum QAPISchema {
    private static let commandIndex: [String: QAPICommandDescriptor] = Dictionary(
        uniqueKeysWithValues: commands.map { ($0.name, $0) })

    public static func command(named name: String) -> QAPICommandDescriptor? { commandIndex[name] }

    /// The value `query-qmp-schema` returns, parsed once from the generated text.
    public static let introspection: JSONValue = {
        do {
            return try JSONParser.parse(introspectionJSON)
        } catch {
            preconditionFailure("generated introspection data is not valid JSON: \(error)")
        }
    }()
}
