/// QEMU's C naming rules (scripts/qapi/common.py, as changed by "camel_to_upper(): Guess better"),
/// and the Swift identifiers this project derives from schema names.
public enum Naming {
    // MARK: C names

    /// CamelCase to UPPER_CASE:
    /// 1. '_' goes after a non-upper-case character followed by an upper-case one
    ///    (OneTwo → ONE_TWO, One2Three → ONE2_THREE);
    /// 2. '_' goes before the last upper-case character of a run followed by a non-upper-case
    ///    one (ACRONYMWord → ACRONYM_WORD), except right at the start (QType → QTYPE) and where
    ///    there already is one (AbCd → AB_CD).
    public static func camelToUpper(_ value: String) -> String {
        let chars = Array(value)
        guard let first = chars.first else { return "" }
        var result: [Character] = [first]
        var upper = first.isUppercase
        for ch in chars.dropFirst() {
            if ch.isUppercase == upper {
                // Still in the same run.
            } else if upper {
                // The run of capitals ends: split its last capital off, unless that capital is
                // the very first character or already follows a separator.
                if result.count > 2, isAlphanumeric(result[result.count - 2]) {
                    result.insert("_", at: result.count - 1)
                }
            } else if isAlphanumeric(result[result.count - 1]) {
                result.append("_")
            }
            result.append(ch)
            upper = ch.isUppercase
        }
        var name = cName(String(result).uppercased())
        while name.hasPrefix("_") { name.removeFirst() }
        return name
    }

    /// A C identifier for a schema name: anything but letters, digits and '_' becomes '_';
    /// with `protect`, C keywords, polluting macros and a leading digit get a `q_` prefix.
    public static func cName(_ name: String, protect: Bool = true) -> String {
        let mapped = String(name.map { ch -> Character in (ch.isASCII && (ch.isLetter || ch.isNumber)) || ch == "_" ? ch : "_" })
        if protect, cReservedWords.contains(mapped) || mapped.first?.isNumber == true {
            return "q_" + mapped
        }
        return mapped
    }

    /// The C constant of an enum value: PREFIX_VALUE, PREFIX being the enum's `prefix` or
    /// camelToUpper of its name.
    public static func enumConstant(typeName: String, value: String, prefix: String? = nil) -> String {
        (prefix ?? camelToUpper(typeName)) + "_" + cName(value, protect: false).uppercased()
    }

    private static func isAlphanumeric(_ ch: Character) -> Bool { ch.isASCII && (ch.isLetter || ch.isNumber) }

    static let cReservedWords: Set<String> = [
        // C89
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
        "float", "for", "goto", "if", "int", "long", "register", "return", "short", "signed", "sizeof", "static",
        "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
        // C99, C11
        "inline", "restrict", "_Bool", "_Complex", "_Imaginary", "_Alignas", "_Alignof", "_Atomic", "_Generic",
        "_Noreturn", "_Static_assert", "_Thread_local",
        // GCC and C++ words QEMU also avoids
        "asm", "typeof", "bool", "catch", "class", "const_cast", "delete", "dynamic_cast", "explicit", "false",
        "friend", "mutable", "namespace", "new", "operator", "private", "protected", "public", "reinterpret_cast",
        "static_cast", "template", "this", "throw", "true", "try", "typeid", "typename", "using", "virtual",
        "wchar_t", "and", "and_eq", "bitand", "bitor", "compl", "not", "not_eq", "or", "or_eq", "xor", "xor_eq",
        // Macros some hosts predefine
        "unix", "errno", "mips", "sparc", "i386", "linux",
    ]

    // MARK: Swift names

    /// Words of a schema name: split at '-', '_', '.', dropping a downstream `__RFQDN_` marker's underscores.
    static func words(_ name: String) -> [String] {
        name.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." }).map(String.init)
    }

    /// `cpu-throttle-initial` → `cpuThrottleInitial`; keywords are escaped with backticks.
    public static func swiftMember(_ name: String) -> String {
        let ws = words(name)
        guard let first = ws.first else { return "_" }
        var id = lowerFirstWord(first) + ws.dropFirst().map(capitalized).joined()
        if id.first?.isNumber == true { id = "_" + id }
        if reservedMemberNames.contains(id) { id += "_" }
        return swiftKeywords.contains(id) ? "`\(id)`" : id
    }

    /// The identifier without backticks, for use after a dot or in string interpolation.
    public static func swiftMemberBare(_ name: String) -> String {
        let id = swiftMember(name)
        return id.hasPrefix("`") ? String(id.dropFirst().dropLast()) : id
    }

    /// `query-migrate` → `QueryMigrate`, `MIGRATION_PASS` → `MigrationPass`.
    public static func swiftUpperCamel(_ name: String) -> String {
        let ws = words(name)
        let allUpper = name.allSatisfy { !$0.isLetter || $0.isUppercase }
        return ws.map { allUpper ? capitalized($0.lowercased()) : capitalized($0) }.joined()
    }

    /// Swift name of a schema type; names that would shadow Swift's own types get a `QAPI` prefix.
    public static func swiftType(_ name: String) -> String {
        if name.hasPrefix("__") { return swiftUpperCamel(name) }
        return shadowingTypeNames.contains(name) ? "QAPI" + name : name
    }

    private static func lowerFirstWord(_ word: String) -> String {
        // "MAC" stays readable as "mac"; "vcpuDirty" keeps its inner capitals.
        if word.allSatisfy({ !$0.isLetter || $0.isUppercase }) { return word.lowercased() }
        return word.prefix(1).lowercased() + word.dropFirst()
    }

    private static func capitalized(_ word: String) -> String {
        word.prefix(1).uppercased() + word.dropFirst()
    }

    static let shadowingTypeNames: Set<String> = [
        "String", "Int", "Bool", "Double", "Float", "Array", "Dictionary", "Set", "Optional", "Error", "Result",
        "Character", "Type", "Protocol", "Any", "Never", "Void", "Encoder", "Decoder", "Codable", "Hashable",
    ]

    /// Members that would clash with what generated types already declare.
    static let reservedMemberNames: Set<String> = ["qapi", "variant", "hashValue", "description", "cName", "rawValue", "allCases"]

    static let swiftKeywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static",
        "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do", "else",
        "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while", "as", "Any",
        "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "any", "some", "Type",
    ]
}
