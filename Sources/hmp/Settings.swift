import HMP

/// A mistake on the command line: one line saying what was wrong and what is accepted.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What the model VM is built from.
struct MachineSettings {
    enum Clock: String { case real, virtual }

    var clock: Clock = .real
    var ramBytes: UInt64 = 4 << 30
    var vcpus: Int = 2
    var dirtyPagesPerSecond: UInt64 = 0
    var zeroPagePercent: Int = 0
    /// `--disk` values as given; empty means the default disks.
    var disks: [String] = []
    var name: String?
    var incoming: String?
    var allowExec = false
    /// `--machine none`: QEMU's `-M none` (no RAM, no disks).
    var machineNone = false
}

/// The checked command line.
struct Settings {
    enum Mode: Equatable {
        case version, manPage, complete(words: [String])
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

    init(_ options: RawOptions) throws(UsageError) {
        guard let format = OutputFormat(rawValue: options.format) else {
            throw UsageError("invalid --format '\(options.format)': expected \(Self.choices(OutputFormat.allCases.map(\.rawValue)))")
        }
        self.format = format
        machine = try Self.machine(options)
        if options.noHistory && options.historyFile != nil {
            throw UsageError("--history-file and --no-history cannot be used together")
        }
        if let path = options.historyFile, path.isEmpty { throw UsageError("--history-file needs a path") }
        historyFile = options.noHistory ? nil : options.historyFile
        usesDefaultHistory = !options.noHistory && options.historyFile == nil
        stopOnError = options.stopOnError

        var line = options.line
        if let first = line.first, first.hasPrefix("-"), first != "--" {
            throw UsageError(Self.unknownOption(first))
        }
        if line.first == "--" { line.removeFirst() }

        if options.version {
            mode = .version
        } else if options.generateManPage {
            mode = .manPage
        } else if options.complete {
            mode = .complete(words: line)
        } else if !options.command.isEmpty {
            guard line.isEmpty else {
                throw UsageError("a command line after the options cannot be combined with -c; put it in the -c text")
            }
            mode = .script(options.command.joined(separator: "\n"))
        } else if !line.isEmpty {
            mode = .oneShot(line)
        } else {
            mode = .standardInput
        }
    }

    private static func machine(_ options: RawOptions) throws(UsageError) -> MachineSettings {
        var machine = MachineSettings()
        guard let clock = MachineSettings.Clock(rawValue: options.clock) else {
            throw UsageError("invalid --clock '\(options.clock)': expected real or virtual")
        }
        machine.clock = clock
        do {
            machine.ramBytes = try SizeParser.parse(options.ram, as: .mebibytes).bytes
        } catch {
            throw UsageError("invalid --ram '\(options.ram)': expected a size such as 512M or 4G (K M G T suffixes; no suffix means MiB)")
        }
        guard machine.ramBytes >= 1 << 20 else {
            throw UsageError("invalid --ram '\(options.ram)': expected at least 1M")
        }
        guard let vcpus = Int(options.vcpus), (1...1024).contains(vcpus) else {
            throw UsageError("invalid --vcpus '\(options.vcpus)': expected a whole number from 1 to 1024")
        }
        machine.vcpus = vcpus
        guard let rate = UInt64(options.dirtyRate) else {
            throw UsageError("invalid --dirty-rate '\(options.dirtyRate)': expected a whole number of pages per second, 0 or more")
        }
        machine.dirtyPagesPerSecond = rate
        guard let zero = Int(options.zeroPages), (0...100).contains(zero) else {
            throw UsageError("invalid --zero-pages '\(options.zeroPages)': expected a percentage, a whole number from 0 to 100")
        }
        machine.zeroPagePercent = zero
        machine.disks = options.disk
        if let name = options.name {
            guard !name.isEmpty else { throw UsageError("--name needs a name") }
            machine.name = name
        }
        if let incoming = options.incoming {
            guard !incoming.isEmpty else { throw UsageError("--incoming needs a URI such as tcp:0:4444, unix:PATH or defer") }
            machine.incoming = incoming
        }
        machine.allowExec = options.allowExec
        let types = CommandLineOptions.machine.values
        guard types.contains(options.machine) else {
            throw UsageError("invalid --machine '\(options.machine)': expected \(choices(types))")
        }
        machine.machineNone = options.machine == "none"
        return machine
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
