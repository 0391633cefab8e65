/// One command-line option of `hmp`. A spec is the option's only declaration: the executable's
/// parser and --help, the shell completion scripts and the man page all read the list below,
/// so adding an option is one entry in `CommandLineOptions` (and reading its value where it
/// is used).
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
    /// The value when the option is not given; --help and the man page show it. The only
    /// place a default is written.
    public var defaultValue: String?
    public var repeatable: Bool
    /// Left out of --help and the man page (internal entry points).
    public var hidden: Bool

    public enum ValueCompletion: Sendable {
        case none, file, shell
        /// A migration URI (`tcp:`, `unix:`, `file:`, `exec:`), plus these words.
        case migrationURI(extras: [String])
        /// A line of HMP commands: its last word is completed as the console would.
        case commandLine
    }

    /// Takes no value.
    public var isFlag: Bool { valueName == nil }

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
        help: "Run these command lines (separated by ';' or newlines) and exit.", completion: .commandLine, repeatable: true)
    public static let format = OptionSpec(
        "format", value: "FORMAT",
        help: "How results are printed: table (aligned, with units), qemu (QEMU's HMP text) or json (QMP replies).",
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
        "incoming", value: "URI", help: "Start as a migration destination listening on URI (or 'defer').",
        completion: .migrationURI(extras: ["defer"]))
    public static let allowExec = OptionSpec(
        "allow-exec",
        help:
            "Accept exec: migration URIs (refused by default): on the real clock the command runs with the stream on its standard input (migrate) or output (incoming); on the virtual clock the pipe is simulated and no command runs."
    )
    public static let machine = OptionSpec(
        "machine", value: "TYPE",
        help:
            "model: the simulated VM with RAM and disks; none: like QEMU's -M none (no RAM, no disks), whose migration streams real QEMU loads.",
        values: ["model", "none"], default: "model")
    public static let paused = OptionSpec(
        "paused", short: "S", help: "Start the VM paused (status prelaunch), as QEMU's -S; cont starts it.")
    public static let noDisks = OptionSpec("no-disks", help: "Start with no block devices (instead of the default disks).")
    public static let dirtyRing = OptionSpec(
        "dirty-ring", value: "ENTRIES",
        help:
            "The host's KVM dirty-ring-size in entries, a power of two from 1024 to 65536; 0 means no dirty ring (no dirty limits, no dirty-ring rate measurement).",
        default: "0")
    public static let noReplication = OptionSpec(
        "no-replication", help: "Model a QEMU built without replication, which refuses the x-colo capability.")
    public static let qmp = OptionSpec(
        "qmp", value: "ADDRESS",
        help:
            "Also serve the VM to QMP clients on ADDRESS: unix:PATH or tcp:[HOST]:PORT (an empty HOST is loopback), QEMU's -qmp spelling (,server=on,wait=off accepted); repeatable.",
        repeatable: true)
    public static let noConsole = OptionSpec(
        "no-console", help: "With --qmp: no console; serve until a client sends quit, or SIGINT or SIGTERM, then remove the socket.")
    public static let historyFile = OptionSpec(
        "history-file", value: "PATH", help: "Where the REPL keeps its history (default: $XDG_STATE_HOME/hmp/history).",
        completion: .file)
    public static let noHistory = OptionSpec("no-history", help: "Neither read nor write a history file.")
    public static let stopOnError = OptionSpec("stop-on-error", help: "In a batch, stop at the first line that fails.")
    public static let dryRun = OptionSpec(
        "dry-run", help: "Print the QMP requests each command line maps to (as explain does) instead of running it.")
    public static let logEvents = OptionSpec(
        "log-events", value: "FILE", help: "Append every event to FILE as a JSON line (a QMP event, with caused-by) as it arrives.",
        completion: .file)
    public static let eventHistory = OptionSpec(
        "event-history", value: "N", help: "How many events the console keeps for info events.", default: "1000")
    public static let version = OptionSpec("version", help: "Print the version and exit.")
    public static let connect = OptionSpec(
        "connect", value: "[NAME=]ADDRESS",
        help:
            "Drive a running QEMU over QMP instead of the model: unix:PATH or tcp:HOST:PORT (repeatable; NAME=... names each VM for @NAME and use).",
        repeatable: true)
    public static let timeout = OptionSpec(
        "timeout", value: "SECONDS", help: "How long to wait for a QEMU's reply to a command before reporting its outcome as unknown.",
        default: "30")
    public static let reconnect = OptionSpec(
        "reconnect", help: "Reconnect by itself when a QEMU goes away, and say what changed meanwhile.")
    public static let log = OptionSpec(
        "log", value: "FILE", help: "Append every QMP message sent and received to FILE, with the time and the VM's name.",
        completion: .file)
    public static let help = OptionSpec("help", short: "h", help: "Show help information.")
    public static let complete = OptionSpec(
        "complete", help: "Print completion candidates for the words after --, one per line (for shell scripts).", hidden: true)
    public static let generateCompletionScript = OptionSpec(
        "generate-completion-script", value: "SHELL", help: "Print the completion script for bash, zsh or fish.",
        values: ["bash", "zsh", "fish"], hidden: true)
    public static let generateManPage = OptionSpec("generate-man-page", help: "Print the man page (mdoc).", hidden: true)

    /// Every option, in the order --help lists them (swift-argument-parser's habit, kept:
    /// --help itself comes last there). A new option goes into this list and nowhere else.
    public static let all: [OptionSpec] = [
        command, format, clock, ram, vcpus, dirtyRate, zeroPages, disk, name, incoming, allowExec, machine, paused, noDisks,
        dirtyRing, noReplication, qmp, noConsole, historyFile, noHistory, stopOnError, dryRun, logEvents, eventHistory, connect,
        timeout, reconnect, log, version, help, complete, generateCompletionScript, generateManPage,
    ]
}

extension CommandLineOptions {
    /// The option a command-line word names, and the value it carries: `--ram=1G` (value
    /// after `=`), `--ram`, `-c`, `-cLINES` (value joined to the short name). nil when the
    /// word names no option. The parser of the executable and shell completion both read
    /// words with this, so they agree on what is an option.
    public static func option(named word: String, in options: [OptionSpec] = all) -> (spec: OptionSpec, attached: String?)? {
        if word.hasPrefix("--") {
            let body = word.dropFirst(2)
            if let equals = body.firstIndex(of: "=") {
                let name = body[..<equals]
                guard let spec = options.first(where: { $0.long == name }) else { return nil }
                return (spec, String(body[body.index(after: equals)...]))
            }
            guard let spec = options.first(where: { $0.long == body }) else { return nil }
            return (spec, nil)
        }
        guard word.hasPrefix("-"), word.count >= 2 else { return nil }
        let letter = word[word.index(after: word.startIndex)]
        guard let spec = options.first(where: { $0.short == letter }) else { return nil }
        var rest = word.dropFirst(2)
        if rest.isEmpty { return (spec, nil) }
        // `-c=LINES` reads like `--command=LINES`.
        if rest.first == "=" { rest = rest.dropFirst() }
        return (spec, String(rest))
    }
}
