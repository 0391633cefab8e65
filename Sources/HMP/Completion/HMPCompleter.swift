import Backend
import QAPI

/// What TAB can offer for the word under the cursor.
public struct CompletionResult: Sendable, Equatable {
    /// Byte offset in the line where the word being completed starts.
    public var wordStart: Int
    /// The word typed so far.
    public var word: String
    /// Full replacement words that start with `word`, sorted, without duplicates.
    public var candidates: [String]
    /// Advice to show instead of candidates when none can be listed (e.g. the unit of a size).
    public var hint: String?

    public init(wordStart: Int, word: String, candidates: [String], hint: String? = nil) {
        self.wordStart = wordStart
        self.word = word
        self.candidates = candidates
        self.hint = hint
    }

    /// True when a candidate is only the start of a word (`tcp:`, `images/`), so no space
    /// should follow it once inserted.
    public static func isPartial(_ candidate: String) -> Bool {
        candidate.hasSuffix("/") || candidate.hasSuffix(":") || candidate.hasSuffix("=")
    }
}

/// The one completion engine: the REPL's TAB and the shells' completion scripts
/// (through `hmp --complete`) both ask it. It reads the command table for commands, flags and
/// argument kinds, the schema for capability, parameter and enum names, and the backend for
/// devices, nodes, jobs and snapshots. Beyond QEMU it completes parameter values, node names,
/// migration URIs and file names.
public struct HMPCompleter {
    public let session: HMPSession

    public init(session: HMPSession) { self.session = session }

    /// Completes the last word of `lineBeforeCursor`.
    public func complete(_ lineBeforeCursor: String) -> CompletionResult {
        // Only the last command of `a; b` is being typed.
        let bytes = Array(lineBeforeCursor.utf8)
        let commandStart = CommandSplitter.lastCommandStart(bytes)
        let words = Self.words(bytes, from: commandStart)
        let current = words.last ?? Word(text: "", start: bytes.count)
        let (candidates, hint) = lineCandidates(words.map(\.text))
        let filtered = Array(Set(candidates.filter { $0.hasPrefix(current.text) })).sorted()
        return CompletionResult(
            wordStart: current.start, word: current.text, candidates: filtered, hint: filtered.isEmpty ? hint : nil)
    }

    // MARK: Words

    struct Word: Equatable {
        /// The word with quotes and escapes resolved.
        var text: String
        /// Byte offset of its first byte (the opening quote, if quoted) in the whole line.
        var start: Int
    }

    /// The words of a command, read by the HMP word rules (`HMPWords`) but leniently, as the
    /// line is still being typed. When the line ends in a blank, an empty last word is the one
    /// being completed.
    static func words(_ bytes: [UInt8], from start: Int = 0) -> [Word] {
        var words: [Word] = []
        var i = start
        while true {
            while i < bytes.count, isHMPBlank(bytes[i]) { i += 1 }
            guard i < bytes.count else {
                words.append(Word(text: "", start: bytes.count))
                return words
            }
            let wordStart = i
            let text: [UInt8]
            if bytes[i] == UInt8(ascii: "\"") {
                let quoted = HMPWords.readQuoted(bytes, from: i)
                text = quoted.text
                i = quoted.end
            } else {
                i = HMPWords.unquotedEnd(bytes, from: i)
                text = Array(bytes[wordStart..<i])
            }
            words.append(Word(text: String(decoding: text, as: UTF8.self), start: wordStart))
            if i >= bytes.count { return words }
        }
    }

    // MARK: Commands and arguments

    /// `words` is a whole command; the last one is being completed.
    private func lineCandidates(_ words: [String]) -> ([String], String?) {
        let table = session.table
        guard words.count > 1 else { return (table.allNames, nil) }
        guard let command = table.command(named: words[0]) else { return ([], nil) }
        if let subTable = command.subTable {
            if words.count == 2 { return (subTable.flatMap { [$0.name] + $0.aliases }, nil) }
            guard let sub = command.subcommand(named: words[1]) else { return ([], nil) }
            return argumentCandidates(command: sub, words: Array(words.dropFirst(2)))
        }
        return argumentCandidates(command: command, words: Array(words.dropFirst()))
    }

