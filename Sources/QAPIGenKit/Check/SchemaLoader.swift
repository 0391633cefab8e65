import Foundation

/// Pragmas that relax the naming rules for legacy names (as in QEMU's schema).
public struct SchemaPragmas: Sendable, Hashable {
    public var docRequired = false
    /// Commands allowed to use '_' in their names (`block_resize`).
    public var commandNameExceptions: Set<String> = []
    /// Commands allowed to return something other than an object or a list.
    public var commandReturnsExceptions: Set<String> = []
    /// Types whose members (or enum values) may use '_' or upper case.
    public var memberNameExceptions: Set<String> = []
    public var documentationExceptions: Set<String> = []
}

/// Stage 1b: reads a top schema file and everything it includes, in order, each file once.
public struct SchemaLoader {
    public struct Loaded: Sendable {
        public var expressions: [(expression: SchemaExpression, module: String)]
        public var pragmas: SchemaPragmas
        public var modules: [String]
    }

    /// Reads a file's text; tests substitute an in-memory file system.
    public typealias ReadFile = (String) -> String?

    public static func load(path: String, readFile: ReadFile = SchemaLoader.readFromDisk) throws(SchemaError) -> Loaded {
        var loaded = Loaded(expressions: [], pragmas: SchemaPragmas(), modules: [])
        var seen: Set<String> = []
        try include(path: path, from: nil, stack: [], seen: &seen, into: &loaded, readFile: readFile)
        return loaded
    }

    public static func readFromDisk(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    static func moduleName(_ path: String) -> String {
        var name = path.split(separator: "/").last.map(String.init) ?? path
        if name.hasSuffix(".json") { name.removeLast(5) }
        return name
    }

    private static func include(
        path: String, from location: SourceLocation?, stack: [String], seen: inout Set<String>, into loaded: inout Loaded,
        readFile: ReadFile
    ) throws(SchemaError) {
        if stack.contains(path) {
            throw SchemaError(location ?? SourceLocation(file: path, line: 1), "inclusion loop for \(moduleName(path)).json")
        }
        // Like QEMU, a file included twice is read once.
        guard seen.insert(path).inserted else { return }
        guard let text = readFile(path) else {
            throw SchemaError(location ?? SourceLocation(file: path, line: 1), "can't read schema file '\(path)'")
        }
        let module = moduleName(path)
        loaded.modules.append(module)
        let expressions = try SchemaParser.parse(text: text, file: path)
        for expression in expressions {
            let dict = expression.dict
            if let target = dict["include"] {
                guard dict.keys == ["include"] else {
                    throw SchemaError(expression.location, "'include' must be the only key of its expression")
                }
                guard let file = target.string else {
                    throw SchemaError(expression.location, "value of 'include' must be a string")
                }
                let dir = directory(of: path)
                let resolved = file.hasPrefix("/") || dir.isEmpty ? file : dir + "/" + file
                try include(
                    path: resolved, from: expression.location, stack: stack + [path], seen: &seen, into: &loaded,
                    readFile: readFile)
            } else if let pragma = dict["pragma"] {
                guard dict.keys == ["pragma"] else {
                    throw SchemaError(expression.location, "'pragma' must be the only key of its expression")
                }
                try apply(pragma: pragma, at: expression.location, to: &loaded.pragmas)
            } else {
                loaded.expressions.append((expression, module))
            }
        }
    }

    private static func apply(pragma: SchemaValue, at location: SourceLocation, to pragmas: inout SchemaPragmas) throws(SchemaError) {
        guard let dict = pragma.dict else { throw SchemaError(location, "value of 'pragma' must be an object") }
        for entry in dict.entries {
            let here = SourceLocation(file: location.file, line: entry.line)
            func names() throws(SchemaError) -> Set<String> {
                guard let list = entry.value.list, list.allSatisfy({ $0.string != nil }) else {
                    throw SchemaError(here, "pragma \(entry.key) must be a list of strings")
                }
                return Set(list.compactMap(\.string))
            }
            switch entry.key {
            case "doc-required":
                guard case .bool(let b) = entry.value else { throw SchemaError(here, "pragma 'doc-required' must be boolean") }
                pragmas.docRequired = b
            case "command-name-exceptions": pragmas.commandNameExceptions.formUnion(try names())
            case "command-returns-exceptions": pragmas.commandReturnsExceptions.formUnion(try names())
            case "member-name-exceptions": pragmas.memberNameExceptions.formUnion(try names())
            case "documentation-exceptions": pragmas.documentationExceptions.formUnion(try names())
            default: throw SchemaError(here, "unknown pragma '\(entry.key)'")
            }
        }
    }
}
