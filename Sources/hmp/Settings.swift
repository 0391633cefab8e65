import HMP
import QMPServer

/// A mistake on the command line: one line saying what was wrong and what is accepted.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What the model VM is built from. No defaults here: they are the option specs' defaults.
struct MachineSettings {
    enum Clock: String { case real, virtual }

    var clock: Clock
    var ramBytes: UInt64
    var vcpus: Int
    var dirtyPagesPerSecond: UInt64
    var zeroPagePercent: Int
    /// `--disk` values as given; empty means the default disks.
    var disks: [String]
    var name: String?
    var incoming: String?
    var allowExec: Bool
    /// `--machine none`: QEMU's `-M none` (no RAM, no disks).
    var machineNone = false
    var paused = false
    var noDisks = false
    var dirtyRingSize: UInt32 = 0
    var replication = true
}

/// The checked command line.
struct Settings {
    enum Mode: Equatable {
        case version, manPage, complete(words: [String])
        case completionScript(CompletionScripts.Shell)
        /// `-c` text, commands separated by `;` or newlines.
        case script(String)
        /// One command line from the program arguments.
        case oneShot([String])
        /// Standard input: the REPL on a terminal, a batch otherwise.
        case standardInput
    }

    var mode: Mode
    var format: OutputFormat
    var machine: MachineSettings
    /// nil: no history file.
    var historyFile: String?
    var usesDefaultHistory: Bool
    var stopOnError: Bool
    /// The QEMUs to drive over QMP; nil: the in-process model.
    var remote: RemoteSettings?
    /// `--qmp` addresses; empty: no QMP server.
    var qmp: [QMPAddress] = []
    /// `--no-console`: serve QMP only.
    var noConsole = false
    /// `--dry-run`: explain each line instead of running it.
    var dryRun = false
    /// `--log-events FILE`.
    var logEvents: String?
    /// `--event-history N`.
    var eventHistory = 0

    /// The --connect settings among the options of a line still being typed (its last word is
    /// incomplete); nil when it has none or they do not parse yet.
    static func remoteSettings(inTypedLine words: [String]) -> RemoteSettings? {
        guard words.count > 1, case .options(let options)? = try? CommandLineParser.parse(Array(words.dropLast())) else { return nil }
        return try? RemoteSettings.parse(options)
    }

    /// The machine the options of a line still being typed describe; nil when they do not
    /// parse yet (the defaults stand then). Completion only reads the VM: it does not listen
    /// for an incoming migration, and its clock stands still.
    static func machineSettings(inTypedLine words: [String]) -> MachineSettings? {
        // The word being typed may be the value of the last option (`-c 'block_resize d`).
        guard words.count > 1,
            case .options(let options)? = (try? CommandLineParser.parse(Array(words.dropLast())))
                ?? (try? CommandLineParser.parse(words)),
            var settings = try? machine(options), settings.disks.allSatisfy({ DiskSpecCheck.parses($0) })
        else { return nil }
        settings.incoming = nil
        settings.clock = .virtual
        return settings
    }

    init(_ options: RawOptions) throws(UsageError) {
        typealias Option = CommandLineOptions
        let formatText = options[Option.format] ?? ""
        guard let format = OutputFormat(rawValue: formatText) else {
            throw UsageError("invalid --format '\(formatText)': expected \(Self.choices(OutputFormat.allCases.map(\.rawValue)))")
        }
        self.format = format
        machine = try Self.machine(options)
        let noHistory = options.contains(Option.noHistory)
        let historyFile = options[Option.historyFile]
        if noHistory && historyFile != nil {
            throw UsageError("--history-file and --no-history cannot be used together")
        }
        if let path = historyFile, path.isEmpty { throw UsageError("--history-file needs a path") }
        self.historyFile = noHistory ? nil : historyFile
        usesDefaultHistory = !noHistory && historyFile == nil
        stopOnError = options.contains(Option.stopOnError)
        remote = try RemoteSettings.parse(options)
        dryRun = options.contains(Option.dryRun)
        if let path = options[Option.logEvents] {
            guard !path.isEmpty else { throw UsageError("--log-events needs a file name") }
            logEvents = path
        }
        let historyText = options[Option.eventHistory] ?? ""
        guard let history = Int(historyText), history >= 1, history <= 1_000_000 else {
            throw UsageError("invalid --event-history '\(historyText)': expected a count from 1 to 1000000")
        }
        eventHistory = history

        for text in options.values(Option.qmp) {
            do {
                qmp.append(try QMPAddress.parse(text))
            } catch {
                throw UsageError("invalid --qmp '\(text)': \(error.description)")
            }
        }
        noConsole = options.contains(Option.noConsole)
        if noConsole && qmp.isEmpty {
            throw UsageError("--no-console needs --qmp ADDRESS: without a console or a socket nothing could reach the VM")
        }

        let line = options.line
        let commands = options.values(Option.command)
        if options.contains(Option.version) {
            mode = .version
        } else if options.contains(Option.generateManPage) {
            mode = .manPage
        } else if let shell = options[Option.generateCompletionScript] {
            guard let shell = CompletionScripts.Shell(rawValue: shell) else {
                throw UsageError(
                    "invalid --generate-completion-script '\(shell)': expected \(Self.choices(CompletionScripts.Shell.allCases.map(\.rawValue)))"
                )
            }
            mode = .completionScript(shell)
        } else if options.contains(Option.complete) {
            mode = .complete(words: line)
        } else if !commands.isEmpty {
            guard line.isEmpty else {
                throw UsageError("a command line after the options cannot be combined with -c; put it in the -c text")
            }
            mode = .script(commands.joined(separator: "\n"))
        } else if !line.isEmpty {
            mode = .oneShot(line)
        } else {
            mode = .standardInput
        }
        // The shells pass the line being typed: its --connect options name the VMs that
        // `@d<TAB>` and `use <TAB>` complete against, as when they are given to hmp itself.
        if case .complete(let words) = mode, remote == nil { remote = Self.remoteSettings(inTypedLine: words) }
        // Its machine options (--disk, --no-disks, --machine) make the devices that
        // `block_resize <TAB>` offers.
        if case .complete(let words) = mode, let typed = Self.machineSettings(inTypedLine: words) { machine = typed }
        switch mode {
        case .script where noConsole, .oneShot where noConsole:
            throw UsageError("--no-console cannot be combined with -c or a command line: it serves QMP only")
        default:
            break
        }
    }

