/// Stage 2: checks what the expressions mean — known keys, good names, no duplicates, every
/// referenced type defined, unions and alternates well formed — and builds the model.
/// The first error found is reported, as one `FILE:LINE: message` line.
public struct SchemaChecker {
    /// Config symbols that are defined for this build; `'if'` conditions are evaluated against them.
    public var defined: Set<String>

    public init(defined: Set<String> = []) { self.defined = defined }

    public func check(_ loaded: SchemaLoader.Loaded) throws(SchemaError) -> SchemaModel {
        var builder = Builder(pragmas: loaded.pragmas)
        for (expression, module) in loaded.expressions {
            try builder.declare(expression, module: module)
        }
        try builder.resolve()
        let conditioned = builder.definitions.compactMap { applyConditions($0) }
        return SchemaModel(definitions: conditioned, modules: loaded.modules)
    }

    /// Convenience: load, check, model.
    public func model(
        path: String, readFile: SchemaLoader.ReadFile = SchemaLoader.readFromDisk
    ) throws(SchemaError)
        -> SchemaModel
    {
        try check(try SchemaLoader.load(path: path, readFile: readFile))
    }

    private func holds(_ condition: Condition?) -> Bool { condition?.holds(for: defined) ?? true }

    private func applyConditions(_ definition: Definition) -> Definition? {
        guard holds(definition.info.condition) else { return nil }
        func features(_ fs: [Feature]) -> [Feature] { fs.filter { holds($0.condition) } }
        var info = definition.info
        info.features = features(info.features)
        switch definition {
        case .enumeration(var e):
            e.info = info
            e.values = e.values.filter { holds($0.condition) }.map {
                var v = $0; v.features = features(v.features); return v
            }
            return .enumeration(e)
        case .structure(var s):
            s.info = info
            s.members = s.members.filter { holds($0.condition) }.map {
                var m = $0; m.features = features(m.features); return m
            }
            return .structure(s)
        case .union(var u):
            u.info = info
            u.branches = u.branches.filter { holds($0.condition) }
            return .union(u)
        case .alternate(var a):
            a.info = info
            a.alternatives = a.alternatives.filter { holds($0.condition) }
            return .alternate(a)
        case .command(var c):
            c.info = info
            return .command(c)
        case .event(var e):
            e.info = info
            return .event(e)
        }
    }
}

// MARK: - Building

private struct Builder {
    let pragmas: SchemaPragmas
    var definitions: [Definition] = []
    var names: [String: SourceLocation] = [:]

    init(pragmas: SchemaPragmas) { self.pragmas = pragmas }

    static let metaKeys = ["enum", "struct", "union", "alternate", "command", "event"]
    static let allowedKeys: [String: Set<String>] = [
        "enum": ["enum", "data", "prefix", "if", "features"],
        "struct": ["struct", "data", "base", "if", "features"],
        "union": ["union", "base", "discriminator", "data", "if", "features"],
        "alternate": ["alternate", "data", "if", "features"],
        "command": [
            "command", "data", "returns", "boxed", "if", "features", "gen", "success-response", "allow-oob",
            "allow-preconfig", "coroutine",
        ],
        "event": ["event", "data", "boxed", "if", "features"],
    ]

    func at(_ location: SourceLocation, line: Int) -> SourceLocation { SourceLocation(file: location.file, line: line) }

