/// Boolean parse failures, with QEMU's texts.
public enum BoolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The `b` argument type.
    case expectedOnOff
    /// The QAPI visitor used by `migrate_set_parameter` for bool parameters.
    case parameterExpectsOnOff(parameter: String)

    public var description: String {
        switch self {
        case .expectedOnOff: "Expected 'on' or 'off'"
        case .parameterExpectsOnOff(let name): "Parameter '\(name)' expects 'on' or 'off'"
        }
    }
}

/// The two boolean spellings HMP accepts.
public enum BoolParser {
    /// The `b` argument type: after blanks, the run of printable non-blank
    /// characters must be exactly `on` or `off` (case-sensitive). The cursor
    /// is left after that run. On error nothing is consumed.
    public static func parseOnOff(_ scanner: inout HMPScanner) throws(BoolError) -> Bool {
        let bytes = scanner.bytes
        var i = scanner.position
        while i < bytes.count, isCSpace(bytes[i]) { i += 1 }
        let start = i
        while i < bytes.count, isCGraph(bytes[i]) { i += 1 }
        let word = bytes[start..<i]
        let value: Bool
        if word.elementsEqual("on".utf8) {
            value = true
        } else if word.elementsEqual("off".utf8) {
            value = false
        } else {
            throw .expectedOnOff
        }
        scanner.advance(to: i)
        return value
    }

    /// Whole-string form of `parseOnOff`.
    public static func parseOnOff(_ text: some StringProtocol) throws(BoolError) -> Bool {
        switch String(text) {
        case "on": true
        case "off": false
        default: throw .expectedOnOff
        }
    }

    /// QEMU's `qapi_bool_parse`, used for `migrate_set_parameter` bool
    /// parameters: `on yes true y` / `off no false n`, exact and
    /// case-sensitive, on the whole value.
    public static func parseLenient(_ value: some StringProtocol, parameter: String) throws(BoolError) -> Bool {
        switch String(value) {
        case "on", "yes", "true", "y": true
        case "off", "no", "false", "n": false
        default: throw .parameterExpectsOnOff(parameter: parameter)
        }
    }
}
