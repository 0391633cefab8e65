import Backend
import QAPI

/// Everything HMP knows about one migration parameter, in one place: how
/// `migrate_set_parameter` reads its value, its unit (which decides the confirmation, the
/// table row and the `--format qemu` line), what it means, and where QEMU's
/// `hmp_info_migrate_parameters()` lists it. Parsing, completion hints, both formatters, the
/// command's details text and the man page all read `MigrationParameterDescriptor.all`.
public final class MigrationParameterDescriptor: Sendable {
    /// How `hmp_migrate_set_parameter()` reads the typed value.
    public enum Reading: Sendable, Equatable {
        /// `qemu_strtosz_MiB()`: a size whose bare number means MiB.
        case sizeInMebibytes
        /// `visit_type_size()`: a size whose bare number means bytes.
        case size
        /// `visit_type_uint8()`/`uint32()`: `strtoull()` in base 0 (`0x` hex, leading-`0`
        /// octal), then the C type's range.
        case unsigned(max: UInt64, cType: String)
        /// `visit_type_bool()`: `qapi_bool_parse()` spellings.
        case bool
        /// `visit_type_<Enum>()`: the exact wire name.
        case enumeration
        /// A string, as given (`""` gives the empty string).
        case string
        /// Not settable from HMP (QEMU refuses it there too).
        case qmpOnly
    }

    /// What the number means; decides how it is echoed and shown.
    public enum Unit: Sendable, Equatable {
        case milliseconds, percent, count, bytes, bytesPerSecond, megabytesPerSecond
        case onOff, text, enumName, bitmapMapping
    }

    /// Where `hmp_info_migrate_parameters()` prints it.
    public enum QEMUListing: Sendable, Equatable {
        /// Always, with this text when the reply leaves the member out (QEMU prints the zero).
        case always(absent: String)
        /// Only when the reply has it.
        case whenPresent
        /// Never (QEMU leaves the multifd compression levels out).
        case never
    }

    /// A value as read from or written to the QAPI structs.
    enum Value: Sendable {
        case number(UInt64), flag(Bool), text(String), mapping([BitmapMigrationNodeAlias])
    }

    public let parameter: MigrationParameter
    public let reading: Reading
    public let unit: Unit
    public let qemuListing: QEMUListing
    /// One line: what the parameter does.
    public let help: String
    /// Said after an empty string is set (`'' (TLS off)`).
    let emptyMeaning: String?
    let enumValues: [String]
    let set: @Sendable (inout MigrateSetParameters, Value) -> Void
    let get: @Sendable (MigrationParameters) -> Value?

    init(
        parameter: MigrationParameter, reading: Reading, unit: Unit, qemuListing: QEMUListing, help: String, emptyMeaning: String?,
        enumValues: [String], set: @escaping @Sendable (inout MigrateSetParameters, Value) -> Void,
        get: @escaping @Sendable (MigrationParameters) -> Value?
    ) {
        self.parameter = parameter
        self.reading = reading
        self.unit = unit
        self.qemuListing = qemuListing
        self.help = help
        self.emptyMeaning = emptyMeaning
        self.enumValues = enumValues
        self.set = set
        self.get = get
        name = parameter.rawValue
    }

    public let name: String
    /// The QEMU release that introduced it (the schema's "since").
    public var introducedIn: (major: Int, minor: Int) { parameter.introducedIn }

    /// How a value is typed, for completion hints, `help` and the man page.
    public var valueHint: String {
        switch (reading, unit) {
        case (.qmpOnly, _): "only settable through QMP"
        case (.sizeInMebibytes, _): "bytes/s; K M G T suffixes; no suffix means MiB/s"
        case (.size, .bytesPerSecond): "bytes/s; K M G T suffixes; no suffix means bytes/s"
        case (.size, .bytes): "bytes, a power of two; K M G suffixes"
        case (_, .milliseconds): "milliseconds"
        case (_, .megabytesPerSecond): "MB/s"
        case (_, .percent): "percent"
        case (.bool, _): "on or off"
        case (.enumeration, _): "one of " + enumValues.joined(separator: ", ")
        case (.string, _): "a string; \"\" for none"
        default: "a number"
        }
    }

    // MARK: The list

