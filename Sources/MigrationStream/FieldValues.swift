import QAPI

/// A value read from a device section, as its description says to read it.
public indirect enum FieldValue: Sendable, Hashable {
    case int(Int64)
    case uint(UInt64)
    case bool(Bool)
    /// Buffers and types the reader does not interpret: the bytes as they were.
    case bytes([UInt8])
    case structure([DecodedField])
    /// A field that repeats (`array_len`).
    case array([FieldValue])
    /// QEMU's marker for a NULL pointer in an array of pointers.
    case nullPointer
    case capability(String)

    /// The value in JSON: numbers as numbers, bytes as a hex string.
    public var jsonValue: JSONValue {
        switch self {
        case .int(let v): .int(v)
        case .uint(let v): .uint(v)
        case .bool(let v): .bool(v)
        case .bytes(let b): .string(Hex.string(b))
        case .structure(let fields): .object(DecodedField.jsonObject(fields))
        case .array(let values): .array(values.map(\.jsonValue))
        case .nullPointer: .string("nullptr")
        case .capability(let s): .string(s)
        }
    }

    /// One line of text for people: integers in decimal (and hex when large), buffers as hex
    /// with their printable text when they hold a C string.
    public var text: String {
        switch self {
        case .int(let v): "\(v)"
        case .uint(let v): v >= 0x10000 ? "\(v) (0x\(String(v, radix: 16)))" : "\(v)"
        case .bool(let v): v ? "true" : "false"
        case .bytes(let b):
            if let s = Hex.cString(b) { "\"\(s)\"" } else { Hex.abbreviated(b) }
        case .structure(let fields): "{" + fields.map { "\($0.name): \($0.value.text)" }.joined(separator: ", ") + "}"
        case .array(let values): "[" + values.map(\.text).joined(separator: ", ") + "]"
        case .nullPointer: "nullptr"
        case .capability(let s): s
        }
    }
}

/// A named value of a device section; subsections appear as fields holding a structure.
public struct DecodedField: Sendable, Hashable {
    public var name: String
    public var type: String
    public var value: FieldValue

    public init(name: String, type: String, value: FieldValue) {
        self.name = name
        self.type = type
        self.value = value
    }

    static func jsonObject(_ fields: [DecodedField]) -> JSONObject {
        var o = JSONObject()
        for f in fields { o.append(f.name, f.value.jsonValue) }
        return o
    }
}

enum Hex {
    static let digits = Array("0123456789abcdef".utf8)

    static func string(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Long runs shortened: the first 16 bytes, then how many there are.
    static func abbreviated(_ bytes: [UInt8]) -> String {
        if bytes.allSatisfy({ $0 == 0 }) { return bytes.isEmpty ? "(empty)" : "\(bytes.count) zero bytes" }
        if bytes.count <= 16 { return string(bytes) }
        return string(Array(bytes.prefix(16))) + "... (\(bytes.count) bytes)"
    }

    /// The text of a NUL-terminated printable string padded with NULs, if that is what it is.
    static func cString(_ bytes: [UInt8]) -> String? {
        guard let end = bytes.firstIndex(of: 0), end > 0 else { return nil }
        guard bytes[..<end].allSatisfy({ $0 >= 0x20 && $0 < 0x7F }), bytes[end...].allSatisfy({ $0 == 0 }) else { return nil }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }
}

/// Writes a device's values in the order and sizes of its description (big-endian, as
/// QEMU's `put_int64()` and friends do). A value that does not fit the description is a
/// programming error, so it traps.
public struct FieldEncoder {
    public private(set) var bytes: [UInt8] = []
    public init() {}

    public mutating func int64(_ v: Int64) { uint64(UInt64(bitPattern: v)) }
    public mutating func uint64(_ v: UInt64) {
        for s in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(s))) }
    }
    public mutating func uint32(_ v: UInt32) {
        for s in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) }
    }
    public mutating func uint8(_ v: UInt8) { bytes.append(v) }
    public mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    /// `text` NUL-padded to `size` bytes (QEMU's fixed buffers such as globalstate's runstate).
    public mutating func buffer(_ text: String, size: Int) {
        let utf8 = Array(text.utf8.prefix(size - 1))
        bytes.append(contentsOf: utf8)
        bytes.append(contentsOf: repeatElement(0, count: size - utf8.count))
    }
    public mutating func zeros(_ count: Int) { bytes.append(contentsOf: repeatElement(0, count: count)) }
}
