/// Something that can be written as a QMP JSON value.
public protocol QAPIEncodable {
    /// The value in QMP wire form.
    var qapi: JSONValue { get }
}

/// A schema type with a QMP wire form both ways. Decoding checks everything the schema says
/// (members, JSON types, integer ranges, enum values) and names the offending member.
public protocol QAPIType: QAPIEncodable, Sendable, Hashable, Codable {
    init(qapi: JSONValue) throws(QAPIDecodingError)
}

/// A schema enum: Swift cases carry the wire string as raw value and QEMU's C constant name.
public protocol QAPIEnum: QAPIType, RawRepresentable, CaseIterable where RawValue == String {
    /// The schema name of the enum type.
    static var qapiName: String { get }
    /// The C enumeration constant QEMU's generator would produce (e.g. `MIGRATION_STATUS_ACTIVE`).
    var cName: String { get }
}

extension QAPIEnum {
    public init(qapi: JSONValue) throws(QAPIDecodingError) {
        guard case .string(let text) = qapi else { throw QAPIDecodingError(.invalidType(expected: "string")) }
        guard let value = Self(rawValue: text) else { throw QAPIDecodingError(.doesNotAccept(value: text)) }
        self = value
    }

    public var qapi: JSONValue { .string(rawValue) }

    /// Wire names of all values, in schema order.
    public static var wireNames: [String] { allCases.map(\.rawValue) }
}

/// A schema command: its wire name and the types of its arguments and reply.
public protocol QAPICommand {
    associatedtype Arguments: QAPIType
    associatedtype Returns: QAPIType
    static var name: String { get }
    static var allowOOB: Bool { get }
}

/// A schema event: its wire name and the type of its data.
public protocol QAPIEvent: QAPIType {
    static var name: String { get }
}

/// The empty object: arguments of a command that takes none, the reply of one that returns nothing.
public struct QAPIEmpty: QAPIType {
    public init() {}

    public init(qapi: JSONValue) throws(QAPIDecodingError) {
        let object = try QAPICodec.object(qapi)
        if let first = object.members.first { throw QAPIDecodingError(.unexpected, path: [first.key]) }
    }

    public var qapi: JSONValue { .object(JSONObject()) }
}

/// The schema builtin `null`.
public struct QAPINull: QAPIType {
    public init() {}

    public init(qapi: JSONValue) throws(QAPIDecodingError) {
        guard case .null = qapi else { throw QAPIDecodingError(.invalidType(expected: "null")) }
    }

    public var qapi: JSONValue { .null }
}

// MARK: - Codable through the wire form

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int64.self) {
            self = .int(i)
        } else if let u = try? container.decode(UInt64.self) {
            self = .uint(u)
        } else if let d = try? container.decode(Double.self) {
            self = .double(d)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([JSONValue].self) {
            self = .array(a)
        } else {
            let keyed = try decoder.container(keyedBy: AnyKey.self)
            var object = JSONObject()
            for key in keyed.allKeys { object.append(key.stringValue, try keyed.decode(JSONValue.self, forKey: key)) }
            self = .object(object)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .int(let i):
            var c = encoder.singleValueContainer()
            try c.encode(i)
        case .uint(let u):
            var c = encoder.singleValueContainer()
            try c.encode(u)
        case .double(let d):
            var c = encoder.singleValueContainer()
            try c.encode(d)
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .array(let a):
            var c = encoder.unkeyedContainer()
            for element in a { try c.encode(element) }
        case .object(let o):
            var c = encoder.container(keyedBy: AnyKey.self)
            for member in o { try c.encode(member.value, forKey: AnyKey(member.key)) }
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// Errors raised when a Codable decoder hands a schema type a value that does not fit it.
public struct QAPICodableError: Error, CustomStringConvertible {
    public var underlying: QAPIDecodingError
    public var description: String { underlying.description }
}

extension QAPIType {
    /// Decodes through the wire form so Codable and QMP agree on names and checks.
    public static func decodeThroughWire(from decoder: any Decoder) throws -> Self {
        let value = try JSONValue(from: decoder)
        do {
            return try Self(qapi: value)
        } catch {
            throw QAPICodableError(underlying: error)
        }
    }

    public func encodeThroughWire(to encoder: any Encoder) throws {
        try qapi.encode(to: encoder)
    }
}

/// Holds a member whose type contains the enclosing type (e.g. ImageInfo's `backing-image`),
/// which a Swift struct cannot store inline. Behaves as a value: it is never mutated in place.
public struct QAPIIndirect<Wrapped: Sendable & Hashable>: Sendable, Hashable {
    private final class Storage: Sendable {
        let value: Wrapped
        init(_ value: Wrapped) { self.value = value }
    }

    private let storage: Storage

    public init(_ value: Wrapped) { storage = Storage(value) }

    public var value: Wrapped { storage.value }

    public static func == (a: QAPIIndirect, b: QAPIIndirect) -> Bool { a.storage === b.storage || a.value == b.value }
    public func hash(into hasher: inout Hasher) { value.hash(into: &hasher) }
}
