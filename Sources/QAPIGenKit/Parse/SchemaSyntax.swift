/// Where something is in a schema file.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}

/// A schema error: always one line, `FILE:LINE: message`.
public struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}

/// A value in QAPI's JSON-like syntax, with the line of each dictionary key so errors can
/// point at the member that is wrong rather than at the start of the definition.
public indirect enum SchemaValue: Sendable, Hashable {
    case string(String)
    case bool(Bool)
    case list([SchemaValue])
    case dict(SchemaDict)

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var dict: SchemaDict? {
        if case .dict(let d) = self { return d }
        return nil
    }

    public var list: [SchemaValue]? {
        if case .list(let l) = self { return l }
        return nil
    }

    /// How the value is described in error messages.
    public var kindName: String {
        switch self {
        case .string: "a string"
        case .bool: "a boolean"
        case .list: "a list"
        case .dict: "an object"
        }
    }
}

public struct SchemaDictEntry: Sendable, Hashable {
    public var key: String
    public var value: SchemaValue
    public var line: Int
}

/// An ordered dictionary; QAPI member order is meaningful (it is the wire order).
public struct SchemaDict: Sendable, Hashable {
    public var entries: [SchemaDictEntry] = []
    public var line: Int

    public subscript(key: String) -> SchemaValue? {
        entries.first { $0.key == key }?.value
    }

    public func line(of key: String) -> Int {
        entries.first { $0.key == key }?.line ?? line
    }

    public var keys: [String] { entries.map(\.key) }
}

/// One top-level expression of a schema file with the doc block in front of it.
public struct SchemaExpression: Sendable {
    public var dict: SchemaDict
    public var doc: DocBlock?
    public var location: SourceLocation
}
