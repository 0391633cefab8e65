/// A JSON value as QMP carries it.
///
/// Integers keep their exact value: QMP numbers may be any int64 or uint64, which a Double
/// cannot hold exactly. Objects keep member order, because QEMU answers with members in
/// schema order and people read them in that order.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    /// A non-negative integer above Int64.max.
    case uint(UInt64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// One `"key": value` pair of a JSON object.
public struct JSONMember: Sendable, Hashable {
    public var key: String
    public var value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// An ordered JSON object. Lookups scan: QMP objects are small, and a scan over a few
/// dozen inline strings beats hashing them.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var members: [JSONMember]

    public init() { members = [] }

    public init(capacity: Int) {
        members = []
        members.reserveCapacity(capacity)
    }

    public init(members: [JSONMember]) { self.members = members }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = elements.map { JSONMember($0.0, $0.1) }
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }

    public subscript(key: String) -> JSONValue? {
        get {
            for member in members where member.key == key { return member.value }
            return nil
        }
        set {
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append(JSONMember(key, newValue))
            }
        }
    }

    /// Appends without checking for an existing key; generated encoders know their keys are unique.
    public mutating func append(_ key: String, _ value: JSONValue) {
        members.append(JSONMember(key, value))
    }

    public func contains(_ key: String) -> Bool { self[key] != nil }

    public func makeIterator() -> IndexingIterator<[JSONMember]> { members.makeIterator() }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(members: elements.map { JSONMember($0.0, $0.1) }))
    }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    /// The JSON type name QMP uses in "Invalid parameter type" errors.
    public var qmpTypeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int, .uint: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The value as a signed integer, if it is one that fits.
    public var int64Value: Int64? {
        switch self {
        case .int(let i): i
        case .uint(let u): Int64(exactly: u)
        default: nil
        }
    }

    /// The value as an unsigned integer, if it is a non-negative one.
    public var uint64Value: UInt64? {
        switch self {
        case .int(let i): i >= 0 ? UInt64(i) : nil
        case .uint(let u): u
        default: nil
        }
    }

    /// Any JSON number as a Double (QAPI 'number' accepts integers too).
    public var doubleValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .uint(let u): Double(u)
        case .double(let d): d
        default: nil
        }
    }

    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }
}
