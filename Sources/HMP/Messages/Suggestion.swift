/// "Did you mean" for a misspelt name, and name lists that fit a line: the table format's
/// way of saying what is accepted.
enum Suggestion {
    /// The name in `candidates` nearest to `word` when it is close enough to be the one meant:
    /// at most a third of the word's characters differ (at least one may), a swap of two
    /// neighbours counting as one (`zsdt` is `zstd`).
    static func nearest(_ word: String, among candidates: [String]) -> String? {
        // Names are short; a long word is no misspelling (and the distance would cost).
        guard word.count <= 64, !candidates.contains(word) else { return nil }
        let scored = candidates.map { ($0, distance($0, word)) }
        // A one-letter word is near every one-letter alias (`n` and `?`): no suggestion.
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(1, word.count / 3), best.1 < word.count else { return nil }
        return best.0
    }

    /// Edits (insert, delete, replace, swap of neighbours) from `a` to `b`: the optimal
    /// string alignment distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { current[j] = min(current[j], before[j - 2] + 1) }
            }
            before = previous
            previous = current
        }
        return previous[b.count]
    }

    /// `; did you mean 'x'?` or nothing.
    static func didYouMean(_ word: String, among candidates: [String]) -> String {
        nearest(word, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// `Title: a, b, c` broken after a comma so that no line is longer than `width`
    /// (the console shortens overlong error lines).
    static func list(_ title: String, _ names: [String], width: Int = 100) -> String {
        var lines: [String] = []
        var line = title + ":"
        for (index, name) in names.enumerated() {
            let piece = " " + name + (index == names.count - 1 ? "" : ",")
            if line.count + piece.count > width, line.count > title.count + 1 {
                lines.append(line)
                line = "  " + name + (index == names.count - 1 ? "" : ",")
            } else {
                line += piece
            }
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}
