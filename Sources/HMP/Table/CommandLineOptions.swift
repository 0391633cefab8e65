/// One command-line option of `hmp`. The executable declares its options from these specs,
/// and the shell completion scripts and the man page read them, so the three cannot drift.
public struct OptionSpec: Sendable {
    public var long: String
    public var short: Character?
    /// Placeholder for the value (`SIZE`); nil for a flag.
    public var valueName: String?
    public var help: String
    /// Fixed choices, offered by completion and listed in the man page.
    public var values: [String]
    /// What the shell should complete for the value when there are no fixed choices.
    public var valueCompletion: ValueCompletion
    public var defaultValue: String?
    public var repeatable: Bool
    /// Left out of --help and the man page (internal entry points).
    public var hidden: Bool

    public enum ValueCompletion: Sendable { case none, file, shell }

    public init(
        _ long: String, short: Character? = nil, value: String? = nil, help: String, values: [String] = [],
        completion: ValueCompletion = .none, default defaultValue: String? = nil, repeatable: Bool = false, hidden: Bool = false
    ) {
        self.long = long
        self.short = short
        self.valueName = value
        self.help = help
        self.values = values
        self.valueCompletion = completion
        self.defaultValue = defaultValue
        self.repeatable = repeatable
        self.hidden = hidden
    }
}

/// The options of `hmp`, in the order --help lists them.
public enum CommandLineOptions {
    public static let command = OptionSpec(
        "command", short: "c", value: "LINES",
        help: "Run these command lines (separated by ';' or newlines) and exit.", repeatable: true)
    public static let format = OptionSpec(
        "format", value: "FORMAT", help: "How results are printed: table (aligned, with units), qemu (QEMU's HMP text) or json (QMP replies).",
        values: OutputFormat.allCases.map(\.rawValue), default: "table")
    public static let clock = OptionSpec(
        "clock", value: "CLOCK", help: "real: the model follows the wall clock; virtual: time moves only with sleep and waits.",
        values: ["real", "virtual"], default: "real")
    public static let ram = OptionSpec("ram", value: "SIZE", help: "Guest RAM size (K M G T suffixes; no suffix means MiB).", default: "4G")
    public static let vcpus = OptionSpec("vcpus", value: "N", help: "Number of guest vCPUs.", default: "2")
    public static let dirtyRate = OptionSpec(
        "dirty-rate", value: "PAGES_PER_SECOND", help: "Pages the guest dirties per second.", default: "0")
    public static let zeroPages = OptionSpec(
        "zero-pages", value: "PERCENT", help: "Share of guest RAM that is zero pages, 0 to 100.", default: "0")
    public static let disk = OptionSpec(
        "disk", value: "SPEC", help: "Add a disk, e.g. virtio2:qcow2:40G or data0:raw:10G:ro (repeatable; replaces the default disks).",
        repeatable: true)
    public static let name = OptionSpec("name", value: "NAME", help: "The VM's name (info name).")
    public static let incoming = OptionSpec(
        "incoming", value: "URI", help: "Start as a migration destination listening on URI (or 'defer').")
    public static let allowExec = OptionSpec(
        "allow-exec", help: "Accept exec: migration URIs (refused by default); the model simulates the pipe and runs no command.")
    public static let machine = OptionSpec(
        "machine", value: "TYPE",
        help: "model: the simulated VM with RAM and disks; none: like QEMU's -M none (no RAM, no disks), whose migration streams real QEMU loads.",
        values: ["model", "none"], default: "model")
    public static let historyFile = OptionSpec(
        "history-file", value: "PATH", help: "Where the REPL keeps its history (default: $XDG_STATE_HOME/hmp/history).",
        completion: .file)
    public static let noHistory = OptionSpec("no-history", help: "Neither read nor write a history file.")
    public static let stopOnError = OptionSpec("stop-on-error", help: "In a batch, stop at the first line that fails.")
    public static let version = OptionSpec("version", help: "Print the version and exit.")
    public static let help = OptionSpec("help", short: "h", help: "Show help information.")
    public static let complete = OptionSpec(
        "complete", help: "Print completion candidates for the words after --, one per line (for shell scripts).", hidden: true)
    public static let generateCompletionScript = OptionSpec(
        "generate-completion-script", value: "SHELL", help: "Print the completion script for bash, zsh or fish.",
        values: ["bash", "zsh", "fish"], hidden: true)
    public static let generateManPage = OptionSpec("generate-man-page", help: "Print the man page (mdoc).", hidden: true)

    public static let all: [OptionSpec] = [
        command, format, clock, ram, vcpus, dirtyRate, zeroPages, disk, name, incoming, allowExec, machine, historyFile, noHistory,
        stopOnError, version, help, complete, generateCompletionScript, generateManPage,
    ]
}
