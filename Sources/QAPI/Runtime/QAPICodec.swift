/// Decoding of the schema's builtin types, with QEMU's input-visitor checks and texts.
/// Generated code calls these for members; the builtin conformances below use them too.
public enum QAPICodec {
    public typealias Failure = QAPIDecodingError

    /// Decodes one member and, on failure, puts its name in front of the error path.
    @inlinable
    public static func member<T>(
        _ name: String, _ value: JSONValue, _ decode: (JSONValue) throws(Failure) -> T
    )
        throws(Failure) -> T
    {
        do {
            return try decode(value)
        } catch {
            throw error.within(name)
        }
    }

    public static func object(_ value: JSONValue) throws(Failure) -> JSONObject {
        guard case .object(let object) = value else { throw Failure(.invalidType(expected: "object")) }
        return object
    }

    public static func array<T>(_ value: JSONValue, _ element: (JSONValue) throws(Failure) -> T) throws(Failure) -> [T] {
        guard case .array(let elements) = value else { throw Failure(.invalidType(expected: "array")) }
        var result: [T] = []
        result.reserveCapacity(elements.count)
        for (i, e) in elements.enumerated() {
            do {
                result.append(try element(e))
            } catch {
                throw error.within("[\(i)]")
            }
        }
        return result
    }

    public static func str(_ value: JSONValue) throws(Failure) -> String {
        guard case .string(let s) = value else { throw Failure(.invalidType(expected: "string")) }
        return s
    }

    public static func bool(_ value: JSONValue) throws(Failure) -> Bool {
        guard case .bool(let b) = value else { throw Failure(.invalidType(expected: "boolean")) }
        return b
    }

    public static func number(_ value: JSONValue) throws(Failure) -> Double {
        guard let d = value.doubleValue else { throw Failure(.invalidType(expected: "number")) }
        return d
    }

    public static func null(_ value: JSONValue) throws(Failure) -> QAPINull {
        try QAPINull(qapi: value)
    }

    public static func any(_ value: JSONValue) throws(Failure) -> JSONValue { value }

    /// `int` and `int64`.
    public static func int64(_ value: JSONValue) throws(Failure) -> Int64 {
        switch value {
        case .int(let i): return i
        case .uint, .double: throw Failure(.expects("integer"))
        default: throw Failure(.invalidType(expected: "integer"))
        }
    }

    public static func int8(_ value: JSONValue) throws(Failure) -> Int8 { try signed(value, "int8_t") }
    public static func int16(_ value: JSONValue) throws(Failure) -> Int16 { try signed(value, "int16_t") }
    public static func int32(_ value: JSONValue) throws(Failure) -> Int32 { try signed(value, "int32_t") }

    /// `uint64`. QEMU wraps negative numbers here for old clients; we refuse them.
    public static func uint64(_ value: JSONValue) throws(Failure) -> UInt64 { try unsigned64(value, "uint64") }
    /// `size`: a byte count, same range as uint64.
    public static func size(_ value: JSONValue) throws(Failure) -> UInt64 { try unsigned64(value, "size") }

    public static func uint8(_ value: JSONValue) throws(Failure) -> UInt8 { try unsigned(value, "uint8_t") }
    public static func uint16(_ value: JSONValue) throws(Failure) -> UInt16 { try unsigned(value, "uint16_t") }
    public static func uint32(_ value: JSONValue) throws(Failure) -> UInt32 { try unsigned(value, "uint32_t") }

    private static func signed<T: FixedWidthInteger & SignedInteger>(_ value: JSONValue, _ cType: String) throws(Failure) -> T {
        let wide = try int64(value)
        guard let narrow = T(exactly: wide) else { throw Failure(.expects(cType)) }
        return narrow
    }

    private static func unsigned64(_ value: JSONValue, _ what: String) throws(Failure) -> UInt64 {
        switch value {
        case .int(let i):
            guard i >= 0 else { throw Failure(.expects(what)) }
            return UInt64(i)
        case .uint(let u): return u
        case .double: throw Failure(.expects(what))
        default: throw Failure(.invalidType(expected: "integer"))
        }
    }

    private static func unsigned<T: FixedWidthInteger & UnsignedInteger>(_ value: JSONValue, _ cType: String) throws(Failure) -> T {
        let wide = try unsigned64(value, "uint64")
        guard let narrow = T(exactly: wide) else { throw Failure(.expects(cType)) }
        return narrow
    }

    /// Wire form of an unsigned number: `.int` when it fits, so equal numbers compare equal.
    @inlinable
    public static func encode(_ u: UInt64) -> JSONValue {
        u <= UInt64(Int64.max) ? .int(Int64(u)) : .uint(u)
    }
}

// MARK: - Builtins as schema types

extension String: QAPIType {
    public init(qapi: JSONValue) throws(QAPIDecodingError) { self = try QAPICodec.str(qapi) }
    public var qapi: JSONValue { .string(self) }
}

extension Bool: QAPIType {
    public init(qapi: JSONValue) throws(QAPIDecodingError) { self = try QAPICodec.bool(qapi) }
    public var qapi: JSONValue { .bool(self) }
}

extension Double: QAPIType {
    public init(qapi: JSONValue) throws(QAPIDecodingError) { self = try QAPICodec.number(qapi) }
    public var qapi: JSONValue { .double(self) }
}

extension Int64: QAPIType {
    public init(qapi: JSONValue) throws(QAPIDecodingError) { self = try QAPICodec.int64(qapi) }
    public var qapi: JSONValue { .int(self) }
}

extension Int32: QAPIType {
    public init(qapi: JSONValue) throws(QAPIDecodingError) { self = try QAPICodec.int32(qapi) }
    public var qapi: JSONValue { .int(Int64(self)) }
}

extension Int16: QAPIType {
    public init(qapi: JSONValue) throws(QAPIDecodingError) { self = try QAPICodec.int16(qapi) }
    public var qapi: JSONValue { .int(Int64(self)) }
}

extension Int8: QAPIType {
    public init(qapi: JSONValue) throws(QAPIDecodingError) { self = try QAPICodec.int8(qapi) }
    public var qapi: JSONValue { .int(Int64(self)) }
}

extension UInt64: QAPIType {
    public init(qapi: JSONValue) throws(QAPIDecodingError) { self = try QAPICodec.uint64(qapi) }
    public var qapi: JSONValue { QAPICodec.encode(self) }
}

extension UInt32: QAPIType {
    public init(qapi: JSONValue) throws(QAPIDecodingError) { self = try QAPICodec.uint32(qapi) }
    public var qapi: JSONValue { .int(Int64(self)) }
}

extension UInt16: QAPIType {
    public init(qapi: JSONValue) throws(QAPIDecodingError) { self = try QAPICodec.uint16(qapi) }
    public var qapi: JSONValue { .int(Int64(self)) }
}

extension UInt8: QAPIType {
    public init(qapi: JSONValue) throws(QAPIDecodingError) { self = try QAPICodec.uint8(qapi) }
    public var qapi: JSONValue { .int(Int64(self)) }
}

extension JSONValue: QAPIType {
    public init(qapi: JSONValue) throws(QAPIDecodingError) { self = qapi }
    public var qapi: JSONValue { self }
}

extension Array: QAPIEncodable where Element: QAPIEncodable {
    public var qapi: JSONValue { .array(map(\.qapi)) }
}

extension Array: QAPIType where Element: QAPIType {
    public init(qapi: JSONValue) throws(QAPIDecodingError) {
        self = try QAPICodec.array(qapi) { (element) throws(QAPIDecodingError) in try Element(qapi: element) }
    }
}