    /// Every parameter, in QEMU's listing order with the compression levels (which QEMU's
    /// text leaves out) next to the compression.
    public static let all: [MigrationParameterDescriptor] = [
        .announceInitial, .announceMax, .announceRounds, .announceStep, .throttleTriggerThreshold, .cpuThrottleInitial,
        .cpuThrottleIncrement, .cpuThrottleTailslow, .maxCpuThrottle, .tlsCreds, .tlsHostname, .tlsAuthz, .maxBandwidth,
        .availSwitchoverBandwidth, .maxPostcopyBandwidth, .downtimeLimit, .xCheckpointDelay, .multifdChannels,
        .multifdCompression, .multifdZlibLevel, .multifdZstdLevel, .zeroPageDetection, .xbzrleCacheSize, .blockBitmapMapping,
        .xVcpuDirtyLimitPeriod, .vcpuDirtyLimit, .mode, .directIo,
    ].map(describe)

    private static let byParameter: [MigrationParameter: MigrationParameterDescriptor] = {
        var table: [MigrationParameter: MigrationParameterDescriptor] = [:]
        for descriptor in all { table[descriptor.parameter] = descriptor }
        return table
    }()

    public static func named(_ name: String) -> MigrationParameterDescriptor? {
        MigrationParameter(rawValue: name).flatMap { byParameter[$0] }
    }

    public static subscript(_ parameter: MigrationParameter) -> MigrationParameterDescriptor { describe(parameter) }