    private static func machine(_ options: RawOptions) throws(UsageError) -> MachineSettings {
        typealias Option = CommandLineOptions
        let clockText = options[Option.clock] ?? ""
        guard let clock = MachineSettings.Clock(rawValue: clockText) else {
            throw UsageError("invalid --clock '\(clockText)': expected real or virtual")
        }
        let ram = options[Option.ram] ?? ""
        let ramBytes: UInt64
        do {
            ramBytes = try SizeParser.parse(ram, as: .mebibytes).bytes
        } catch {
            throw UsageError("invalid --ram '\(ram)': expected a size such as 512M or 4G (K M G T suffixes; no suffix means MiB)")
        }
        guard ramBytes >= 1 << 20 else {
            throw UsageError("invalid --ram '\(ram)': expected at least 1M")
        }
        let vcpusText = options[Option.vcpus] ?? ""
        guard let vcpus = Int(vcpusText), (1...1024).contains(vcpus) else {
            throw UsageError("invalid --vcpus '\(vcpusText)': expected a whole number from 1 to 1024")
        }
        let rateText = options[Option.dirtyRate] ?? ""
        guard let rate = UInt64(rateText) else {
            throw UsageError("invalid --dirty-rate '\(rateText)': expected a whole number of pages per second, 0 or more")
        }
        let zeroText = options[Option.zeroPages] ?? ""
        guard let zero = Int(zeroText), (0...100).contains(zero) else {
            throw UsageError("invalid --zero-pages '\(zeroText)': expected a percentage, a whole number from 0 to 100")
        }
        let name = options[Option.name]
        if let name, name.isEmpty { throw UsageError("--name needs a name") }
        let incoming = options[Option.incoming]
        if let incoming, incoming.isEmpty {
            throw UsageError("--incoming needs a URI such as tcp:0:4444, unix:PATH or defer")
        }
        let machineText = options[Option.machine] ?? ""
        let types = Option.machine.values
        guard types.contains(machineText) else {
            throw UsageError("invalid --machine '\(machineText)': expected \(choices(types))")
        }
        let ringText = options[Option.dirtyRing] ?? ""
        // kvm_dirty_ring_init(): a power of two within [1024, 65536] (QEMU also caps it by the
        // host's KVM_CAP_DIRTY_LOG_RING maximum), or 0 for none.
        guard let ring = UInt32(ringText), ring == 0 || ((1024...65536).contains(ring) && ring & (ring - 1) == 0) else {
            throw UsageError("invalid --dirty-ring '\(ringText)': expected 0 or a power of two from 1024 to 65536")
        }
        if options.contains(Option.noDisks) && !options.values(Option.disk).isEmpty {
            throw UsageError("--no-disks and --disk contradict each other; give one of them")
        }
        var settings = MachineSettings(
            clock: clock, ramBytes: ramBytes, vcpus: vcpus, dirtyPagesPerSecond: rate, zeroPagePercent: zero,
            disks: options.values(Option.disk), name: name, incoming: incoming, allowExec: options.contains(Option.allowExec),
            machineNone: machineText == "none")
        settings.paused = options.contains(Option.paused)
        settings.noDisks = options.contains(Option.noDisks)
        settings.dirtyRingSize = ring
        settings.replication = !options.contains(Option.noReplication)
        return settings
    }

    static func choices(_ values: [String]) -> String {
        guard values.count > 1 else { return values.first ?? "" }
        return values.dropLast().joined(separator: ", ") + " or " + values.last!
    }

    /// The message for an option nobody declared, with the nearest real one.
    static func unknownOption(_ option: String) -> String {
        let name = String(option.split(separator: "=", maxSplits: 1).first ?? "")
        let known = CommandLineOptions.all.filter { !$0.hidden }.map { "--" + $0.long }
        let nearest = known.min { distance($0, name) < distance($1, name) }
        if let nearest, distance(nearest, name) <= max(2, name.count / 3) {
            return "unknown option '\(name)'; did you mean \(nearest)? (see hmp --help)"
        }
        return "unknown option '\(name)'; see hmp --help for the options"
    }

    /// Levenshtein distance, for suggestions.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}

extension Settings.Mode {
    /// `--complete`: asks for candidates only, never serves.
    var isCompletion: Bool {
        if case .complete = self { return true }
        return false
    }
}
