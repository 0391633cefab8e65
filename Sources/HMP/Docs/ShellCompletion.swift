/// Completion for the operator's shell: `hmp --complete -- WORDS...` prints these candidates.
/// WORDS are the command-line words after `hmp`, the last one being completed (may be empty).
public enum ShellCompletion {
    public static func candidates(words: [String], session: HMPSession) -> [String] {
        // Options first: `--format <TAB>` and `--fo<TAB>`.
        if let last = words.last, last.hasPrefix("-") {
            return CommandLineOptions.all.filter { !$0.hidden }.map { "--" + $0.long }.filter { $0.hasPrefix(last) }
        }
        if words.count >= 2, let option = CommandLineOptions.all.first(where: { "--" + $0.long == words[words.count - 2] }),
            option.valueName != nil
        {
            return option.values.filter { $0.hasPrefix(words.last ?? "") }
        }
        // The rest is one HMP line; skip options and their values before it.
        var lineWords: [String] = []
        var skipValue = false
        for w in words.dropLast() {
            if skipValue {
                skipValue = false
                continue
            }
            if lineWords.isEmpty, w.hasPrefix("-") {
                skipValue = CommandLineOptions.all.first { "--" + $0.long == w || ($0.short.map { "-\($0)" } == w) }?.valueName != nil
                continue
            }
            lineWords.append(w)
        }
        lineWords.append(words.last ?? "")
        return HMPCompleter(session: session).complete(lineWords.joined(separator: " ")).candidates
    }
}
