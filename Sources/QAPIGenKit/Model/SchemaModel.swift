/// The schema's builtin types.
public enum BuiltinType: String, Sendable, CaseIterable {
    case str, int, int8, int16, int32, int64, uint8, uint16, uint32, uint64, size, number, bool, null, any

    /// The JSON type introspection reports for it.
    public var jsonType: String {
        switch self {
        case .str: "string"
        case .int, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .size: "int"
        case .number: "number"
        case .bool: "boolean"
        case .null: "null"
        case .any: "value"
        }
    }
}

/// A reference to a type from a member, a branch, or a command's reply.
public indirect enum TypeRef: Sendable, Hashable, CustomStringConvertible {
    case builtin(BuiltinType)
    case named(String)
    case array(TypeRef)

    /// The schema spelling: `str`, `MigrationInfo`, `[MigrationCapabilityStatus]`.
    public var description: String {
        switch self {
        case .builtin(let b): b.rawValue
        case .named(let n): n
        case .array(let e): "[\(e)]"
        }
    }
}

/// An `'if'` condition: a config symbol or a combination of them.
public indirect enum Condition: Sendable, Hashable {
    case symbol(String)
    case all([Condition])
    case any([Condition])
    case not(Condition)

    public func holds(for defined: Set<String>) -> Bool {
        switch self {
        case .symbol(let s): defined.contains(s)
        case .all(let cs): cs.allSatisfy { $0.holds(for: defined) }
        case .any(let cs): cs.contains { $0.holds(for: defined) }
        case .not(let c): !c.holds(for: defined)
        }
    }
}

public struct Feature: Sendable, Hashable {
    public var name: String
    public var condition: Condition?
}

public struct Member: Sendable, Hashable {
    public var name: String
    public var type: TypeRef
    public var optional: Bool
    public var condition: Condition?
    public var features: [Feature]
    public var location: SourceLocation
}

public struct EnumValue: Sendable, Hashable {
    public var name: String
    public var condition: Condition?
    public var features: [Feature]
}

/// What every definition has.
public struct DefinitionInfo: Sendable, Hashable {
    public var name: String
    public var location: SourceLocation
    /// The schema file the definition comes from, without `.json` (e.g. `migration`).
    public var module: String
    public var condition: Condition?
    public var features: [Feature]
    public var doc: DocBlock?
}

public struct EnumDefinition: Sendable, Hashable {
    public var info: DefinitionInfo
    public var values: [EnumValue]
    public var prefix: String?
}

public struct StructDefinition: Sendable, Hashable {
    public var info: DefinitionInfo
    public var base: String?
    /// Members declared here; base members come first on the wire (see `SchemaModel.allMembers`).
    public var members: [Member]
    /// Made up by the generator for inline data (`q_obj_migrate-arg`), not written in the schema.
    public var isImplicit: Bool
}

public struct UnionDefinition: Sendable, Hashable {
    public struct Branch: Sendable, Hashable {
        public var value: String
        /// The branch's struct; nil when the schema gives no branch for this value.
        public var type: String?
        public var condition: Condition?
    }
    public var info: DefinitionInfo
    /// The base struct (possibly implicit) that holds the discriminator.
    public var base: String
    public var discriminator: String
    /// One entry per value of the discriminator enum, in enum order.
    public var branches: [Branch]
}

public struct AlternateDefinition: Sendable, Hashable {
    public struct Alternative: Sendable, Hashable {
        public var name: String
        public var type: TypeRef
        public var condition: Condition?
    }
    public var info: DefinitionInfo
    public var alternatives: [Alternative]
}

public struct CommandDefinition: Sendable, Hashable {
    public var info: DefinitionInfo
    /// Struct or union carrying the arguments; nil for a command without arguments.
    public var argumentsType: String?
    public var returns: TypeRef?
    public var boxed: Bool
    public var allowOOB: Bool
}

public struct EventDefinition: Sendable, Hashable {
    public var info: DefinitionInfo
    public var dataType: String?
    public var boxed: Bool
}

public enum Definition: Sendable, Hashable {
    case enumeration(EnumDefinition)
    case structure(StructDefinition)
    case union(UnionDefinition)
    case alternate(AlternateDefinition)
    case command(CommandDefinition)
    case event(EventDefinition)

    public var info: DefinitionInfo {
        switch self {
        case .enumeration(let d): d.info
        case .structure(let d): d.info
        case .union(let d): d.info
        case .alternate(let d): d.info
        case .command(let d): d.info
        case .event(let d): d.info
        }
    }

    public var name: String { info.name }

    /// The word used for this kind of definition in messages and in the schema.
    public var metaName: String {
        switch self {
        case .enumeration: "enum"
        case .structure: "struct"
        case .union: "union"
        case .alternate: "alternate"
        case .command: "command"
        case .event: "event"
        }
    }
}

/// Stage 3 output: every definition, checked, conditions applied, in schema order.
public struct SchemaModel: Sendable {
    public var definitions: [Definition]
    public var modules: [String]
    private var index: [String: Int]

    init(definitions: [Definition], modules: [String]) {
        self.definitions = definitions
        self.modules = modules
        var index: [String: Int] = [:]
        for (i, d) in definitions.enumerated() where index[d.name] == nil { index[d.name] = i }
        self.index = index
    }

    public func definition(named name: String) -> Definition? { index[name].map { definitions[$0] } }

    public func structure(named name: String) -> StructDefinition? {
        if case .structure(let s)? = definition(named: name) { return s }
        return nil
    }

    public func enumeration(named name: String) -> EnumDefinition? {
        if case .enumeration(let e)? = definition(named: name) { return e }
        return nil
    }

    /// A struct's members with its bases' first, the order they appear on the wire.
    public func allMembers(of structName: String) -> [Member] {
        guard let s = structure(named: structName) else { return [] }
        return (s.base.map { allMembers(of: $0) } ?? []) + s.members
    }

    public var commands: [CommandDefinition] {
        definitions.compactMap { if case .command(let c) = $0 { c } else { nil } }
    }

    public var events: [EventDefinition] {
        definitions.compactMap { if case .event(let e) = $0 { e } else { nil } }
    }
}
