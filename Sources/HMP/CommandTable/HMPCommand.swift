import QAPI

/// How an argument's text is read (QEMU's `args_type` letters, plus a few of ours).
public enum HMPArgumentKind: Sendable, Hashable {
    /// `s`: one string token (double quotes and escapes allowed).
    case string
    /// `F`: a file name.
    case filename
    /// `B`: a block device name.
    case blockDevice
    /// `S`: the rest of the line. Unlike QEMU, a value in double quotes is unquoted.
    case rest
    /// `i`: integer expression that fits in 32 bits.
    case int32
    /// `l`: integer expression, 64-bit.
    case int64
    /// `l` for a rate in bytes per second: an integer expression, and in the table format also
    /// a size with the units hmp prints (`10M`, `10MiB`, `10MiB/s`).
    case bytesPerSecond
    /// `o` and friends: a size with K/M/G/T/P/E suffixes; the variant gives the default unit.
    case size(SizeParser.Variant)
    /// `T`: a floating-point number with optional ms/us/ns suffix.
    case float
    /// `b`: exactly `on` or `off`.
    case onOff
    /// A duration such as `500ms`, `2s`, `1m` (ours, for `sleep`).
    case duration
    /// The rest of the line as a JSON object (ours, for `qmp`).
    case jsonObject
    /// `/`: an optional `/fmt` (count, format and size letters), as `print /x` takes.
    case displayFormat

    /// What the parser says is expected when the argument is missing or malformed.
    var expectation: String {
        switch self {
        case .filename: "filename expected"
        case .blockDevice: "block device name expected"
        default: "string expected"
        }
    }

    /// Units and default unit, for help and the man page.
    public var unitNote: String? {
        switch self {
        case .size(.mebibytes): "size; K M G T P E suffixes; no suffix means MiB"
        case .size(.bytes): "size; K M G T P E suffixes; no suffix means bytes"
        case .size(.metric): "size; steps of 1000; no suffix means bytes"
        case .bytesPerSecond: "bytes per second; 10M, 10MiB, 10MiB/s in the table format"
        case .duration: "duration: 500ms, 2s, 1m; no suffix means seconds"
        case .onOff: "on or off"
        case .jsonObject: "a JSON object"
        case .displayFormat: "/ then o, d, u, x or c; the last one given stays the default"
        default: nil
        }
    }
}

/// What TAB offers for an argument.
public enum HMPCompletion: Sendable, Hashable {
    case none
    /// A whole command line (the argument of `help`).
    case commandLine
    case capability
    case parameter
    /// The value of the parameter named by the previous argument.
    case parameterValue
    case onOff
    case blockDevice
    /// The block devices a command can act on (and with `nodesToo` the nodes), not every one.
    case blockDeviceFor(BlockDeviceNeed, nodesToo: Bool = false)
    case blockNode
    case blockDeviceOrNode
    case jobID
    case snapshotTag
    case migrationURI
    case migrationStatus
    /// The events the schema declares.
    case eventName
    case filename
    case commandName
    /// The names of the VMs given with `--connect`.
    case vmName
    case values([String])
    /// A rest-of-line argument that starts with a keyword (the keys); each later word
    /// completes as the keyword's list says, in order (`wait migration STATUS`).
    case keywords([String: [HMPCompletion]])
}

/// What a command needs of a block device, for completion to offer only those that can take it.
public enum BlockDeviceNeed: Sendable, Hashable {
    /// A medium is inserted (QEMU refuses the others: "Device '...' has no medium").
    case medium
    /// A medium that is not read-only; for nodes, a node that is not read-only (block_resize).
    case writableMedium
    /// A removable drive (CD-ROM, floppy), with or without a medium (eject, change).
    case removable
}

/// A positional argument of a command.
public struct HMPArgument: Sendable {
    public var name: String
    public var kind: HMPArgumentKind
    public var optional: Bool
    public var completion: HMPCompletion
    /// One line for help and the man page.
    public var help: String
    /// Optional to the parser, as QEMU's args_type marks it, but the command refuses to run
    /// without it (snapshot_blkdev's file): help and the man page show it as required.
    public var requiredByCommand = false
    /// Whether help and the man page show it in brackets.
    public var shownOptional: Bool { optional && !requiredByCommand }

    public init(_ name: String, _ kind: HMPArgumentKind, optional: Bool = false, completion: HMPCompletion = .none, help: String) {
        self.name = name
        self.kind = kind
        self.optional = optional
        self.completion = completion
        self.help = help
    }
}

/// A `-x` flag. Flags may come in any order, before, between or after the positional arguments;
/// `--` ends them.
public struct HMPFlag: Sendable {
    public var letter: Character
    public var name: String
    /// A flag with a value (`-x VALUE`, QEMU's `-xs`).
    public var valueKind: HMPArgumentKind?
    /// What TAB offers for the value.
    public var completion: HMPCompletion
    public var help: String

    public init(_ letter: Character, _ name: String, value: HMPArgumentKind? = nil, completion: HMPCompletion = .none, help: String) {
        self.letter = letter
        self.name = name
        self.valueKind = value
        self.completion = completion
        self.help = help
    }
}

/// Runs a parsed command.
public typealias HMPHandler = @Sendable (HMPInvocation) throws(HMPError) -> HMPOutput

/// One row of the command table: everything parsing, help, completion, shell completion
/// scripts and the man page need to know about a command.
public struct HMPCommand: Sendable {
    public var name: String
    public var aliases: [String]
    public var flags: [HMPFlag]
    public var arguments: [HMPArgument]
    /// The one-line help.
    public var help: String
    /// The QMP command(s) it maps to, or a note when it is local.
    public var qmp: String
    /// A longer explanation for `help CMD` and the man page.
    public var details: String?
    /// Commands that follow this one's name (QEMU's `sub_table`: `info status`), sorted by name.
    /// Its rows are parsed, completed, listed by `help` and documented like top-level ones.
    public var subTable: [HMPCommand]?
    public var handler: HMPHandler

    /// A command without flags or arguments (or one that only names its `info` sub-table);
    /// commands with arguments declare them as a typed value (`HMPArgumentValues`).
    public init(
        _ name: String, aliases: [String] = [], subTable: [HMPCommand]? = nil, help: String, qmp: String, details: String? = nil,
        handler: @escaping HMPHandler
    ) {
        self.name = name
        self.aliases = aliases
        self.flags = []
        self.arguments = []
        self.subTable = subTable?.sorted { $0.name < $1.name }
        self.help = help
        self.qmp = qmp
        self.details = details
        self.handler = handler
    }

    /// `help|?`, as QEMU's help lists names.
    public var displayName: String { ([name] + aliases).joined(separator: "|") }

    /// The usage after the name: `[-d] [-r] uri`.
    public var params: String {
        let flagText = flags.map { f in f.valueKind == nil ? "[-\(f.letter)]" : "[-\(f.letter) \(f.name)]" }
        var argText: [String] = []
        var closing = 0
        for a in arguments {
            if a.shownOptional {
                argText.append("[" + a.name)
                closing += 1
            } else {
                // A required argument after optional ones (`print [/fmt] expr`) closes them.
                if closing > 0 {
                    argText[argText.count - 1] += String(repeating: "]", count: closing)
                    closing = 0
                }
                argText.append(a.name)
            }
        }
        var joined = (flagText + argText).joined(separator: " ")
        joined += String(repeating: "]", count: closing)
        return joined
    }

    public func matches(_ word: String) -> Bool { word == name || aliases.contains(word) }

    /// The row of the sub-table a word names.
    public func subcommand(named word: String) -> HMPCommand? { subTable?.first { $0.matches(word) } }
}