    /// Exhaustive over the schema: a new parameter does not build until it is described here.
    static func describe(_ parameter: MigrationParameter) -> MigrationParameterDescriptor {
        let uint8 = Reading.unsigned(max: UInt64(UInt8.max), cType: "uint8_t")
        switch parameter {
        case .announceInitial:
            return number(
                parameter, .size, .milliseconds, help: "delay before the first network announcement after migration",
                { $0.announceInitial = $1 }, { $0.announceInitial })
        case .announceMax:
            return number(
                parameter, .size, .milliseconds, help: "longest delay between two announcements",
                { $0.announceMax = $1 }, { $0.announceMax })
        case .announceRounds:
            return number(
                parameter, .size, .count, help: "how many announcements go out",
                { $0.announceRounds = $1 }, { $0.announceRounds })
        case .announceStep:
            return number(
                parameter, .size, .milliseconds, help: "how much the delay between announcements grows each time",
                { $0.announceStep = $1 }, { $0.announceStep })
        case .throttleTriggerThreshold:
            return number(
                parameter, uint8, .percent, help: "dirtied share of the bytes sent in a period that starts throttling",
                { $0.throttleTriggerThreshold = $1 }, { $0.throttleTriggerThreshold })
        case .cpuThrottleInitial:
            return number(
                parameter, uint8, .percent, help: "CPU time auto-converge takes from the guest at first",
                { $0.cpuThrottleInitial = $1 }, { $0.cpuThrottleInitial })
        case .cpuThrottleIncrement:
            return number(
                parameter, uint8, .percent, help: "how much auto-converge adds each time there is no progress",
                { $0.cpuThrottleIncrement = $1 }, { $0.cpuThrottleIncrement })
        case .cpuThrottleTailslow:
            return flag(
                parameter, help: "near the end, throttle only as much as needed",
                { $0.cpuThrottleTailslow = $1 }, { $0.cpuThrottleTailslow })
        case .maxCpuThrottle:
            return number(
                parameter, uint8, .percent, help: "highest throttle auto-converge may reach",
                { $0.maxCpuThrottle = $1 }, { $0.maxCpuThrottle })
        case .tlsCreds:
            return text(
                parameter, help: "the tls-creds object that makes the migration use TLS", empty: " (TLS off)",
                { $0.tlsCreds = .s($1) }, { $0.tlsCreds })
        case .tlsHostname:
            return text(
                parameter, help: "host name to check the destination's certificate against",
                empty: " (the host name comes from the URI)", { $0.tlsHostname = .s($1) }, { $0.tlsHostname })
        case .tlsAuthz:
            return text(
                parameter, help: "authz object that decides which clients are accepted", empty: " (no authorization check)",
                { $0.tlsAuthz = .s($1) }, { $0.tlsAuthz })
        case .maxBandwidth:
            return number(
                parameter, .sizeInMebibytes, .bytesPerSecond, help: "most bytes per second the migration may send",
                { $0.maxBandwidth = $1 }, { $0.maxBandwidth })
        case .availSwitchoverBandwidth:
            return number(
                parameter, .sizeInMebibytes, .bytesPerSecond,
                help: "bandwidth the switchover can count on; 0 means estimate it",
                { $0.availSwitchoverBandwidth = $1 }, { $0.availSwitchoverBandwidth })
        case .maxPostcopyBandwidth:
            return number(
                parameter, .size, .bytesPerSecond, help: "speed limit of the background stream in postcopy; 0 means none",
                { $0.maxPostcopyBandwidth = $1 }, { $0.maxPostcopyBandwidth })
        case .downtimeLimit:
            return number(
                parameter, .size, .milliseconds, help: "longest acceptable downtime",
                { $0.downtimeLimit = $1 }, { $0.downtimeLimit })
        case .xCheckpointDelay:
            return number(
                parameter, .unsigned(max: UInt64(UInt32.max), cType: "uint32_t"), .milliseconds,
                help: "time between COLO checkpoints", { $0.xCheckpointDelay = $1 }, { $0.xCheckpointDelay })
        case .multifdChannels:
            return number(
                parameter, uint8, .count, help: "parallel channels for multifd",
                { $0.multifdChannels = $1 }, { $0.multifdChannels })
        case .multifdCompression:
            return choice(
                parameter, absent: MultiFDCompression.none, help: "how multifd compresses pages",
                { $0.multifdCompression = $1 }, { $0.multifdCompression })
        case .multifdZlibLevel:
            return number(
                parameter, uint8, .count, listing: .never, help: "zlib level for multifd, 0 to 9",
                { $0.multifdZlibLevel = $1 }, { $0.multifdZlibLevel })
        case .multifdZstdLevel:
            return number(
                parameter, uint8, .count, listing: .never, help: "zstd level for multifd, 0 to 20",
                { $0.multifdZstdLevel = $1 }, { $0.multifdZstdLevel })
        case .zeroPageDetection:
            return choice(
                parameter, absent: ZeroPageDetection.none, help: "where zero pages are detected",
                { $0.zeroPageDetection = $1 }, { $0.zeroPageDetection })
        case .xbzrleCacheSize:
            return number(
                parameter, .size, .bytes, help: "size of the XBZRLE page cache",
                { $0.xbzrleCacheSize = $1 }, { $0.xbzrleCacheSize })
        case .blockBitmapMapping:
            return MigrationParameterDescriptor(
                parameter: parameter, reading: .qmpOnly, unit: .bitmapMapping, qemuListing: .whenPresent,
                help: "names under which block nodes and their dirty bitmaps travel", emptyMeaning: nil, enumValues: [],
                set: { p, value in if case .mapping(let m) = value { p.blockBitmapMapping = m } },
                get: { $0.blockBitmapMapping.map(Value.mapping) })
        case .xVcpuDirtyLimitPeriod:
            return number(
                parameter, .size, .milliseconds, help: "period of the dirty limit check",
                { $0.xVcpuDirtyLimitPeriod = $1 }, { $0.xVcpuDirtyLimitPeriod })
        case .vcpuDirtyLimit:
            return number(
                parameter, .size, .megabytesPerSecond, help: "dirty page rate limit per vCPU (dirty-limit capability)",
                { $0.vcpuDirtyLimit = $1 }, { $0.vcpuDirtyLimit })
        case .mode:
            return choice(parameter, absent: MigMode.normal, help: "the kind of migration", { $0.mode = $1 }, { $0.mode })
        case .directIo:
            return flag(
                parameter, listing: .whenPresent, help: "open migration files with O_DIRECT (mapped-ram)",
                { $0.directIo = $1 }, { $0.directIo })
        }
    }

    // MARK: Makers, one per kind of value

    private static func number<T: FixedWidthInteger & Sendable>(
        _ parameter: MigrationParameter, _ reading: Reading, _ unit: Unit, listing: QEMUListing = .always(absent: "0"), help: String,
        _ set: @escaping @Sendable (inout MigrateSetParameters, T) -> Void, _ get: @escaping @Sendable (MigrationParameters) -> T?
    ) -> MigrationParameterDescriptor {
        MigrationParameterDescriptor(
            parameter: parameter, reading: reading, unit: unit, qemuListing: listing, help: help, emptyMeaning: nil, enumValues: [],
            set: { p, value in if case .number(let n) = value, let n = T(exactly: n) { set(&p, n) } },
            get: { get($0).map { .number(UInt64($0)) } })
    }

