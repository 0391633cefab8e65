/// Builds what `query-qmp-schema` returns (QEMU's SchemaInfo list) from the model: every
/// command, event and type, plus the array and builtin types they use. Names are not
/// masked (QEMU masks type names with numbers; here readable names help operators more).
struct Introspection {
    let model: SchemaModel

    func json() -> String {
        var entries: [String] = []
        var arrays: [TypeRef] = []
        var builtins: Set<BuiltinType> = []
        var needsEmpty = false

        func use(_ ref: TypeRef) -> String {
            switch ref {
            case .builtin(let b): builtins.insert(b)
            case .array(let e):
                _ = use(e)
                if !arrays.contains(ref) { arrays.append(ref) }
            case .named: break
            }
            return ref.description
        }

        func features(_ fs: [Feature]) -> String {
            fs.isEmpty ? "" : ", \"features\": [\(fs.map { quote($0.name) }.joined(separator: ", "))]"
        }

        func objectMembers(_ members: [Member]) -> String {
            members.map { m in
                "{\"name\": \(quote(m.name)), \"type\": \(quote(use(m.type)))\(m.optional ? ", \"default\": null" : "")\(features(m.features))}"
            }.joined(separator: ", ")
        }

        for d in model.definitions {
            let name = quote(d.name)
            switch d {
            case .command(let c):
                if c.argumentsType == nil || c.returns == nil { needsEmpty = true }
                let ret = c.returns.map { use($0) } ?? "q_empty"
                entries.append(
                    "{\"name\": \(name), \"meta-type\": \"command\", \"arg-type\": \(quote(c.argumentsType ?? "q_empty")), \"ret-type\": \(quote(ret))\(c.allowOOB ? ", \"allow-oob\": true" : "")\(features(c.info.features))}"
                )
            case .event(let e):
                if e.dataType == nil { needsEmpty = true }
                entries.append(
                    "{\"name\": \(name), \"meta-type\": \"event\", \"arg-type\": \(quote(e.dataType ?? "q_empty"))\(features(e.info.features))}"
                )
            case .enumeration(let e):
                let members = e.values.map { "{\"name\": \(quote($0.name))\(features($0.features))}" }.joined(separator: ", ")
                let values = e.values.map { quote($0.name) }.joined(separator: ", ")
                entries.append(
                    "{\"name\": \(name), \"meta-type\": \"enum\", \"members\": [\(members)], \"values\": [\(values)]\(features(e.info.features))}"
                )
            case .structure(let s):
                entries.append(
                    "{\"name\": \(name), \"meta-type\": \"object\", \"members\": [\(objectMembers(model.allMembers(of: s.info.name)))]\(features(s.info.features))}"
                )
            case .union(let u):
                let variants = u.branches.map { b in
                    if b.type == nil { needsEmpty = true }
                    return "{\"case\": \(quote(b.value)), \"type\": \(quote(b.type ?? "q_empty"))}"
                }.joined(separator: ", ")
                entries.append(
                    "{\"name\": \(name), \"meta-type\": \"object\", \"members\": [\(objectMembers(model.allMembers(of: u.base)))], \"tag\": \(quote(u.discriminator)), \"variants\": [\(variants)]\(features(u.info.features))}"
                )
            case .alternate(let a):
                let members = a.alternatives.map { "{\"type\": \(quote(use($0.type)))}" }.joined(separator: ", ")
                entries.append("{\"name\": \(name), \"meta-type\": \"alternate\", \"members\": [\(members)]\(features(a.info.features))}")
            }
        }
        if needsEmpty { entries.append("{\"name\": \"q_empty\", \"meta-type\": \"object\", \"members\": []}") }
        for a in arrays {
            guard case .array(let e) = a else { continue }
            entries.append("{\"name\": \(quote(a.description)), \"meta-type\": \"array\", \"element-type\": \(quote(e.description))}")
        }
        for b in BuiltinType.allCases where builtins.contains(b) {
            entries.append("{\"name\": \(quote(b.rawValue)), \"meta-type\": \"builtin\", \"json-type\": \(quote(b.jsonType))}")
        }
        return "[\n" + entries.joined(separator: ",\n") + "\n]"
    }

    private func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
