import QAPI

/// `migrate_set_parameter NAME VALUE`: the value read the way QEMU 10.2's HMP reads each
/// parameter (reference §1.7), giving the one-member `MigrateSetParameters` to send and a
/// confirmation that says how the value was understood. Range checks beyond the C types are
/// the backend's (they name parameters with underscores, as QEMU's do).
enum MigrationParameterValue {
    struct Parsed: Sendable {
        var arguments: MigrateSetParameters
        /// What the table format confirms, e.g. `1 GiB/s (1073741824 bytes/s)`.
        var echo: String
    }

    /// How a value is read when it has no unit, for completion hints; it sits beside `parse`
    /// so the two cannot disagree, and the switch is exhaustive over the schema's parameters.
    static func inputHint(for parameter: MigrationParameter) -> String {
        let name = parameter.rawValue
        switch parameter {
        case .maxBandwidth, .availSwitchoverBandwidth: return "\(name): bytes/s; K M G T suffixes; no suffix means MiB/s"
        case .maxPostcopyBandwidth: return "\(name): bytes/s; K M G T suffixes; no suffix means bytes/s"
        case .xbzrleCacheSize: return "\(name): bytes, a power of two; K M G suffixes"
        case .downtimeLimit, .announceInitial, .announceMax, .announceStep, .xCheckpointDelay, .xVcpuDirtyLimitPeriod:
            return "\(name): milliseconds"
        case .vcpuDirtyLimit: return "\(name): MB/s"
        case .throttleTriggerThreshold, .cpuThrottleInitial, .cpuThrottleIncrement, .maxCpuThrottle: return "\(name): percent"
        case .announceRounds, .multifdChannels, .multifdZlibLevel, .multifdZstdLevel: return "\(name): a number"
        case .tlsCreds, .tlsHostname, .tlsAuthz: return "\(name): a string; \"\" for none"
        case .cpuThrottleTailslow, .directIo: return "\(name): on or off"
        case .multifdCompression, .zeroPageDetection, .mode: return "\(name): one of the listed values"
        case .blockBitmapMapping: return "\(name): only settable through QMP"
        }
    }

    static func parse(name: String, value: String) throws(QMPError) -> Parsed {
        guard let parameter = MigrationParameter(rawValue: name) else {
            throw .generic("invalid parameter value: \(name)")
        }
        var p = MigrateSetParameters()
        let echo: String
        switch parameter {
        case .announceInitial, .announceMax, .announceStep:
            let ms = try visitSize(value, name: name)
            switch parameter {
            case .announceInitial: p.announceInitial = ms
            case .announceMax: p.announceMax = ms
            default: p.announceStep = ms
            }
            echo = "\(ms) ms"
        case .announceRounds:
            let rounds = try visitSize(value, name: name)
            p.announceRounds = rounds
            echo = "\(rounds)"
        case .throttleTriggerThreshold, .cpuThrottleInitial, .cpuThrottleIncrement, .maxCpuThrottle:
            let percent = UInt8(try visitUnsigned(value, name: name, max: UInt64(UInt8.max), type: "uint8_t"))
            switch parameter {
            case .throttleTriggerThreshold: p.throttleTriggerThreshold = percent
            case .cpuThrottleInitial: p.cpuThrottleInitial = percent
            case .cpuThrottleIncrement: p.cpuThrottleIncrement = percent
            default: p.maxCpuThrottle = percent
            }
            echo = "\(percent)%"
        case .cpuThrottleTailslow, .directIo:
            let flag = try visitBool(value, name: name)
            if parameter == .directIo { p.directIo = flag } else { p.cpuThrottleTailslow = flag }
            echo = onOff(flag)
        case .tlsCreds, .tlsHostname, .tlsAuthz:
            switch parameter {
            case .tlsCreds: p.tlsCreds = .s(value)
            case .tlsHostname: p.tlsHostname = .s(value)
            default: p.tlsAuthz = .s(value)
            }
            echo = "'\(value)'" + (value.isEmpty ? emptyMeaning(parameter) : "")
        case .maxBandwidth, .availSwitchoverBandwidth:
            // QEMU reads these with qemu_strtosz_MiB, not the visitor: a bare number is MiB/s.
            guard let size = try? SizeParser.parse(value, as: .mebibytes), size.bytes <= UInt64(Int64.max) else {
                throw .generic("Invalid size \(value)")
            }
            if parameter == .maxBandwidth { p.maxBandwidth = size.bytes } else { p.availSwitchoverBandwidth = size.bytes }
            echo = bandwidthEcho(size.bytes)
        case .maxPostcopyBandwidth:
            let bytes = try visitSize(value, name: name)
            p.maxPostcopyBandwidth = bytes
            echo = bandwidthEcho(bytes)
        case .downtimeLimit:
            let ms = try visitSize(value, name: name)
            p.downtimeLimit = ms
            echo = "\(ms) ms"
        case .xCheckpointDelay:
            let ms = UInt32(try visitUnsigned(value, name: name, max: UInt64(UInt32.max), type: "uint32_t"))
            p.xCheckpointDelay = ms
            echo = "\(ms) ms"
        case .multifdChannels, .multifdZlibLevel, .multifdZstdLevel:
            let n = UInt8(try visitUnsigned(value, name: name, max: UInt64(UInt8.max), type: "uint8_t"))
            switch parameter {
            case .multifdChannels: p.multifdChannels = n
            case .multifdZlibLevel: p.multifdZlibLevel = n
            default: p.multifdZstdLevel = n
            }
            echo = "\(n)"
        case .multifdCompression:
            let method: MultiFDCompression = try visitEnum(value, name: name)
            p.multifdCompression = method
            echo = method.rawValue
        case .zeroPageDetection:
            let detection: ZeroPageDetection = try visitEnum(value, name: name)
            p.zeroPageDetection = detection
            echo = detection.rawValue
        case .mode:
            let mode: MigMode = try visitEnum(value, name: name)
            p.mode = mode
            echo = mode.rawValue
        case .xbzrleCacheSize:
            let bytes = try visitSize(value, name: name)
            guard bytes <= UInt64(Int64.max) else { throw .generic("Invalid size \(value)") }
            p.xbzrleCacheSize = bytes
            echo = bytes < 1024 ? "\(bytes) bytes" : "\(MigrationUnits.exactSizeText(bytes)) (\(bytes) bytes)"
        case .blockBitmapMapping:
            throw .generic("The block-bitmap-mapping parameter can only be set through QMP")
        case .xVcpuDirtyLimitPeriod:
            let ms = try visitSize(value, name: name)
            p.xVcpuDirtyLimitPeriod = ms
            echo = "\(ms) ms"
        case .vcpuDirtyLimit:
            let rate = try visitSize(value, name: name)
            p.vcpuDirtyLimit = rate
            echo = "\(rate) MB/s"
        }
        return Parsed(arguments: p, echo: echo)
    }

    private static func bandwidthEcho(_ bytes: UInt64) -> String {
        bytes < 1024 ? "\(bytes) bytes/s" : "\(MigrationUnits.exactSizeText(bytes))/s (\(bytes) bytes/s)"
    }

    /// What an empty TLS string means, so the confirmation says it.
    private static func emptyMeaning(_ parameter: MigrationParameter) -> String {
        switch parameter {
        case .tlsCreds: " (TLS off)"
        case .tlsHostname: " (the host name comes from the URI)"
        default: " (no authorization check)"
        }
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
