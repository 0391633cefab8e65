import Backend

extension HMPCompleter {
    /// Completion that knows the console's VM prefixes: `@d<TAB>` offers the VMs' names, and
    /// after `@dst ` the line is completed as on that VM (its devices, its schema's names).
    public func completeRouted(_ lineBeforeCursor: String) -> CompletionResult {
        guard let group = session.backend as? any VMSelecting, lineBeforeCursor.first == "@" else {
            return complete(lineBeforeCursor)
        }
        guard let space = lineBeforeCursor.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
            let candidates = (group.vmNames + ["all"]).map { "@" + $0 }.filter { $0.hasPrefix(lineBeforeCursor) }
            return CompletionResult(wordStart: 0, word: lineBeforeCursor, candidates: candidates)
        }
        let target = String(lineBeforeCursor[lineBeforeCursor.index(after: lineBeforeCursor.startIndex)..<space])
        let restStart = lineBeforeCursor[space...].firstIndex { $0 != " " && $0 != "\t" } ?? lineBeforeCursor.endIndex
        let rest = String(lineBeforeCursor[restStart...])
        let previous = group.currentVM
        defer { _ = group.select(previous) }
        // One VM: complete against it; a list or @all: against the first.
        let first = target == "all" ? group.vmNames.first : target.split(separator: ",").first.map(String.init)
        if let first { _ = group.select(first) }
        var result = complete(rest)
        result.wordStart += lineBeforeCursor[..<restStart].utf8.count
        return result
    }
}