    /// `words` are the words after the command name; the last one is being completed.
    private func argumentCandidates(command: HMPCommand, words: [String]) -> ([String], String?) {
        let current = words.last ?? ""
        var positional: [String] = []
        var usedFlags: Set<Character> = []
        var flagsEnded = false
        var pendingFlag: HMPFlag?
        for w in words.dropLast() {
            if pendingFlag != nil {
                pendingFlag = nil
                continue
            }
            // The parser's rule: `-x` standing alone is a flag, `--` ends them; `-5` is a value.
            if !flagsEnded, !restStarted(command, positional.count) {
                if w == "--" {
                    flagsEnded = true
                    continue
                }
                if w.count == 2, w.hasPrefix("-"), let letter = w.last, let flag = command.flags.first(where: { $0.letter == letter }) {
                    usedFlags.insert(letter)
                    if flag.valueKind != nil { pendingFlag = flag }
                    continue
                }
                if w.hasPrefix("--"), let flag = command.flags.first(where: { "--" + $0.name == w }) {
                    usedFlags.insert(flag.letter)
                    if flag.valueKind != nil { pendingFlag = flag }
                    continue
                }
            }
            positional.append(w)
        }
        if let flag = pendingFlag, let kind = flag.valueKind {
            return candidates(
                for: HMPArgument(flag.name, kind, completion: flag.completion, help: flag.help), previous: nil, current: current)
        }
        // Inside a rest-of-line argument every later word belongs to it.
        if let restIndex = command.arguments.indices.first(where: { isRest(command.arguments[$0]) && $0 < positional.count }) {
            let argument = command.arguments[restIndex]
            if argument.completion == .commandLine { return lineCandidates(Array(positional[restIndex...]) + [current]) }
            if case .keywords(let following) = argument.completion {
                let typed = Array(positional[restIndex...])
                guard let completions = following[typed[0]], typed.count - 1 < completions.count else { return ([], hintText(argument)) }
                let word = HMPArgument(argument.name, .string, completion: completions[typed.count - 1], help: argument.help)
                return candidates(for: word, previous: typed.last, current: current)
            }
            return ([], hintText(argument))
        }
        if !flagsEnded, current.hasPrefix("-"), current.count <= 2, !command.flags.isEmpty {
            let flags = command.flags.filter { !usedFlags.contains($0.letter) }.map { "-\($0.letter)" }
            if !flags.isEmpty { return (flags, nil) }
        }
        guard positional.count < command.arguments.count else { return ([], nil) }
        return candidates(for: command.arguments[positional.count], previous: positional.last, current: current)
    }

    private func isRest(_ argument: HMPArgument) -> Bool {
        switch argument.kind {
        case .rest, .jsonObject: true
        default: false
        }
    }

    private func restStarted(_ command: HMPCommand, _ positionalCount: Int) -> Bool {
        command.arguments.prefix(positionalCount).contains { isRest($0) }
    }

    private func hintText(_ argument: HMPArgument) -> String {
        "\(argument.name): " + (argument.kind.unitNote ?? argument.help)
    }

    private func candidates(for argument: HMPArgument, previous: String?, current: String) -> ([String], String?) {
        switch effectiveCompletion(argument) {
        case .none: return ([], hintText(argument))
        case .commandLine: return (session.table.allNames, nil)
        case .commandName: return (QAPISchema.commands.map(\.name), nil)
        case .capability:
            return (remoteOnly(MigrationCapability.wireNames, "migrate-set-capabilities", ["capabilities", "capability"]), nil)
        case .parameter: return (remoteOnly(MigrationParameter.wireNames, "migrate-set-parameters", []), nil)
        case .parameterValue: return remoteValues(parameterValue(previous ?? ""), parameter: previous ?? "")
        case .onOff: return (["on", "off"], nil)
        case .blockDevice: return (blockDevices(), hintText(argument))
        case .blockNode: return (blockNodes(), hintText(argument))
        case .blockDeviceOrNode: return (blockDevices() + blockNodes(), hintText(argument))
        case .blockDeviceFor(let need, let nodesToo):
            let blocks = (try? session.backend.execute(QueryBlockCommand.self, QAPIEmpty())) ?? []
            var names = blocks.filter { Self.meets($0, need) }.map(\.device).filter { !$0.isEmpty }
            if nodesToo {
                let nodes = (try? session.backend.execute(QueryNamedBlockNodesCommand.self, QueryNamedBlockNodesArguments())) ?? []
                names += nodes.filter { need != .writableMedium || !$0.ro }.compactMap(\.nodeName).filter { !$0.isEmpty }
            }
            return (names, hintText(argument))
        case .jobID: return (jobIDs(), hintText(argument))
        case .snapshotTag: return (snapshotTags(), hintText(argument))
        case .migrationURI: return MigrationURICompleter().candidates(current)
        case .migrationStatus: return (MigrationStatus.wireNames, nil)
        case .eventName: return (QAPISchema.events.map(\.name), nil)
        case .keywords(let following): return (Array(following.keys), nil)
        case .filename: return (FileNameCompleter().candidates(current), hintText(argument))
        case .values(let values): return (values, nil)
        case .vmName:
            guard let group = session.backend as? any VMSelecting else {
                return ([], "\(argument.name): no VMs; start hmp with --connect NAME=ADDRESS")
            }
            return (group.vmNames, nil)
        }
    }