    mutating func declare(_ expression: SchemaExpression, module: String) throws(SchemaError) {
        let dict = expression.dict
        let location = expression.location
        let metas = Self.metaKeys.filter { dict[$0] != nil }
        guard metas.count == 1, let meta = metas.first else {
            if metas.isEmpty {
                throw SchemaError(
                    location, "expression must have one of the keys \(Self.metaKeys.map { "'\($0)'" }.joined(separator: ", "))")
            }
            throw SchemaError(location, "expression has more than one of the keys \(metas.map { "'\($0)'" }.joined(separator: ", "))")
        }
        guard let name = dict[meta]?.string else { throw SchemaError(location, "'\(meta)' value must be a string") }
        let what = "\(meta) '\(name)'"
        for entry in dict.entries where !(Self.allowedKeys[meta]!.contains(entry.key)) {
            throw SchemaError(at(location, line: entry.line), "\(what) has unknown key '\(entry.key)'")
        }
        try checkDefinitionName(name, meta: meta, at: location)
        if let earlier = names[name] {
            throw SchemaError(location, "'\(name)' is already defined at \(earlier)")
        }
        names[name] = location
        if let doc = expression.doc, let symbol = doc.symbol, symbol != name {
            throw SchemaError(location, "definition of '\(name)' follows documentation for '\(symbol)'")
        }
        if pragmas.docRequired, expression.doc == nil, !pragmas.documentationExceptions.contains(name) {
            throw SchemaError(location, "\(what) has no documentation comment")
        }

        let info = DefinitionInfo(
            name: name, location: location, module: module, condition: try condition(dict["if"], what: what, at: location),
            features: try features(dict["features"], what: what, at: at(location, line: dict.line(of: "features"))),
            doc: expression.doc)

        switch meta {
        case "enum":
            guard let list = dict["data"]?.list else { throw SchemaError(location, "\(what) needs 'data', a list of values") }
            var values: [EnumValue] = []
            var seen: Set<String> = []
            for item in list {
                let value: EnumValue
                if let s = item.string {
                    value = EnumValue(name: s, condition: nil, features: [])
                } else if let d = item.dict {
                    for key in d.keys where !["name", "if", "features"].contains(key) {
                        throw SchemaError(at(location, line: d.line(of: key)), "\(what): value has unknown key '\(key)'")
                    }
                    guard let n = d["name"]?.string else {
                        throw SchemaError(at(location, line: d.line), "\(what): value needs a 'name' string")
                    }
                    value = EnumValue(
                        name: n, condition: try condition(d["if"], what: what, at: at(location, line: d.line)),
                        features: try features(d["features"], what: what, at: at(location, line: d.line)))
                } else {
                    throw SchemaError(location, "\(what): 'data' items must be strings or objects, not \(item.kindName)")
                }
                try checkEnumValueName(value.name, enumName: name, at: location)
                guard seen.insert(value.name.lowercased().replacingDashes).inserted else {
                    throw SchemaError(location, "\(what): value '\(value.name)' collides with another value")
                }
                values.append(value)
            }
            var prefix: String?
            if let p = dict["prefix"] {
                guard let s = p.string else {
                    throw SchemaError(at(location, line: dict.line(of: "prefix")), "\(what): 'prefix' must be a string")
                }
                prefix = s
            }
            definitions.append(.enumeration(EnumDefinition(info: info, values: values, prefix: prefix)))

        case "struct":
            guard let data = dict["data"]?.dict else {
                throw SchemaError(location, "\(what) needs 'data', an object of members")
            }
            let members = try self.members(data, of: name, what: what, at: location)
            var base: String?
            if let b = dict["base"] {
                guard let s = b.string else {
                    throw SchemaError(at(location, line: dict.line(of: "base")), "\(what): 'base' must be a type name")
                }
                base = s
            }
            definitions.append(.structure(StructDefinition(info: info, base: base, members: members, isImplicit: false)))

        case "union":
            guard let baseValue = dict["base"] else { throw SchemaError(location, "\(what) needs 'base'") }
            guard let discriminator = dict["discriminator"]?.string else {
                throw SchemaError(location, "\(what) needs 'discriminator', a member name of its base")
            }
            guard let data = dict["data"]?.dict else { throw SchemaError(location, "\(what) needs 'data', an object of branches") }
            let baseName: String
            if let s = baseValue.string {
                baseName = s
            } else if let d = baseValue.dict {
                baseName = "q_obj_\(name)-base"
                let members = try self.members(d, of: name, what: what, at: location)
                var baseInfo = info
                baseInfo.name = baseName
                baseInfo.doc = nil
                baseInfo.features = []
                definitions.append(.structure(StructDefinition(info: baseInfo, base: nil, members: members, isImplicit: true)))
                names[baseName] = location
            } else {
                throw SchemaError(at(location, line: dict.line(of: "base")), "\(what): 'base' must be a type name or an object")
            }
            var branches: [UnionDefinition.Branch] = []
            for entry in data.entries {
                let here = at(location, line: entry.line)
                let typeName: String
                var cond: Condition?
                if let s = entry.value.string {
                    typeName = s
                } else if let d = entry.value.dict, let s = d["type"]?.string {
                    typeName = s
                    cond = try condition(d["if"], what: what, at: here)
                } else {
                    throw SchemaError(here, "\(what): branch '\(entry.key)' must name a struct type")
                }
                branches.append(UnionDefinition.Branch(value: entry.key, type: typeName, condition: cond))
            }
            definitions.append(.union(UnionDefinition(info: info, base: baseName, discriminator: discriminator, branches: branches)))

        case "alternate":
            guard let data = dict["data"]?.dict, !data.entries.isEmpty else {
                throw SchemaError(location, "\(what) needs 'data', an object with at least one alternative")
            }
            var alternatives: [AlternateDefinition.Alternative] = []
            for entry in data.entries {
                let here = at(location, line: entry.line)
                try checkMemberName(entry.key, owner: name, what: what, at: here)
                let (type, cond) = try memberType(entry.value, what: what, member: entry.key, at: here)
                alternatives.append(AlternateDefinition.Alternative(name: entry.key, type: type, condition: cond))
            }
            definitions.append(.alternate(AlternateDefinition(info: info, alternatives: alternatives)))

        case "command":
            let boxed = try flag(dict, "boxed", what: what, at: location)
            let allowOOB = try flag(dict, "allow-oob", what: what, at: location)
            _ = try flag(dict, "allow-preconfig", what: what, at: location)
            _ = try flag(dict, "coroutine", what: what, at: location)
            _ = try flag(dict, "gen", what: what, at: location)
            _ = try flag(dict, "success-response", what: what, at: location)
            let argumentsType = try implicitData(dict, owner: name, suffix: "arg", boxed: boxed, info: info, what: what, at: location)
            var returns: TypeRef?
            if let r = dict["returns"] {
                let here = at(location, line: dict.line(of: "returns"))
                returns = try typeRef(r, what: what, context: "'returns'", at: here)
            }
            definitions.append(
                .command(CommandDefinition(info: info, argumentsType: argumentsType, returns: returns, boxed: boxed, allowOOB: allowOOB)))

        case "event":
            let boxed = try flag(dict, "boxed", what: what, at: location)
            let dataType = try implicitData(dict, owner: name, suffix: "arg", boxed: boxed, info: info, what: what, at: location)
            definitions.append(.event(EventDefinition(info: info, dataType: dataType, boxed: boxed)))

        default:
            preconditionFailure("meta keys are checked above")
        }
    }

