import CEditLine

/// What a completer returns for the text before the cursor.
public struct CompletionResult {
    /// The part of the line that the candidates would replace: the current
    /// word. Only its lower bound is used; the word always ends at the cursor.
    public var replacementRange: Range<String.Index>
    /// Full replacement texts for that word, in any order; duplicates are fine.
    public var candidates: [String]

    public init(replacing range: Range<String.Index>, candidates: [String]) {
        self.replacementRange = range
        self.candidates = candidates
    }

    /// Convenience: `word` must be a slice of the line the completer was given.
    public init(word: Substring, candidates: [String]) {
        self.init(replacing: word.startIndex..<word.endIndex, candidates: candidates)
    }

    /// Nothing to offer (the editor beeps).
    public static func none(for line: String) -> CompletionResult {
        CompletionResult(replacing: line.endIndex..<line.endIndex, candidates: [])
    }
}

/// What the editor should do with a completion.
public enum CompletionAction: Equatable, Sendable {
    /// Replace the current word with this text.
    case replace(with: String)
    /// Show these candidates (sorted, unique) and redraw the line.
    case list([String])
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

    public static func plan(word: String, candidates: [String]) -> CompletionAction {
        let unique = Array(Set(candidates)).sorted()
        guard let first = unique.first else { return .beep }
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

    /// Terminal columns taken by `text` (wide CJK counts two). Falls back to
    /// one per character when the C library cannot tell (non-UTF-8 locale).
    public static func displayWidth(_ text: String) -> Int {
        var width = 0
        for scalar in text.unicodeScalars {
            let w = cel_wcwidth(wchar_t(bitPattern: scalar.value))
            width += w >= 0 ? Int(w) : (scalar.value < 0x20 ? 2 : 1)
        }
        return width
    }
}