    /// The row's completion, or the one its kind implies (as QEMU completes `F`, `B` and `b`).
    private func effectiveCompletion(_ argument: HMPArgument) -> HMPCompletion {
        guard argument.completion == .none else { return argument.completion }
        switch argument.kind {
        case .filename: return .filename
        case .blockDevice: return .blockDevice
        case .onOff: return .onOff
        default: return .none
        }
    }

    // MARK: Parameter values, from the schema

    /// Values for `migrate_set_parameter NAME <TAB>`: enum values and on/off straight from the
    /// type of the member in MigrationParameters; for numbers and strings, a hint with the unit.
    func parameterValue(_ parameter: String) -> ([String], String?) {
        guard let type = SchemaLookup.memberType(of: "MigrationParameters", member: parameter) else {
            return ([], "value: give a parameter name first")
        }
        if let values = SchemaLookup.enumValues(type) { return (values, nil) }
        if type == "bool" { return (["on", "off"], nil) }
        return ([], MigrationParameterDescriptor.named(parameter).map { "\($0.name): \($0.valueHint)" })
    }

    // MARK: Names the backend knows

    private func blockDevices() -> [String] {
        let blocks = (try? session.backend.execute(QueryBlockCommand.self, QAPIEmpty())) ?? []
        return blocks.map(\.device).filter { !$0.isEmpty }
    }

    /// Whether a backend can take a command that needs `need`.
    static func meets(_ block: BlockInfo, _ need: BlockDeviceNeed) -> Bool {
        switch need {
        case .medium: block.inserted != nil
        case .writableMedium: block.inserted.map { !$0.ro } ?? false
        case .removable: block.removable
        }
    }

    private func blockNodes() -> [String] {
        let nodes = (try? session.backend.execute(QueryNamedBlockNodesCommand.self, QueryNamedBlockNodesArguments())) ?? []
        return nodes.compactMap(\.nodeName).filter { !$0.isEmpty }
    }

    private func jobIDs() -> [String] {
        let jobs = (try? session.backend.execute(QueryBlockJobsCommand.self, QAPIEmpty())) ?? []
        return jobs.map(\.device)
    }

    private func snapshotTags() -> [String] {
        let nodes = (try? session.backend.execute(QueryNamedBlockNodesCommand.self, QueryNamedBlockNodesArguments())) ?? []
        return nodes.flatMap { node in (node.image.snapshots ?? []).flatMap { [$0.name, $0.id] } }.filter { !$0.isEmpty }
    }
}

/// Reads type facts from the schema's introspection data.
enum SchemaLookup {
    private static let byName: [String: JSONObject] = {
        var table: [String: JSONObject] = [:]
        for entry in QAPISchema.introspection.arrayValue ?? [] {
            if let o = entry.objectValue, let name = o["name"]?.stringValue { table[name] = o }
        }
        return table
    }()

    static func memberType(of structName: String, member: String) -> String? {
        for m in byName[structName]?["members"]?.arrayValue ?? [] where m["name"]?.stringValue == member {
            return m["type"]?.stringValue
        }
        return nil
    }

    static func enumValues(_ typeName: String) -> [String]? {
        guard let info = byName[typeName], info["meta-type"]?.stringValue == "enum" else { return nil }
        return info["values"]?.arrayValue?.compactMap(\.stringValue)
    }
}
