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
}

/// The one completion engine: the REPL's TAB and the shells' completion scripts
/// (through `hmp --complete`) both ask it. It reads the command table for commands and
/// argument kinds, the schema for capability, parameter and enum names, and the backend
/// for devices, nodes, jobs and snapshots.
public struct HMPCompleter {
    public let session: HMPSession

    public init(session: HMPSession) { self.session = session }

    /// Completes the last word of `lineBeforeCursor`.
    public func complete(_ lineBeforeCursor: String) -> CompletionResult {
        let (tokens, lastStart) = Self.tokenize(lineBeforeCursor)
        let word = tokens.last ?? ""
        let (candidates, hint) = candidatesFor(tokens: tokens, table: session.table)
        let filtered = Array(Set(candidates.filter { $0.hasPrefix(word) })).sorted()
        return CompletionResult(wordStart: lastStart, word: word, candidates: filtered, hint: filtered.isEmpty ? hint : nil)
    }

    /// Words of the line (double quotes group), with an empty last word when the line ends in a
    /// blank; also where the last word starts.
    static func tokenize(_ line: String) -> (tokens: [String], lastStart: Int) {
        var tokens: [String] = []
        var current = ""
        var inWord = false
        var inQuotes = false
        var start = 0
        var lastStart = 0
        for (offset, byte) in line.utf8.enumerated() {
            let ch = Character(Unicode.Scalar(byte))
            if inQuotes {
                if ch == "\"" { inQuotes = false } else { current.append(ch) }
                continue
            }
            if ch == " " || ch == "\t" {
                if inWord {
                    tokens.append(current)
                    current = ""
                    inWord = false
                }
                continue
            }
            if !inWord {
                inWord = true
                start = offset
            }
            if ch == "\"" { inQuotes = true } else { current.append(ch) }
        }
        // Rebuild the last word from UTF-8 so multi-byte characters survive.
        if inWord {
            tokens.append(String(decoding: Array(line.utf8)[start...], as: UTF8.self).replacingQuotes)
            lastStart = start
        } else {
            tokens.append("")
            lastStart = line.utf8.count
        }
        return (tokens, lastStart)
    }

    private func candidatesFor(tokens: [String], table: CommandTable) -> ([String], String?) {
        guard tokens.count > 1 else { return (table.allNames, nil) }
        guard let command = table.command(named: tokens[0]) else { return ([], nil) }
        if command.name == "info" {
            if tokens.count == 2 { return (table.infoCommands.flatMap { [$0.name] + $0.aliases }, nil) }
            guard let sub = table.infoCommand(named: tokens[1]) else { return ([], nil) }
            return argumentCandidates(command: sub, words: Array(tokens.dropFirst(2)))
        }
        if command.name == "help" {
            return candidatesFor(tokens: Array(tokens.dropFirst()), table: table)
        }
        return argumentCandidates(command: command, words: Array(tokens.dropFirst()))
    }

    /// `words` are the words after the command name; the last one is being completed.
    private func argumentCandidates(command: HMPCommand, words: [String]) -> ([String], String?) {
        let current = words.last ?? ""
        var positional: [String] = []
        var usedFlags: Set<Character> = []
        var expectFlagValue = false
        for w in words.dropLast() {
            if expectFlagValue {
                expectFlagValue = false
                continue
            }
            if w.count == 2, w.hasPrefix("-"), let letter = w.last, let flag = command.flags.first(where: { $0.letter == letter }) {
                usedFlags.insert(letter)
                expectFlagValue = flag.valueKind != nil
                continue
            }
            positional.append(w)
        }
        if expectFlagValue { return ([], nil) }
        if current.hasPrefix("-"), !command.flags.isEmpty {
            return (command.flags.filter { !usedFlags.contains($0.letter) }.map { "-\($0.letter)" }, nil)
        }
        guard positional.count < command.arguments.count else { return ([], nil) }
        let argument = command.arguments[positional.count]
        return candidates(for: argument, previous: positional.last)
    }