    /// Inline `data` of a command or event becomes an implicit struct `q_obj_<name>-arg`.
    private mutating func implicitData(
        _ dict: SchemaDict, owner: String, suffix: String, boxed: Bool, info: DefinitionInfo, what: String, at location: SourceLocation
    ) throws(SchemaError) -> String? {
        guard let data = dict["data"] else {
            if boxed { throw SchemaError(location, "\(what): 'boxed': true requires 'data'") }
            return nil
        }
        if let typeName = data.string { return typeName }
        guard let d = data.dict else {
            throw SchemaError(at(location, line: dict.line(of: "data")), "\(what): 'data' must be an object or a type name")
        }
        if boxed { throw SchemaError(location, "\(what): 'data' must be a type name when 'boxed' is true") }
        if d.entries.isEmpty { return nil }
        let implicitName = "q_obj_\(owner)-\(suffix)"
        let members = try self.members(d, of: owner, what: what, at: location)
        var implicitInfo = info
        implicitInfo.name = implicitName
        implicitInfo.features = []
        definitions.append(.structure(StructDefinition(info: implicitInfo, base: nil, members: members, isImplicit: true)))
        names[implicitName] = location
        return implicitName
    }

    private func flag(_ dict: SchemaDict, _ key: String, what: String, at location: SourceLocation) throws(SchemaError) -> Bool {
        guard let value = dict[key] else { return false }
        guard case .bool(let b) = value else {
            throw SchemaError(at(location, line: dict.line(of: key)), "\(what): '\(key)' must be true or false")
        }
        return b
    }

