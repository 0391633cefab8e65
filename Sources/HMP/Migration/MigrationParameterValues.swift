import QAPI

/// `migrate_set_parameter NAME VALUE`: the value read by the parameter's descriptor, giving
/// the one-member `MigrateSetParameters` to send and a confirmation that says how the value
/// was understood. The readers below are QEMU's string input visitor, which the descriptors'
/// reading rules name.
enum MigrationParameterValue {
    struct Parsed: Sendable {
        var arguments: MigrateSetParameters
        /// What the table format confirms, e.g. `1 GiB/s (1073741824 bytes/s)`.
        var echo: String
    }

    /// `hmpUnits`: also take the units hmp prints (the table format).
    static func parse(name: String, value: String, hmpUnits: Bool = false) throws(QMPError) -> Parsed {
        guard let descriptor = MigrationParameterDescriptor.named(name) else {
            throw .generic("invalid parameter value: \(name)")
        }
        let read = try descriptor.read(value, hmpUnits: hmpUnits)
        return Parsed(arguments: read.arguments, echo: read.echo)
    }

    // MARK: QEMU's string input visitor

    /// `visit_type_size`: `qemu_strtosz` on the whole value (bytes if no suffix).
    static func visitSize(_ text: String, name: String) throws(QMPError) -> UInt64 {
        do {
            return try SizeParser.parse(text, as: .bytes).bytes
        } catch .outOfRange {
            throw .generic("Value '\(text)' is out of range for parameter '\(name)'")
        } catch {
            throw .generic(
                "Parameter '\(name)' expects a non-negative number below 2^64",
                hint: "Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\nand exabytes, respectively.")
        }
    }

    /// `visit_type_uint8` / `uint32`: `strtoull` with base 0 on the whole value, then the range
    /// of the C type. A minus sign wraps around, as in C, so `-1` fails the range check.
    static func visitUnsigned(_ text: String, name: String, max: UInt64, type: String) throws(QMPError) -> UInt64 {
        guard let value = strtoullBase0(text) else { throw .generic("Parameter '\(name)' expects uint64") }
        guard value <= max else { throw .generic("Parameter '\(name)' expects \(type)") }
        return value
    }

    /// `visit_type_bool`: QEMU's `qapi_bool_parse` spellings.
    static func visitBool(_ text: String, name: String) throws(QMPError) -> Bool {
        do {
            return try BoolParser.parseLenient(text, parameter: name)
        } catch {
            throw .generic(error.description)
        }
    }

    /// `visit_type_<Enum>`: the exact wire name.
    static func visitEnum<E: QAPIEnum>(_ text: String, name: String) throws(QMPError) -> E {
        guard let value = E(rawValue: text) else { throw .generic("Parameter '\(name)' does not accept value '\(text)'") }
        return value
    }

    /// `strtoull(text, &end, 0)` that must consume the whole text: blanks and a sign first,
    /// `0x` hex, a leading `0` octal. Nil when nothing or not everything was read, or on overflow.
    static func strtoullBase0(_ text: String) -> UInt64? {
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count, isCSpace(bytes[i]) { i += 1 }
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var base: UInt64 = 10
        if i + 2 < bytes.count, bytes[i] == UInt8(ascii: "0"), bytes[i + 1] | 0x20 == UInt8(ascii: "x"),
            isCHexDigit(bytes[i + 2])
        {
            base = 16
            i += 2
        } else if i < bytes.count, bytes[i] == UInt8(ascii: "0") {
            base = 8
        }
        guard i < bytes.count else { return nil }
        var value: UInt64 = 0
        while i < bytes.count {
            let b = bytes[i]
            let digit: UInt64
            if isCDigit(b) {
                digit = UInt64(b - 0x30)
            } else if base == 16, isCHexDigit(b) {
                digit = hexValue(b)
            } else {
                return nil
            }
            guard digit < base else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: base)
            let (a, o2) = m.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = a
            i += 1
        }
        return negative ? 0 &- value : value
    }
}
