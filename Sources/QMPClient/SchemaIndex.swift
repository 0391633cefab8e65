import QAPI

/// A `query-qmp-schema` answer indexed by entity name: the remote QEMU's (whose type names
/// are masked as numbers) or hmp's own (names in clear). Kept as JSON rather than decoded
/// into `SchemaInfo`, so an older or newer QEMU's introspection never fails to load.
public struct SchemaIndex: Sendable {
    private var entities: [String: JSONObject] = [:]

    public init(_ schema: JSONValue) {
        for entity in schema.arrayValue ?? [] {
            guard let object = entity.objectValue, let name = object["name"]?.stringValue else { continue }
            entities[name] = object
        }
    }

    /// hmp's own schema, the one its typed layer was generated from.
    public static let local = SchemaIndex(QAPISchema.introspection)

    public var count: Int { entities.count }

    public func entity(_ name: String) -> JSONObject? { entities[name] }

    public func command(_ name: String) -> JSONObject? {
        guard let e = entities[name], e["meta-type"]?.stringValue == "command" else { return nil }
        return e
    }

    public var commandNames: [String] {
        entities.values.filter { $0["meta-type"]?.stringValue == "command" }.compactMap { $0["name"]?.stringValue }.sorted()
    }

    public func metaType(_ type: String) -> String? {
        if type.hasPrefix("[") { return "array" }
        return entities[type]?["meta-type"]?.stringValue
    }

    /// The element type of an array type (`[T]`, or an `array` entity).
    public func elementType(_ type: String) -> String? {
        if type.hasPrefix("["), type.hasSuffix("]") { return String(type.dropFirst().dropLast()) }
        return entities[type]?["element-type"]?.stringValue
    }

    public func enumValues(_ type: String) -> [String]? {
        guard let e = entities[type], e["meta-type"]?.stringValue == "enum" else { return nil }
        if let members = e["members"]?.arrayValue {
            let names = members.compactMap { $0["name"]?.stringValue }
            if !names.isEmpty { return names }
        }
        return e["values"]?.arrayValue?.compactMap(\.stringValue)
    }

    /// One member of an object type.
    public struct Member: Sendable {
        public var name: String
        public var type: String
        public var optional: Bool
    }

    /// The members of an object type: its own, plus those of the variant `value` selects.
    public func members(_ type: String, for value: JSONObject? = nil) -> [Member]? {
        guard let e = entities[type], e["meta-type"]?.stringValue == "object" else { return nil }
        var result = Self.plainMembers(e)
        if let tag = e["tag"]?.stringValue, let variants = e["variants"]?.arrayValue {
            let chosen = value?[tag]?.stringValue
            for variant in variants where variant["case"]?.stringValue == chosen {
                if let variantType = variant["type"]?.stringValue, let v = entities[variantType] {
                    result += Self.plainMembers(v)
                }
            }
        }
        return result
    }

    /// Every member any variant may add (for completion and for telling "unknown" apart).
    public func allVariantMembers(_ type: String) -> [Member] {
        guard let e = entities[type] else { return [] }
        var result = Self.plainMembers(e)
        for variant in e["variants"]?.arrayValue ?? [] {
            if let variantType = variant["type"]?.stringValue, let v = entities[variantType] { result += Self.plainMembers(v) }
        }
        return result
    }

    private static func plainMembers(_ e: JSONObject) -> [Member] {
        (e["members"]?.arrayValue ?? []).compactMap { m in
            guard let name = m["name"]?.stringValue, let type = m["type"]?.stringValue else { return nil }
            return Member(name: name, type: type, optional: m.objectValue?.contains("default") ?? false)
        }
    }
}
