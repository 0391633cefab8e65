import CEditLine
import HMP

/// What a completer returns for the text before the cursor.
///
/// (Named apart from the HMP module's `CompletionResult`, which describes the
/// same thing from the command table's side; `init(wordStartUTF8Offset:...)`
/// adapts one to the other.)
public struct LineCompletion {
    /// The part of the line that the candidates would replace: the current
    /// word. Only its lower bound is used; the word always ends at the cursor.
    public var replacementRange: Range<String.Index>
    /// Full replacement texts for that word, in any order; duplicates are fine.
    public var candidates: [String]
    /// Shown below the line when there are no candidates (for example what
    /// kind of value is expected); without it, the terminal beeps.
    public var hint: String?

    public init(replacing range: Range<String.Index>, candidates: [String], hint: String? = nil) {
        self.replacementRange = range
        self.candidates = candidates
        self.hint = hint
    }

    /// Convenience: `word` must be a slice of the line the completer was given.
    public init(word: Substring, candidates: [String], hint: String? = nil) {
        self.init(replacing: word.startIndex..<word.endIndex, candidates: candidates, hint: hint)
    }

    /// The word starts `offset` UTF-8 bytes into `line` (the line the
    /// completer was given). Offsets beyond the line, or inside a character,
    /// are moved to the nearest valid position before them.
    public init(wordStartUTF8Offset offset: Int, in line: String, candidates: [String], hint: String? = nil) {
        let clamped = max(0, min(offset, line.utf8.count))
        var start = line.utf8.index(line.startIndex, offsetBy: clamped)
        while start > line.startIndex, start.samePosition(in: line.unicodeScalars) == nil {
            start = line.utf8.index(before: start)
        }
        self.init(replacing: start..<line.endIndex, candidates: candidates, hint: hint)
    }

    /// Nothing to offer (the editor beeps).
    public static func none(for line: String) -> LineCompletion {
        LineCompletion(replacing: line.endIndex..<line.endIndex, candidates: [])
    }
}

/// What the editor should do with a completion.
public enum CompletionAction: Equatable, Sendable {
    /// Replace the current word with this text.
    case replace(with: String)
    /// Show these candidates (sorted, unique) and redraw the line.
    case list([String])
    /// Nothing matches, but there is advice to show below the line.
    case hint(String)
    /// Nothing matches.
    case beep
}

/// The completion policy, kept free of any terminal so it can be tested.
///
/// Mirrors QEMU's monitor: one candidate is inserted followed by a space;
/// several are narrowed to their longest common prefix when that makes
/// progress, and listed in columns when it does not.
public enum CompletionPlanner {
    /// Characters after which the single completion gets no space, because
    /// the word usually continues: directories (`/`), URIs (`tcp:`) and
    /// `key=` options.
    public static let continuingSuffixes: Set<Character> = ["/", ":", "="]

    public static func plan(word: String, candidates: [String], hint: String? = nil) -> CompletionAction {
        let unique = Array(Set(candidates)).sorted()
        guard let first = unique.first else {
            if let hint, !hint.isEmpty { return .hint(hint) }
            return .beep
        }
        if unique.count == 1 {
            if let last = first.last, continuingSuffixes.contains(last) {
                return .replace(with: first)
            }
            return .replace(with: first + " ")
        }
        let prefix = commonPrefix(unique)
        if prefix.count > word.count {
            return .replace(with: prefix)
        }
        return .list(unique)
    }

    /// The longest common prefix, by Character.
    public static func commonPrefix(_ items: [String]) -> String {
        guard let first = items.first else { return "" }
        var prefix = Substring(first)
        for item in items.dropFirst() {
            var a = prefix.startIndex, b = item.startIndex
            while a < prefix.endIndex, b < item.endIndex, prefix[a] == item[b] {
                a = prefix.index(after: a)
                b = item.index(after: b)
            }
            prefix = prefix[..<a]
        }
        return String(prefix)
    }

    /// Lays the items out in rows, QEMU style: every column is as wide as the
    /// longest item plus two (at least 10), as many columns as fit the
    /// terminal, filled row by row. Trailing blanks are trimmed.
    public static func columns(_ items: [String], terminalWidth: Int) -> [String] {
        guard !items.isEmpty else { return [] }
        let widths = items.map(displayWidth)
        let columnWidth = max(widths.max()! + 2, 10)
        let perRow = max(1, max(terminalWidth, 1) / columnWidth)
        var lines: [String] = []
        var line = ""
        for (index, item) in items.enumerated() {
            let column = index % perRow
            line += item
            let isRowEnd = column == perRow - 1 || index == items.count - 1
            if isRowEnd {
                lines.append(line)
                line = ""
            } else {
                line += String(repeating: " ", count: columnWidth - widths[index])
            }
        }
        return lines
    }

    /// Terminal columns taken by `text`: the one measure tables use too.
    public static func displayWidth(_ text: String) -> Int { DisplayWidth.of(text) }
}
