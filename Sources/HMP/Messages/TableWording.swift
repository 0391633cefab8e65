import QAPI

/// QEMU's error texts put in the table format's words: parameters by their dashed QAPI names
/// (QEMU's `migrate_params_check()` writes `cpu_throttle_initial`, its throttling code
/// `bps_rd`), ranges in plain words instead of C type names (`uint8_t`), and no C
/// arithmetic (`(2000 * 1000) ms`). `--format qemu` keeps QEMU's texts.
enum TableWording {
    static func reword(_ text: String) -> String {
        var text = text
        for (qemu, plain) in phrases where text.contains(qemu) {
            text = text.replacingAll(qemu, with: plain)
        }
        text = valueBetween(text)
        guard text.contains("_") else { return text }
        return dashedNames(in: text)
    }

    /// `a value between 1 and 255` → `an integer from 1 to 255` (QEMU words its ranges both ways).
    static func valueBetween(_ text: String) -> String {
        guard let start = text.firstRange(of: "a value between ") else { return text }
        let rest = text[start.upperBound...]
        let low = rest.prefix { $0.isNumber }
        guard !low.isEmpty, rest.dropFirst(low.count).hasPrefix(" and ") else { return text }
        let afterAnd = rest.dropFirst(low.count + " and ".count)
        let high = afterAnd.prefix { $0.isNumber }
        guard !high.isEmpty else { return text }
        return text[..<start.lowerBound] + "an integer from \(low) to \(high)" + afterAnd.dropFirst(high.count)
    }

    /// C types and range phrases as QEMU's string input visitor and option checks word them.
    static let phrases: [(String, String)] = [
        ("expects uint8_t", "expects an integer from 0 to 255"),
        ("expects uint16_t", "expects an integer from 0 to 65535"),
        ("expects uint32_t", "expects an integer from 0 to \(UInt32.max)"),
        ("expects uint64_t", "expects an integer from 0 to \(UInt64.max)"),
        ("expects uint64", "expects a non-negative integer"),
        ("expects int64", "expects an integer"),
        ("(2000 * 1000) ms", "2000000 ms"),
        ("an integer in the range of ", "an integer from "),
    ]

    /// `cpu_throttle_initial` → `cpu-throttle-initial`, for names that are parameters.
    static let underscoreNames: [String: String] = {
        var names: [String: String] = [:]
        for name in MigrationParameter.wireNames + MigrationCapability.wireNames where name.contains("-") {
            names[name.replacingAll("-", with: "_")] = name
        }
        for name in throttleNames { names[name] = name.replacingAll("_", with: "-") }
        return names
    }()

    /// The I/O limit members of QEMU's BlockDeviceInfo and BlockIOThrottle.
    static let throttleNames: [String] = {
        var names: [String] = []
        for kind in ["bps", "iops"] {
            for direction in ["", "_rd", "_wr"] {
                names += [kind + direction, kind + direction + "_max", kind + direction + "_max_length"]
            }
        }
        return names.filter { $0.contains("_") } + ["iops_size"]
    }()

    /// Replaces each identifier-like word (letters, digits, `_`, `-`) that is a known
    /// underscore name. Words in single quotes are what was typed (a device, a value) and
    /// stay as they are, except a name right after `Parameter '`, which is QEMU's.
    static func dashedNames(in text: String) -> String {
        var out = ""
        var word = ""
        var quoted = false
        var quoteOpensParameter = false
        func flush() {
            if !quoted || quoteOpensParameter, let dashed = underscoreNames[word] {
                out += dashed
            } else {
                out += word
            }
            word = ""
        }
        for character in text {
            if character.isLetter || character.isNumber || character == "_" || character == "-" {
                word.append(character)
                continue
            }
            flush()
            if character == "'" {
                quoteOpensParameter = !quoted && out.hasSuffix("Parameter ")
                quoted.toggle()
            }
            out.append(character)
        }
        flush()
        return out
    }
}