    private static func flag(
        _ parameter: MigrationParameter, listing: QEMUListing = .always(absent: "off"), help: String,
        _ set: @escaping @Sendable (inout MigrateSetParameters, Bool) -> Void, _ get: @escaping @Sendable (MigrationParameters) -> Bool?
    ) -> MigrationParameterDescriptor {
        MigrationParameterDescriptor(
            parameter: parameter, reading: .bool, unit: .onOff, qemuListing: listing, help: help, emptyMeaning: nil, enumValues: [],
            set: { p, value in if case .flag(let b) = value { set(&p, b) } },
            get: { get($0).map(Value.flag) })
    }

    private static func text(
        _ parameter: MigrationParameter, help: String, empty: String,
        _ set: @escaping @Sendable (inout MigrateSetParameters, String) -> Void, _ get: @escaping @Sendable (MigrationParameters) -> String?
    ) -> MigrationParameterDescriptor {
        MigrationParameterDescriptor(
            parameter: parameter, reading: .string, unit: .text, qemuListing: .always(absent: "''"), help: help, emptyMeaning: empty,
            enumValues: [], set: { p, value in if case .text(let s) = value { set(&p, s) } },
            get: { get($0).map(Value.text) })
    }

    private static func choice<E: QAPIEnum & Sendable>(
        _ parameter: MigrationParameter, absent: E, help: String,
        _ set: @escaping @Sendable (inout MigrateSetParameters, E) -> Void, _ get: @escaping @Sendable (MigrationParameters) -> E?
    ) -> MigrationParameterDescriptor {
        MigrationParameterDescriptor(
            parameter: parameter, reading: .enumeration, unit: .enumName, qemuListing: .always(absent: absent.rawValue), help: help,
            emptyMeaning: nil, enumValues: E.allCases.map(\.rawValue),
            set: { p, value in if case .text(let s) = value, let e = E(rawValue: s) { set(&p, e) } },
            get: { get($0).map { .text($0.rawValue) } })
    }
}

// MARK: Help

extension MigrationParameterDescriptor {
    /// `help migrate_set_parameter`'s account of how each value is read, parameters with the
    /// same rule together.
    public static var valueRules: String {
        var groups: [(hint: String, names: [String])] = []
        for descriptor in all {
            let hint = descriptor.inputForms
            if let index = groups.firstIndex(where: { $0.hint == hint }) {
                groups[index].names.append(descriptor.name)
            } else {
                groups.append((hint, [descriptor.name]))
            }
        }
        var text = "Values are read as QEMU reads them; the table format also reads the units hmp prints, as listed."
        for group in groups { text += " " + group.names.joined(separator: ", ") + ": " + group.hint + "." }
        text +=
            " Booleans take on/off/yes/no/true/false. A value in double quotes is unquoted, so tls-creds \"\" clears the TLS credentials."
        return text
    }
}

// MARK: Reading, echoing, showing

extension MigrationParameterDescriptor {
    /// The table format reads a time with a unit for a millisecond parameter (`read(_:hmpUnits:)`).
    var readsTimeWithUnit: Bool { unit == .milliseconds }
    /// The table format reads the IEC units hmp prints for a size or bandwidth (`1GiB`, `64MiB/s`).
    var readsIECUnits: Bool { reading == .size || reading == .sizeInMebibytes }

    /// What the table format reads besides QEMU's forms, as examples for help and the man page
    /// (a test reads each one back).
    public var tableFormatExamples: [String] {
        if readsTimeWithUnit { return ["500ms", "1s"] }
        guard readsIECUnits else { return [] }
        switch unit {
        case .bytesPerSecond: return ["64MiB/s", "1GiB/s"]
        case .bytes: return ["512MiB", "1GiB"]
        default: return []
        }
    }

    /// `valueHint` and, where there are some, the table format's extra forms.
    public var inputForms: String {
        let examples = tableFormatExamples
        guard !examples.isEmpty else { return valueHint }
        return valueHint + "; the table format also reads e.g. " + examples.joined(separator: ", ")
    }
}

extension MigrationParameterDescriptor {
    /// `1GiB` → `1G`, and for a bandwidth `64MiB/s` → `64M`, `1G/s` → `1G`: the forms hmp
    /// prints, turned into `qemu_strtosz` text. Anything else is left for QEMU's rules to judge.
    static func iecSizeAsQEMU(_ text: String, perSecond: Bool) -> String { IECSizeText.asQEMU(text, perSecond: perSecond) }

