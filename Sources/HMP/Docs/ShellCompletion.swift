/// Completion for the operator's shell: `hmp --complete -- WORDS...` prints these candidates,
/// one per line. WORDS are the command-line words after `hmp` up to the cursor; the last one is
/// being completed (empty after a blank). Options of the executable come first, from
/// CommandLineOptions; the first other word starts an HMP command line, which HMPCompleter,
/// the REPL's engine, completes.
public enum ShellCompletion {
    public static func candidates(words: [String], session: HMPSession) -> [String] {
        let words = words.isEmpty ? [""] : words
        let current = words[words.count - 1]
        var used: Set<String> = []
        var index = 0
        while index < words.count - 1 {
            let word = words[index]
            // `--` ends the options; the HMP line follows.
            if word == "--" { return hmpCandidates(Array(words[(index + 1)...]), session: session) }
            guard word.hasPrefix("-"), word.count > 1 else { break }
            guard let (spec, attached) = option(word) else {
                index += 1
                continue
            }
            used.insert(spec.long)
            if spec.valueName != nil, attached == nil {
                if index + 1 == words.count - 1 { return filter(valueCandidates(spec, current, session: session), current) }
                index += 2
            } else {
                index += 1
            }
        }
        // Still among the options?
        if index == words.count - 1 {
            if current.hasPrefix("--"), let equals = current.firstIndex(of: "="),
                let (spec, _) = option(String(current[..<equals])), spec.valueName != nil
            {
                let value = String(current[current.index(after: equals)...])
                let prefix = current[...equals]
                return filter(valueCandidates(spec, value, session: session), value).map { prefix + $0 }
            }
            if current.hasPrefix("-") { return filter(optionNames(excluding: used), current) }
        }
        return hmpCandidates(Array(words[index...]), session: session)
    }

    /// The visible options as typed: `--format`, and `-c` for those with a short form.
    /// An option already given is not offered again unless it may repeat.
    static func optionNames(excluding used: Set<String>) -> [String] {
        let visible = CommandLineOptions.all.filter { !$0.hidden && ($0.repeatable || !used.contains($0.long)) }
        return visible.map { "--" + $0.long } + visible.compactMap { $0.short.map { "-\($0)" } }
    }

    /// The spec a word names (`--format`, `--format=json`, `-c`, `-cLINES`), and the value it carries.
    static func option(_ word: String) -> (OptionSpec, String?)? {
        CommandLineOptions.option(named: word).map { ($0.spec, $0.attached) }
    }

    static func valueCandidates(_ spec: OptionSpec, _ value: String, session: HMPSession) -> [String] {
        if !spec.values.isEmpty { return spec.values }
        switch spec.valueCompletion {
        case .file: return FileNameCompleter().candidates(value)
        case .migrationURI(let extras): return MigrationURICompleter().candidates(value, extras: extras).candidates
        case .commandLine:
            // The value is a line of HMP commands: complete its last word.
            let result = HMPCompleter(session: session).completeRouted(value)
            let lead = String(decoding: Array(value.utf8)[..<result.wordStart], as: UTF8.self)
            return result.candidates.map { lead + $0 }
        case .none, .shell: return []
        }
    }

    /// The HMP line: shell words joined, quoted where the HMP scanner needs it. A leading
    /// `@VM` or `@all` is completed as the REPL completes it (the VMs' names, then the line as
    /// on that VM).
    static func hmpCandidates(_ words: [String], session: HMPSession) -> [String] {
        let words = words.isEmpty ? [""] : words
        let line = words.enumerated().map { i, w in i == words.count - 1 && w.isEmpty ? "" : quoted(w) }.joined(separator: " ")
        return HMPCompleter(session: session).completeRouted(line).candidates
    }

    static func quoted(_ word: String) -> String { HMPWords.quoted(word) }

    private static func filter(_ candidates: [String], _ prefix: String) -> [String] {
        var seen: Set<String> = []
        return candidates.filter { $0.hasPrefix(prefix) && seen.insert($0).inserted }
    }
}