    private func members(_ data: SchemaDict, of owner: String, what: String, at location: SourceLocation) throws(SchemaError) -> [Member] {
        var result: [Member] = []
        var seen: [String: String] = [:]
        for entry in data.entries {
            let here = at(location, line: entry.line)
            var name = entry.key
            let optional = name.hasPrefix("*")
            if optional { name.removeFirst() }
            try checkMemberName(name, owner: owner, what: what, at: here)
            let normalized = name.replacingDashes
            if let other = seen[normalized] {
                throw SchemaError(here, "\(what): member '\(name)' collides with member '\(other)'")
            }
            seen[normalized] = name
            let (type, cond) = try memberType(entry.value, what: what, member: name, at: here)
            var features: [Feature] = []
            if let d = entry.value.dict { features = try self.features(d["features"], what: what, at: here) }
            result.append(Member(name: name, type: type, optional: optional, condition: cond, features: features, location: here))
        }
        return result
    }

    private func memberType(
        _ value: SchemaValue, what: String, member: String, at location: SourceLocation
    ) throws(SchemaError)
        -> (TypeRef, Condition?)
    {
        if let d = value.dict {
            for key in d.keys where !["type", "if", "features"].contains(key) {
                throw SchemaError(location, "\(what): member '\(member)' has unknown key '\(key)'")
            }
            guard let t = d["type"] else { throw SchemaError(location, "\(what): member '\(member)' needs 'type'") }
            return (
                try typeRef(t, what: what, context: "member '\(member)'", at: location), try condition(d["if"], what: what, at: location)
            )
        }
        return (try typeRef(value, what: what, context: "member '\(member)'", at: location), nil)
    }

    private func typeRef(_ value: SchemaValue, what: String, context: String, at location: SourceLocation) throws(SchemaError) -> TypeRef {
        if let s = value.string {
            if let b = BuiltinType(rawValue: s) { return .builtin(b) }
            return .named(s)
        }
        if let l = value.list {
            guard l.count == 1, let element = l[0].string else {
                throw SchemaError(location, "\(what): \(context): an array type is written ['TYPE'] with exactly one type name")
            }
            if let b = BuiltinType(rawValue: element) { return .array(.builtin(b)) }
            return .array(.named(element))
        }
        throw SchemaError(location, "\(what): \(context) must name a type, not \(value.kindName)")
    }

    private func features(_ value: SchemaValue?, what: String, at location: SourceLocation) throws(SchemaError) -> [Feature] {
        guard let value else { return [] }
        guard let list = value.list else { throw SchemaError(location, "\(what): 'features' must be a list") }
        var result: [Feature] = []
        for item in list {
            let feature: Feature
            if let s = item.string {
                feature = Feature(name: s, condition: nil)
            } else if let d = item.dict, let n = d["name"]?.string {
                feature = Feature(name: n, condition: try condition(d["if"], what: what, at: location))
            } else {
                throw SchemaError(location, "\(what): a feature must be a string or an object with 'name'")
            }
            guard Self.isValidName(feature.name, allowLeadingDigit: false), feature.name == feature.name.lowercased() else {
                throw SchemaError(location, "\(what): feature name '\(feature.name)' must be lower case letters, digits and '-'")
            }
            if result.contains(where: { $0.name == feature.name }) {
                throw SchemaError(location, "\(what): feature '\(feature.name)' is listed twice")
            }
            result.append(feature)
        }
        return result
    }