    /// A time for a millisecond parameter in the table format: `500ms`, `2s`, `1.5s`, `1m`, `1h`
    /// give milliseconds; nil when the text has no unit (a bare number keeps QEMU's reading, in
    /// ms). A size suffix (`1k`) is refused: this is a time, not a size.
    func readTime(_ text: String) throws(QMPError) -> UInt64? {
        guard let last = text.last, last.isLetter else { return nil }
        let accepted = "give milliseconds, or a time with a unit ms, s, m or h (for example 500ms, 2s)"
        guard let nanoseconds = try? DurationParser.parse(text) else {
            throw .generic("Parameter '\(name)' is a time, not '\(text)': \(accepted)")
        }
        guard nanoseconds % 1_000_000 == 0 else {
            throw .generic("Parameter '\(name)' is set in whole milliseconds, not '\(text)': \(accepted)")
        }
        let milliseconds = nanoseconds / 1_000_000
        if case .unsigned(let max, let cType) = reading, milliseconds > max {
            throw .generic("Parameter '\(name)' expects \(cType)")
        }
        return milliseconds
    }
}

extension MigrationParameterDescriptor {
    /// `migrate_set_parameter NAME VALUE`: the one-member `MigrateSetParameters` to send and
    /// the confirmation the table format prints (`1 GiB/s (1073741824 bytes/s)`). Range
    /// checks beyond the C types are the backend's.
    /// `hmpUnits` (the table format) also takes the units hmp prints: `1GiB`, `64MiB/s` for
    /// sizes and bandwidths, and `500ms`, `2s` for times; `--format qemu` keeps QEMU's rules.
    func read(_ text: String, hmpUnits: Bool = false) throws(QMPError) -> (arguments: MigrateSetParameters, echo: String) {
        if hmpUnits, readsTimeWithUnit, let milliseconds = try readTime(text) {
            var arguments = MigrateSetParameters()
            set(&arguments, .number(milliseconds))
            return (arguments, echo(.number(milliseconds)))
        }
        let sized = hmpUnits && readsIECUnits
        let text = sized ? Self.iecSizeAsQEMU(text, perSecond: unit == .bytesPerSecond) : text
        let value: Value
        switch reading {
        case .sizeInMebibytes:
            guard let size = try? SizeParser.parse(text, as: .mebibytes), size.bytes <= UInt64(Int64.max) else {
                throw .generic("Invalid size \(text)")
            }
            value = .number(size.bytes)
        case .size:
            let bytes = try MigrationParameterValue.visitSize(text, name: name)
            // QEMU's xbzrle_cache_size check runs on an int64_t.
            if unit == .bytes, bytes > UInt64(Int64.max) { throw .generic("Invalid size \(text)") }
            value = .number(bytes)
        case .unsigned(let max, let cType):
            do {
                value = .number(try MigrationParameterValue.visitUnsigned(text, name: name, max: max, type: cType))
            } catch  where hmpUnits {
                throw .generic("Parameter '\(name)' expects an integer from 0 to \(max), not '\(text)'")
            }
        case .bool:
            do {
                value = .flag(try MigrationParameterValue.visitBool(text, name: name))
            } catch  where hmpUnits {
                throw .generic("Parameter '\(name)' expects on or off (or yes/no, true/false, y/n), not '\(text)'")
            }
        case .enumeration:
            guard enumValues.contains(text) else {
                guard hmpUnits else { throw .generic("Parameter '\(name)' does not accept value '\(text)'") }
                throw .generic(
                    "Parameter '\(name)' does not accept value '\(text)'" + Suggestion.didYouMean(text, among: enumValues),
                    hint: Suggestion.list("Accepted values", enumValues))
            }
            value = .text(text)
        case .string:
            value = .text(text)
        case .qmpOnly:
            throw .generic("The \(name) parameter can only be set through QMP")
        }
        var arguments = MigrateSetParameters()
        set(&arguments, value)
        return (arguments, echo(value))
    }

    private func echo(_ value: Value) -> String {
        switch value {
        case .number(let n):
            switch unit {
            case .milliseconds: return "\(n) ms"
            case .percent: return "\(n)%"
            case .megabytesPerSecond: return "\(n) \(DirtyRateFormat.rateUnit)"
            case .bytes: return n < 1024 ? "\(n) bytes" : "\(MigrationUnits.exactSizeText(n)) (\(n) bytes)"
            case .bytesPerSecond where n == 0: return "0 (\(zeroBandwidthMeaning))"
            case .bytesPerSecond: return n < 1024 ? "\(n) bytes/s" : "\(MigrationUnits.exactSizeText(n))/s (\(n) bytes/s)"
            default: return "\(n)"
            }
        case .flag(let b): return onOff(b)
        case .text(let s):
            guard unit == .text else { return s }
            if LongValue.isLong(s) { return LongValue.quotedCell(s) + " (\(s.utf8.count) bytes)" }
            return "'\(s)'" + (s.isEmpty ? emptyMeaning ?? "" : "")
        case .mapping: return ""
        }
    }

