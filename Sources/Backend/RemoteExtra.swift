import QAPI

/// Something a remote reply held that hmp's schema has no place for: a member (`compress-level`
/// in QEMU 7.2's migration parameters) or a whole array element (`{"capability": "block", ...}`).
public struct RemoteExtra: Sendable, Hashable {
    /// Where it was, from the reply's top (`ram.skipped`); empty for elements of the top array.
    public var path: [String]
    public var value: JSONValue
    public var isElement = false
    /// Not something extra but something missing: a member hmp requires that the remote did
    /// not report; `value` is the neutral value that stood in for it.
    public var isMissing = false

    public init(path: [String], value: JSONValue, isElement: Bool = false, isMissing: Bool = false) {
        self.path = path
        self.value = value
        self.isElement = isElement
        self.isMissing = isMissing
    }

    /// A member of the reply object itself, or an element of the reply array.
    public var isTopLevel: Bool { isElement ? path.count == 1 && path[0].hasPrefix("[") : path.count == 1 }

    /// The name shown for it: the member's path, or for an element its first text member
    /// (`block` for a capability).
    public var name: String {
        if isElement, let object = value.objectValue {
            let label = object.members.first { $0.value.stringValue != nil }?.value.stringValue ?? "?"
            return RemoteExtra.joined(path.filter { !$0.hasPrefix("[") } + [label])
        }
        return RemoteExtra.joined(path)
    }

    /// The value shown: for an element, what is left once its name is taken out.
    public var shownValue: JSONValue {
        guard isElement, let object = value.objectValue else { return value }
        let labelKey = object.members.first { $0.value.stringValue != nil }?.key
        let rest = object.members.filter { $0.key != labelKey }
        if rest.count == 1 { return rest[0].value }
        return .object(JSONObject(members: rest))
    }
}

extension RemoteExtra {
    /// `a.b[0].c`: a member path as QEMU's error texts spell it.
    public static func joined(_ path: [String]) -> String {
        var name = ""
        for component in path {
            name += component.hasPrefix("[") || name.isEmpty ? component : "." + component
        }
        return name
    }
}