    private func candidates(for argument: HMPArgument, previous: String?) -> ([String], String?) {
        switch argument.completion {
        case .none:
            return ([], argument.kind.unitNote.map { "\(argument.name): \($0)" } ?? "\(argument.name): \(argument.help)")
        case .commandLine, .commandName:
            if argument.name == "command" { return (QAPISchema.commands.map(\.name), nil) }
            return (session.table.infoCommands.map(\.name), nil)
        case .capability: return (MigrationCapability.wireNames, nil)
        case .parameter: return (MigrationParameter.wireNames, nil)
        case .parameterValue: return parameterValue(previous ?? "")
        case .onOff: return (["on", "off"], nil)
        case .blockDevice: return (blockDevices(), nil)
        case .blockNode: return (blockNodes(), nil)
        case .blockDeviceOrNode: return (blockDevices() + blockNodes(), nil)
        case .jobID: return (jobIDs(), nil)
        case .snapshotTag: return (snapshotTags(), nil)
        case .migrationURI: return (["tcp:", "unix:", "file:", "exec:", "rdma:", "vsock:", "fd:"], "URI: tcp:HOST:PORT, unix:PATH, file:PATH, ...")
        case .migrationStatus: return (MigrationStatus.wireNames, nil)
        case .filename: return ([], "a file name")
        case .values(let values): return (values, nil)
        }
    }

    // MARK: Parameter values, from the schema

    /// Values for `migrate_set_parameter NAME <TAB>`: enum values and on/off straight from the
    /// type of the member in MigrationParameters; for numbers, a hint with the unit.
    func parameterValue(_ parameter: String) -> ([String], String?) {
        guard let type = SchemaLookup.memberType(of: "MigrationParameters", member: parameter) else { return ([], nil) }
        if let values = SchemaLookup.enumValues(type) { return (values, nil) }
        switch type {
        case "bool": return (["on", "off"], nil)
        case "str", "StrOrNull": return ([], "\(parameter): a string; \"\" for none")
        default: return ([], ParameterUnits.hint(for: parameter))
        }
    }

    // MARK: Names the backend knows

    private func blockDevices() -> [String] {
        let blocks = (try? session.backend.execute(QueryBlockCommand.self, QAPIEmpty())) ?? []
        return blocks.map(\.device).filter { !$0.isEmpty }
    }

    private func blockNodes() -> [String] {
        let nodes = (try? session.backend.execute(QueryNamedBlockNodesCommand.self, QueryNamedBlockNodesArguments())) ?? []
        return nodes.compactMap(\.nodeName)
    }

    private func jobIDs() -> [String] {
        let jobs = (try? session.backend.execute(QueryBlockJobsCommand.self, QAPIEmpty())) ?? []
        return jobs.map(\.device)
    }

    private func snapshotTags() -> [String] {
        let nodes = (try? session.backend.execute(QueryNamedBlockNodesCommand.self, QueryNamedBlockNodesArguments())) ?? []
        return nodes.flatMap { node in (node.image.snapshots ?? []).flatMap { [$0.name, $0.id] } }
    }
}

/// Units of `migrate_set_parameter` values, for completion hints and confirmations.
public enum ParameterUnits {
    public static func hint(for parameter: String) -> String {
        switch parameter {
        case "max-bandwidth", "avail-switchover-bandwidth": "\(parameter): bytes/s; K M G T suffixes; no suffix means MiB/s"
        case "max-postcopy-bandwidth": "\(parameter): bytes/s; K M G T suffixes; no suffix means bytes/s"
        case "xbzrle-cache-size": "\(parameter): bytes; a power of two; K M G suffixes"
        case "downtime-limit", "announce-initial", "announce-max", "announce-step", "x-checkpoint-delay",
            "x-vcpu-dirty-limit-period":
            "\(parameter): milliseconds"
        case "vcpu-dirty-limit": "\(parameter): MB/s"
        case "throttle-trigger-threshold", "cpu-throttle-initial", "cpu-throttle-increment", "max-cpu-throttle":
            "\(parameter): percent"
        default: "\(parameter): a number"
        }
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

extension String {
    fileprivate var replacingQuotes: String { String(filter { $0 != "\"" }) }
}
