import Backend
import QAPI

/// The two directions in which hmp's schema and a remote QEMU's may differ.
///
/// Outgoing: a request is checked against the remote's schema before it is sent; a command,
/// argument or enum value the remote lacks is refused, naming the remote's version, so an
/// older QEMU never sees (and never half-applies) something it cannot know.
///
/// Incoming: a reply is fitted to hmp's schema before typed decoding. Members and enum values
/// hmp does not know are taken out and kept as `RemoteExtra`s (shown after the typed output);
/// nothing is invented for members the remote left out, so a member hmp requires and the
/// remote lacks is reported rather than filled in.
public enum VersionAdaptation {
    // MARK: outgoing

    /// Why `arguments` cannot be sent to the remote as `command`, or nil when they can.
    public static func refusal(command: String, arguments: JSONValue, remote: SchemaIndex, version: String) -> String? {
        guard let entity = remote.command(command) else { return "QEMU \(version) has no command '\(command)'" }
        guard let argType = entity["arg-type"]?.stringValue else { return nil }
        var finding: Finding?
        check(arguments, type: argType, path: [], remote: remote, finding: &finding)
        guard let finding else { return nil }
        return wording(finding, command: command, version: version)
    }

    struct Finding {
        var path: [String]
        /// nil: the member itself is unknown; otherwise the enum value refused and the accepted ones.
        var value: String?
        var accepted: [String] = []
    }

    private static func check(_ value: JSONValue, type: String, path: [String], remote: SchemaIndex, finding: inout Finding?) {
        guard finding == nil else { return }
        switch remote.metaType(type) {
        case "object":
            guard let object = value.objectValue, let members = remote.members(type, for: object) else { return }
            for member in object {
                guard let known = members.first(where: { $0.name == member.key }) else {
                    finding = Finding(path: path + [member.key])
                    return
                }
                check(member.value, type: known.type, path: path + [member.key], remote: remote, finding: &finding)
            }
        case "array":
            guard let elements = value.arrayValue, let element = remote.elementType(type) else { return }
            for (i, e) in elements.enumerated() { check(e, type: element, path: path + ["[\(i)]"], remote: remote, finding: &finding) }
        case "enum":
            guard let text = value.stringValue, let values = remote.enumValues(type) else { return }
            if !values.contains(text) { finding = Finding(path: path, value: text, accepted: values) }
        default:
            // Builtins and alternates: the remote checks those itself, with its own texts.
            return
        }
    }

    private static func wording(_ f: Finding, command: String, version: String) -> String {
        let top = f.path.first ?? ""
        switch (command, f.value) {
        case ("migrate-set-parameters", nil) where f.path.count == 1:
            return "QEMU \(version) has no migration parameter '\(top)'"
        case ("migrate-set-parameters", let value?) where f.path.count == 1:
            return
                "QEMU \(version) has no value '\(value)' for migration parameter '\(top)' (it accepts: \(f.accepted.joined(separator: ", ")))"
        case ("migrate-set-capabilities", let value?) where f.path.last == "capability":
            return "QEMU \(version) has no migration capability '\(value)'"
        default:
            let name = joined(f.path)
            if let value = f.value {
                return
                    "QEMU \(version) does not accept '\(value)' for '\(name)' of '\(command)' (it accepts: \(f.accepted.joined(separator: ", ")))"
            }
            return "QEMU \(version) has no argument '\(name)' for '\(command)'"
        }
    }

    static func joined(_ path: [String]) -> String { RemoteExtra.joined(path) }

    // MARK: incoming

    /// false, 0, "" or [] for a builtin or array type; nil for anything else (an enum or an
    /// object has no neutral value).
    static func neutralValue(_ type: String, local: SchemaIndex) -> JSONValue? {
        if local.metaType(type) == "array" { return .array([]) }
        guard local.metaType(type) == "builtin", let json = local.entity(type)?["json-type"]?.stringValue else { return nil }
        switch json {
        case "boolean": return .bool(false)
        case "int": return .int(0)
        case "number": return .double(0)
        case "string": return .string("")
        default: return nil
        }
    }

    /// Takes out of `value` what hmp's schema type `type` has no place for; answers what is
    /// left (nil when the value as a whole cannot be represented, e.g. an unknown enum value)
    /// and appends what was taken out to `extras`.
    public static func fit(_ value: JSONValue, type: String, local: SchemaIndex = .local, extras: inout [RemoteExtra]) -> JSONValue? {
        fit(value, type: type, path: [], local: local, extras: &extras)
    }

    private static func fit(_ value: JSONValue, type: String, path: [String], local: SchemaIndex, extras: inout [RemoteExtra]) -> JSONValue?
    {
        switch local.metaType(type) {
        case "object":
            guard let object = value.objectValue, let members = local.members(type, for: object) else { return value }
            var kept = JSONObject(capacity: object.count)
            for member in object {
                guard let known = members.first(where: { $0.name == member.key }) else {
                    extras.append(RemoteExtra(path: path + [member.key], value: member.value))
                    continue
                }
                if let fitted = fit(member.value, type: known.type, path: path + [member.key], local: local, extras: &extras) {
                    kept.append(member.key, fitted)
                } else if known.optional {
                    extras.append(RemoteExtra(path: path + [member.key], value: member.value))
                } else {
                    return nil
                }
            }
            // A member hmp's schema requires and an older QEMU does not report (7.2's block
            // devices have no `active`): a neutral value stands in, and the extras say so, so
            // the output can name it as not reported instead of passing the value off as QEMU's.
            for member in members where !member.optional && !object.contains(member.name) {
                guard let neutral = neutralValue(member.type, local: local) else { return nil }
                kept.append(member.name, neutral)
                extras.append(RemoteExtra(path: path + [member.name], value: neutral, isMissing: true))
            }
            return .object(kept)
        case "array":
            guard let elements = value.arrayValue, let element = local.elementType(type) else { return value }
            var kept: [JSONValue] = []
            for (i, e) in elements.enumerated() {
                if let fitted = fit(e, type: element, path: path + ["[\(i)]"], local: local, extras: &extras) {
                    kept.append(fitted)
                } else {
                    extras.append(RemoteExtra(path: path + ["[\(i)]"], value: e, isElement: true))
                }
            }
            return .array(kept)
        case "enum":
            guard let text = value.stringValue, let values = local.enumValues(type) else { return value }
            // (JSONValue takes `nil` as JSON null: say Optional's none outright.)
            return values.contains(text) ? value : JSONValue?.none
        default:
            return value
        }
    }
}