    private func condition(_ value: SchemaValue?, what: String, at location: SourceLocation) throws(SchemaError) -> Condition? {
        guard let value else { return nil }
        func parse(_ v: SchemaValue) throws(SchemaError) -> Condition {
            if let s = v.string {
                guard !s.isEmpty, s.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw SchemaError(location, "\(what): 'if' condition '\(s)' is not a valid identifier")
                }
                return .symbol(s)
            }
            guard let d = v.dict, d.entries.count == 1, let entry = d.entries.first else {
                throw SchemaError(location, "\(what): 'if' must be a string or an object with one of 'all', 'any', 'not'")
            }
            switch entry.key {
            case "all", "any":
                guard let list = entry.value.list, !list.isEmpty else {
                    throw SchemaError(location, "\(what): 'if' '\(entry.key)' needs a non-empty list")
                }
                var parts: [Condition] = []
                for item in list { parts.append(try parse(item)) }
                return entry.key == "all" ? .all(parts) : .any(parts)
            case "not":
                return .not(try parse(entry.value))
            default:
                throw SchemaError(location, "\(what): 'if' has unknown operator '\(entry.key)'")
            }
        }
        return try parse(value)
    }

    // MARK: Names

    /// `[__RFQDN_]letter{letter|digit|-|_}`; downstream extensions use the `__` prefix.
    static func isValidName(_ name: String, allowLeadingDigit: Bool) -> Bool {
        var rest = Substring(name)
        if rest.hasPrefix("__") {
            guard let underscore = rest.dropFirst(2).firstIndex(of: "_") else { return false }
            let rfqdn = rest[rest.index(rest.startIndex, offsetBy: 2)..<underscore]
            guard !rfqdn.isEmpty, rfqdn.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else {
                return false
            }
            rest = rest[rest.index(after: underscore)...]
        }
        guard let first = rest.first, first.isASCII, first.isLetter || (allowLeadingDigit && first.isNumber) else { return false }
        return rest.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    static func stripPrefix(_ name: String) -> Substring {
        guard name.hasPrefix("__"), let underscore = name.dropFirst(2).firstIndex(of: "_") else { return Substring(name) }
        return name[name.index(after: underscore)...]
    }

    func checkDefinitionName(_ name: String, meta: String, at location: SourceLocation) throws(SchemaError) {
        guard Self.isValidName(name, allowLeadingDigit: false) else {
            throw SchemaError(location, "\(meta) name '\(name)' is not a valid name (letters, digits, '-' and '_', starting with a letter)")
        }
        let bare = Self.stripPrefix(name)
        if bare.hasPrefix("q_") || bare.hasPrefix("q-") {
            throw SchemaError(location, "\(meta) name '\(name)' uses the reserved prefix 'q_'")
        }
        switch meta {
        case "event":
            guard bare.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) else {
                throw SchemaError(location, "event name '\(name)' must be upper case with '_' between words")
            }
        case "command":
            guard bare.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw SchemaError(location, "command name '\(name)' must be lower case with '-' between words")
            }
            if bare.contains("_"), !pragmas.commandNameExceptions.contains(name) {
                throw SchemaError(location, "command name '\(name)' uses '_' (use '-', or list it in pragma 'command-name-exceptions')")
            }
        default:
            guard let first = bare.first, first.isUppercase, !bare.contains("-") else {
                throw SchemaError(location, "type name '\(name)' must be CamelCase, starting with an upper-case letter, without '-'")
            }
            if bare.hasSuffix("List") {
                throw SchemaError(location, "type name '\(name)' must not end in 'List' (reserved for generated array types)")
            }
        }
    }

    func checkMemberName(_ name: String, owner: String, what: String, at location: SourceLocation) throws(SchemaError) {
        guard Self.isValidName(name, allowLeadingDigit: false) else {
            throw SchemaError(location, "\(what): member name '\(name)' is not a valid name")
        }
        let bare = Self.stripPrefix(name)
        if bare.hasPrefix("has_") || bare.hasPrefix("has-") {
            throw SchemaError(location, "\(what): member name '\(name)' uses the reserved prefix 'has-'")
        }
        if bare == "u" { throw SchemaError(location, "\(what): member name 'u' is reserved") }
        if !pragmas.memberNameExceptions.contains(owner) {
            if bare.contains("_") || bare.contains(where: \.isUppercase) {
                throw SchemaError(location, "\(what): member name '\(name)' must be lower case with '-' between words")
            }
        }
    }

    func checkEnumValueName(_ name: String, enumName: String, at location: SourceLocation) throws(SchemaError) {
        guard Self.isValidName(name, allowLeadingDigit: true) else {
            throw SchemaError(location, "enum '\(enumName)': value '\(name)' is not a valid name")
        }
        if !pragmas.memberNameExceptions.contains(enumName) {
            if name.contains("_") || name.contains(where: \.isUppercase) {
                throw SchemaError(location, "enum '\(enumName)': value '\(name)' must be lower case with '-' between words")
            }
        }
    }

    // MARK: Resolving references

    mutating func resolve() throws(SchemaError) {
        var byName: [String: Definition] = [:]
        for d in definitions { byName[d.name] = d }

        func lookup(_ ref: TypeRef, what: String, context: String, at location: SourceLocation) throws(SchemaError) -> Definition? {
            switch ref {
            case .builtin: return nil
            case .array(let element): return try lookup(element, what: what, context: context, at: location)
            case .named(let n):
                guard let d = byName[n] else { throw SchemaError(location, "\(what): \(context) uses unknown type '\(n)'") }
                switch d {
                case .command, .event:
                    throw SchemaError(location, "\(what): \(context) uses '\(n)', which is a \(d.metaName), not a type")
                default: return d
                }
            }
        }

        func structMembers(_ name: String, chain: [String], at location: SourceLocation) throws(SchemaError) -> [Member] {
            guard case .structure(let s)? = byName[name] else { return [] }
            if chain.contains(name) { throw SchemaError(location, "struct '\(name)' is its own base") }
            let baseMembers = try s.base.map { (b) throws(SchemaError) in try structMembers(b, chain: chain + [name], at: location) } ?? []
            return baseMembers + s.members
        }

        for definition in definitions {
            var what = "\(definition.metaName) '\(definition.name)'"
            // Implicit argument structs are reported as their command's or event's.
            if case .structure(let s) = definition, s.isImplicit, s.info.name.hasPrefix("q_obj_") {
                var owner = String(s.info.name.dropFirst("q_obj_".count))
                for suffix in ["-arg", "-base"] where owner.hasSuffix(suffix) { owner.removeLast(suffix.count) }
                if let d = byName[owner] { what = "\(d.metaName) '\(owner)'" }
            }
            let location = definition.info.location
            switch definition {
            case .enumeration:
                break
            case .structure(let s):
                for m in s.members { _ = try lookup(m.type, what: what, context: "member '\(m.name)'", at: m.location) }
                if let base = s.base {
                    guard case .structure? = byName[base] else {
                        if byName[base] == nil { throw SchemaError(location, "\(what): 'base' uses unknown type '\(base)'") }
                        throw SchemaError(location, "\(what): 'base' must be a struct type, '\(base)' is not")
                    }
                    let inherited = try structMembers(base, chain: [s.info.name], at: location)
                    for m in s.members {
                        if let clash = inherited.first(where: { $0.name.replacingDashes == m.name.replacingDashes }) {
                            throw SchemaError(
                                m.location, "\(what): member '\(m.name)' collides with member '\(clash.name)' of base '\(base)'")
                        }
                    }
                }
            case .union(var u):
                guard let baseDefinition = byName[u.base] else {
                    throw SchemaError(location, "\(what): 'base' uses unknown type '\(u.base)'")
                }
                guard case .structure = baseDefinition else {
                    throw SchemaError(location, "\(what): 'base' must be a struct type, '\(u.base)' is not")
                }
                let baseMembers = try structMembers(u.base, chain: [], at: location)
                guard let tag = baseMembers.first(where: { $0.name == u.discriminator }) else {
                    throw SchemaError(location, "\(what): discriminator '\(u.discriminator)' is not a member of base '\(u.base)'")
                }
                guard !tag.optional else {
                    throw SchemaError(location, "\(what): discriminator member '\(u.discriminator)' must not be optional")
                }
                guard case .named(let enumName) = tag.type, case .enumeration(let e)? = byName[enumName] else {
                    throw SchemaError(location, "\(what): discriminator member '\(u.discriminator)' must be of an enum type")
                }
                let values = e.values.map(\.name)
                for branch in u.branches {
                    guard values.contains(branch.value) else {
                        throw SchemaError(location, "\(what): branch '\(branch.value)' is not a value of \(enumName)")
                    }
                    guard let typeName = branch.type, let target = byName[typeName] else {
                        throw SchemaError(location, "\(what): branch '\(branch.value)' uses unknown type '\(branch.type ?? "")'")
                    }
                    let branchMembers: [Member]
                    switch target {
                    case .structure: branchMembers = try structMembers(typeName, chain: [], at: location)
                    case .union(let inner): branchMembers = try structMembers(inner.base, chain: [], at: location)
                    default:
                        throw SchemaError(
                            location, "\(what): branch '\(branch.value)' must use a struct or union type, '\(typeName)' is not one")
                    }
                    for m in branchMembers where baseMembers.contains(where: { $0.name.replacingDashes == m.name.replacingDashes }) {
                        throw SchemaError(
                            location, "\(what): member '\(m.name)' of branch '\(branch.value)' collides with a member of base '\(u.base)'")
                    }
                }
                // Values the schema gives no branch for carry only the base members.
                var complete: [UnionDefinition.Branch] = []
                for value in e.values {
                    if let given = u.branches.first(where: { $0.value == value.name }) {
                        complete.append(given)
                    } else {
                        complete.append(UnionDefinition.Branch(value: value.name, type: nil, condition: value.condition))
                    }
                }
                u.branches = complete
                if let i = definitions.firstIndex(where: { $0.name == u.info.name }) { definitions[i] = .union(u) }
            case .alternate(let a):
                var kinds: [String: String] = [:]
                for alternative in a.alternatives {
                    let target = try lookup(alternative.type, what: what, context: "alternative '\(alternative.name)'", at: location)
                    let kind: String
                    switch (alternative.type, target) {
                    case (.array, _): kind = "array"
                    case (.builtin(let b), _):
                        switch b {
                        case .str: kind = "string"
                        case .number, .int, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .size: kind = "number"
                        case .bool: kind = "boolean"
                        case .null: kind = "null"
                        case .any: throw SchemaError(location, "\(what): alternative '\(alternative.name)' cannot be of type 'any'")
                        }
                    case (.named, .enumeration?): kind = "string"
                    case (.named, .structure?), (.named, .union?): kind = "object"
                    case (.named, .alternate?):
                        throw SchemaError(location, "\(what): alternative '\(alternative.name)' cannot be another alternate")
                    default: kind = "object"
                    }
                    if let other = kinds[kind] {
                        throw SchemaError(
                            location,
                            "\(what): alternative '\(alternative.name)' can't be distinguished from '\(other)' (both are JSON \(kind)s)")
                    }
                    kinds[kind] = alternative.name
                }
            case .command(let c):
                if let arg = c.argumentsType {
                    guard let target = byName[arg] else { throw SchemaError(location, "\(what): 'data' uses unknown type '\(arg)'") }
                    switch target {
                    case .structure: break
                    case .union where c.boxed: break
                    default:
                        throw SchemaError(location, "\(what): 'data' must be a struct type\(c.boxed ? " or a union" : ""), '\(arg)' is not")
                    }
                }
                if let r = c.returns {
                    let target = try lookup(r, what: what, context: "'returns'", at: location)
                    var ok = false
                    switch (r, target) {
                    case (.array, _): ok = true
                    case (.named, .structure?), (.named, .union?): ok = true
                    default: ok = false
                    }
                    if !ok && !pragmas.commandReturnsExceptions.contains(c.info.name) {
                        throw SchemaError(
                            location,
                            "\(what): 'returns' must be an object type or a list, not '\(r)' (or list the command in pragma 'command-returns-exceptions')"
                        )
                    }
                }
            case .event(let e):
                if let data = e.dataType {
                    guard let target = byName[data] else { throw SchemaError(location, "\(what): 'data' uses unknown type '\(data)'") }
                    switch target {
                    case .structure: break
                    case .union where e.boxed: break
                    default: throw SchemaError(location, "\(what): 'data' must be a struct type, '\(data)' is not")
                    }
                }
            }
        }
        // Members of implicit base structs may also reference types; checked as structs above.
    }
}

extension String {
    /// '-' and '_' are the same in C names, so members differing only there would collide.
    var replacingDashes: String { String(map { $0 == "-" ? "_" : $0 }) }
}