    /// Adds the rows of the table format (name, value, unit) for this parameter; none when the
    /// reply leaves it out.
    func addRows(to table: inout TextTable, _ parameters: MigrationParameters) {
        guard let value = get(parameters) else { return }
        // A bandwidth of 0 has a meaning of its own, which tableRows spells out.
        if case .number(let n) = value, !(n == 0 && unit == .bytesPerSecond) {
            switch unit {
            case .bytes, .bytesPerSecond:
                let exact = MigrationUnits.exactSize(n)
                table.add(name, exact.number, unit == .bytesPerSecond ? exact.unit + "/s" : exact.unit)
            case .milliseconds: table.add(name, String(n), "ms")
            case .percent: table.add(name, String(n), "%")
            case .megabytesPerSecond: table.add(name, String(n), DirtyRateFormat.rateUnit)
            default: table.add(name, String(n), "")
            }
            return
        }
        // The common single-row kinds without the arrays tableRows builds.
        switch value {
        case .flag(let b): table.add(name, onOff(b), "")
        case .text(let s) where !LongValue.isLong(s): table.add(name, unit == .text ? "'\(s)'" : s, "")
        default: for row in tableRows(parameters) { table.add(row) }
        }
    }

    /// What 0 means for a bandwidth: no limit, except for the switchover's, which is then measured.
    var zeroBandwidthMeaning: String {
        name == "avail-switchover-bandwidth" ? "estimated" : "unlimited"
    }

    /// Rows of the table format: name, value, unit; none when the reply leaves it out.
    func tableRows(_ parameters: MigrationParameters) -> [[String]] {
        guard let value = get(parameters) else { return [] }
        switch value {
        case .number(let n):
            switch unit {
            case .bytesPerSecond where n == 0:
                return [[name, "0", zeroBandwidthMeaning]]
            case .bytes, .bytesPerSecond:
                let exact = MigrationUnits.exactSize(n)
                return [[name, exact.number, exact.unit + (unit == .bytesPerSecond ? "/s" : "")]]
            case .milliseconds: return [[name, "\(n)", "ms"]]
            case .percent: return [[name, "\(n)", "%"]]
            case .megabytesPerSecond: return [[name, "\(n)", DirtyRateFormat.rateUnit]]
            default: return [[name, "\(n)", ""]]
            }
        case .flag(let b): return [[name, onOff(b), ""]]
        case .text(let s): return [[name, unit == .text ? LongValue.quotedCell(s) : s, ""]]
        case .mapping(let mapping):
            var rows: [[String]] = []
            for node in mapping {
                rows.append([rows.isEmpty ? name : "", "'\(node.nodeName)' -> '\(node.alias)'", ""])
                for bitmap in node.bitmaps { rows.append(["", "  '\(bitmap.name)' -> '\(bitmap.alias)'", ""]) }
            }
            return rows.isEmpty ? [[name, "(empty)", ""]] : rows
        }
    }

    /// The lines of QEMU 10.2's `hmp_info_migrate_parameters()` for this parameter.
    func qemuLines(_ parameters: MigrationParameters) -> String {
        let value = get(parameters)
        let text: String
        switch (qemuListing, value) {
        case (.never, _), (.whenPresent, nil): return ""
        case (.always(let absent), nil): text = absent + qemuUnitSuffix
        case (_, .number(let n)?): text = "\(n)" + qemuUnitSuffix
        case (_, .flag(let b)?): text = onOff(b)
        case (_, .text(let s)?): text = unit == .text ? "'\(s)'" : s
        case (_, .mapping(let mapping)?):
            var out = "\(name):\n"
            for node in mapping {
                out += "  '\(node.nodeName)' -> '\(node.alias)'\n"
                for bitmap in node.bitmaps { out += "    '\(bitmap.name)' -> '\(bitmap.alias)'\n" }
            }
            return out
        }
        return "\(name): \(text)\n"
    }

    private var qemuUnitSuffix: String {
        switch unit {
        case .milliseconds: " ms"
        case .bytes: " bytes"
        case .bytesPerSecond: " bytes/second"
        case .megabytesPerSecond: " MB/s"
        default: ""
        }
    }
}
