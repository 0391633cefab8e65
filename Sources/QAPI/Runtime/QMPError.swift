/// The error classes QMP replies carry (QEMU's QapiErrorClass).
public enum QMPErrorClass: String, Sendable, Hashable, CaseIterable, Codable {
    case genericError = "GenericError"
    case commandNotFound = "CommandNotFound"
    case deviceNotActive = "DeviceNotActive"
    case deviceNotFound = "DeviceNotFound"
    case kvmMissingCap = "KVMMissingCap"
}

/// A command failure as a value: a QMP class and the human text. Every layer above the
/// dispatcher reports failures with this type.
public struct QMPError: Error, Sendable, Hashable, CustomStringConvertible {
    public var errorClass: QMPErrorClass
    public var desc: String
    /// Extra advice printed on the lines after the message (QEMU's error hints); not sent over QMP.
    public var hint: String?

    public init(_ errorClass: QMPErrorClass = .genericError, _ desc: String, hint: String? = nil) {
        self.errorClass = errorClass
        self.desc = desc
        self.hint = hint
    }

    public static func generic(_ desc: String, hint: String? = nil) -> QMPError {
        QMPError(.genericError, desc, hint: hint)
    }

    public var description: String { desc }

    /// The `"error"` member of a QMP reply.
    public var qmpValue: JSONValue {
        .object(["class": .string(errorClass.rawValue), "desc": .string(desc)])
    }
}

/// Why a JSON value does not fit a schema type. The path is kept apart from the wording so
/// nested members are named in full (`channels[0].addr.port`), as QEMU's input visitor does.
public struct QAPIDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case missing
        case unexpected
        /// Wrong JSON type; the payload is QMP's name for the expected one (`integer`, `string`, a type name...).
        case invalidType(expected: String)
        /// Right JSON type, value not acceptable for the builtin (`int8_t`, `uint64`, `size`...).
        case expects(String)
        case doesNotAccept(value: String)
    }

    public var kind: Kind
    /// Innermost component last; rendered lazily because the error path is the rare one.
    public var path: [String]

    public init(_ kind: Kind, path: [String] = []) {
        self.kind = kind
        self.path = path
    }

    /// Puts a member name or `[index]` in front of the path.
    public func within(_ component: String) -> QAPIDecodingError {
        var copy = self
        copy.path.insert(component, at: 0)
        return copy
    }

    public var fullName: String {
        var name = ""
        for component in path {
            if component.hasPrefix("[") || name.isEmpty {
                name += component
            } else {
                name += "." + component
            }
        }
        return name.isEmpty ? "null" : name
    }

    public var description: String {
        switch kind {
        case .missing: "Parameter '\(fullName)' is missing"
        case .unexpected: "Parameter '\(fullName)' is unexpected"
        case .invalidType(let expected): "Invalid parameter type for '\(fullName)', expected: \(expected)"
        case .expects(let what): "Parameter '\(fullName)' expects \(what)"
        case .doesNotAccept(let value): "Parameter '\(fullName)' does not accept value '\(value)'"
        }
    }

    public var qmpError: QMPError { .generic(description) }
}
