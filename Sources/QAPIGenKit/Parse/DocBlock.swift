/// A `##` doc block: what a definition is, its members, its features, since when, and
/// QMP examples (`-> request`, `<- reply`) that tests replay against the generated types.
public struct DocBlock: Sendable, Hashable {
    public struct Example: Sendable, Hashable {
        public enum Direction: Sendable, Hashable { case request, reply }
        public struct Message: Sendable, Hashable {
            public var direction: Direction
            public var json: String
            public var line: Int
        }
        public var messages: [Message] = []
    }

    /// The documented definition (`@Name:` on the first line); nil for free-form prose blocks.
    public var symbol: String?
    public var line: Int
    public var file: String
    public var description: String = ""
    public var members: [(name: String, text: String)] = []
    public var features: [(name: String, text: String)] = []
    public var since: String?
    public var returns: String?
    public var errors: String?
    public var examples: [Example] = []

    public static func == (a: DocBlock, b: DocBlock) -> Bool {
        a.symbol == b.symbol && a.line == b.line && a.file == b.file
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(symbol)
        hasher.combine(line)
        hasher.combine(file)
    }

    public func memberText(_ name: String) -> String? { members.first { $0.name == name }?.text }

    static func parse(lines: [String], file: String, line: Int) throws(SchemaError) -> DocBlock {
        var doc = DocBlock(symbol: nil, line: line, file: file)
        guard let first = lines.first, first.hasPrefix("@"), first.hasSuffix(":") else {
            doc.description = lines.joined(separator: "\n")
            return doc
        }
        doc.symbol = String(first.dropFirst().dropLast())

        enum Section { case description, member, feature, featureList, returns, errors, since, notes, example }
        var section = Section.description
        var description: [String] = []
        var text: [String] = []
        var currentName = ""
        var example = Example()

        func flush() {
            let joined = text.joined(separator: "\n").trimmingCharacters
            switch section {
            case .description: description.append(contentsOf: text)
            case .member: doc.members.append((currentName, joined))
            case .feature: doc.features.append((currentName, joined))
            case .returns: doc.returns = joined
            case .errors: doc.errors = joined
            case .since, .notes, .featureList: break
            case .example:
                if !example.messages.isEmpty { doc.examples.append(example) }
                example = Example()
            }
            text = []
        }

        for (offset, raw) in lines.enumerated().dropFirst() {
            let lineNumber = line + 1 + offset
            let indented = raw.hasPrefix(" ")
            let trimmed = raw.trimmingCharacters
            if section == .example {
                if trimmed.hasPrefix("-> ") || trimmed.hasPrefix("<- ") {
                    example.messages.append(
                        Example.Message(
                            direction: trimmed.hasPrefix("->") ? .request : .reply,
                            json: String(trimmed.dropFirst(3)), line: lineNumber))
                    continue
                }
                if indented && !trimmed.isEmpty {
                    // Continuation of the message above, or prose/options of the example.
                    if !example.messages.isEmpty && !trimmed.hasPrefix(":") {
                        example.messages[example.messages.count - 1].json += "\n" + trimmed
                    }
                    continue
                }
                if trimmed.isEmpty { continue }
                flush()
                section = .description
            }
            if !indented, raw.hasPrefix("@"), let colon = raw.firstIndex(of: ":") {
                flush()
                currentName = String(raw[raw.index(after: raw.startIndex)..<colon])
                guard currentName.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
                    throw SchemaError(SourceLocation(file: file, line: lineNumber), "bad name in doc section '@\(currentName)'")
                }
                section = (section == .featureList || section == .feature) ? .feature : .member
                text = [String(raw[raw.index(after: colon)...]).trimmingCharacters]
                continue
            }
            if !indented, trimmed == "Features:" {
                flush()
                section = .featureList
                continue
            }
            if !indented, trimmed.hasPrefix("Since:") {
                flush()
                doc.since = String(trimmed.dropFirst("Since:".count)).trimmingCharacters
                section = .since
                continue
            }
            if !indented, trimmed.hasPrefix("Returns:") {
                flush()
                section = .returns
                text = [String(trimmed.dropFirst("Returns:".count)).trimmingCharacters]
                continue
            }
            if !indented, trimmed.hasPrefix("Errors:") {
                flush()
                section = .errors
                text = [String(trimmed.dropFirst("Errors:".count)).trimmingCharacters]
                continue
            }
            if !indented, trimmed.hasPrefix(".. qmp-example::") || trimmed == "Example:" || trimmed == "Examples:" {
                flush()
                section = .example
                continue
            }
            if !indented, trimmed.hasPrefix(".. note::") || trimmed.hasPrefix(".. caution::") || trimmed.hasPrefix("Notes:") {
                flush()
                section = .notes
                continue
            }
            if section == .since || section == .featureList {
                if trimmed.isEmpty { continue }
                // Prose after "Since:" belongs to the description again.
                section = .description
            }
            text.append(trimmed)
        }
        flush()
        doc.description = description.joined(separator: "\n").trimmingCharacters
        return doc
    }
}

extension String {
    var trimmingCharacters: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\n" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" { s = s.dropLast() }
        return String(s)
    }
}
