/// Stage 1: reads QAPI schema text (single-quoted JSON-like syntax, `#` comments, `##` doc
/// blocks) into expressions. It knows nothing about what the expressions mean.
public struct SchemaParser {
    private let file: String
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    /// Doc block read but not yet attached to an expression.
    private var pendingDoc: DocBlock?
    private var expressions: [SchemaExpression] = []

    public static func parse(text: String, file: String) throws(SchemaError) -> [SchemaExpression] {
        var parser = SchemaParser(file: file, bytes: Array(text.utf8))
        return try parser.parseFile()
    }

    private init(file: String, bytes: [UInt8]) {
        self.file = file
        self.bytes = bytes
    }

    private func error(_ message: String, line: Int? = nil) -> SchemaError {
        SchemaError(SourceLocation(file: file, line: line ?? self.line), message)
    }

    private mutating func parseFile() throws(SchemaError) -> [SchemaExpression] {
        while true {
            try skipSpaceAndComments(collectDocs: true)
            guard index < bytes.count else { break }
            guard bytes[index] == UInt8(ascii: "{") else {
                throw error("expected '{' to start a definition, found '\(currentCharacter)'")
            }
            let doc = pendingDoc
            pendingDoc = nil
            let startLine = line
            let value = try parseValue()
            guard case .dict(let dict) = value else { preconditionFailure("'{' always parses to a dict") }
            expressions.append(SchemaExpression(dict: dict, doc: doc, location: SourceLocation(file: file, line: startLine)))
        }
        if let doc = pendingDoc, doc.symbol != nil {
            throw error("documentation for '\(doc.symbol!)' is not followed by its definition", line: doc.line)
        }
        return expressions
    }

    private var currentCharacter: String {
        guard index < bytes.count else { return "end of file" }
        var end = index + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return String(decoding: bytes[index..<end], as: UTF8.self)
    }

    /// Skips blanks and comments. At the top level, a `##` line opens a doc block which runs
    /// to the next `##` line.
    private mutating func skipSpaceAndComments(collectDocs: Bool) throws(SchemaError) {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
            case UInt8(ascii: "\n"):
                index += 1
                line += 1
            case UInt8(ascii: "#"):
                let commentLine = restOfLine()
                if collectDocs, isAtLineStart(), commentLine.trimmingTrailingSpaces == "##" {
                    try readDocBlock()
                } else {
                    skipToEndOfLine()
                }
            default:
                return
            }
        }
    }

    private func isAtLineStart() -> Bool {
        var i = index - 1
        while i >= 0 {
            if bytes[i] == UInt8(ascii: "\n") { return true }
            if bytes[i] != UInt8(ascii: " ") && bytes[i] != UInt8(ascii: "\t") { return false }
            i -= 1
        }
        return true
    }

    private func restOfLine() -> String {
        var end = index
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        return String(decoding: bytes[index..<end], as: UTF8.self)
    }

    private mutating func skipToEndOfLine() {
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
    }

    private mutating func readDocBlock() throws(SchemaError) {
        let startLine = line
        if let previous = pendingDoc, previous.symbol != nil {
            throw error("documentation for '\(previous.symbol!)' is not followed by its definition", line: previous.line)
        }
        skipToEndOfLine()
        var lines: [String] = []
        while true {
            guard index < bytes.count else { throw error("doc block is not closed with '##'", line: startLine) }
            // Move to the next line.
            index += 1
            line += 1
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "#") else {
                throw error("doc block line must start with '#'", line: line)
            }
            let text = restOfLine()
            skipToEndOfLine()
            if text.trimmingTrailingSpaces == "##" { break }
            // "# text" -> "text"; "#" alone is an empty line.
            var body = Substring(text.dropFirst())
            if body.first == " " {
                body = body.dropFirst()
            } else if !body.isEmpty {
                throw error("doc comment line must be '#' followed by a space", line: line)
            }
            lines.append(String(body))
        }
        let doc = try DocBlock.parse(lines: lines, file: file, line: startLine)
        // A free-form block (section headings, prose) documents no definition.
        pendingDoc = doc.symbol == nil ? nil : doc
    }

    private mutating func parseValue() throws(SchemaError) -> SchemaValue {
        try skipSpaceAndComments(collectDocs: false)
        guard index < bytes.count else { throw error("unexpected end of file") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseDict()
        case UInt8(ascii: "["): return try parseList()
        case UInt8(ascii: "'"): return .string(try parseString())
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            if matchWord("true") { return .bool(true) }
            if matchWord("false") { return .bool(false) }
            throw error("stray '\(currentCharacter)'")
        case UInt8(ascii: "\""):
            throw error("strings are written in single quotes in a schema")
        default:
            throw error("stray '\(currentCharacter)'")
        }
    }

    private mutating func matchWord(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard index + w.count <= bytes.count, Array(bytes[index..<(index + w.count)]) == w else { return false }
        index += w.count
        return true
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(SchemaError) {
        try skipSpaceAndComments(collectDocs: false)
        guard index < bytes.count, bytes[index] == byte else { throw error("expected \(what), found '\(currentCharacter)'") }
        index += 1
    }

    private mutating func parseDict() throws(SchemaError) -> SchemaValue {
        var dict = SchemaDict(line: line)
        index += 1
        try skipSpaceAndComments(collectDocs: false)
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .dict(dict)
        }
        while true {
            try skipSpaceAndComments(collectDocs: false)
            guard index < bytes.count, bytes[index] == UInt8(ascii: "'") else {
                throw error("expected a quoted key, found '\(currentCharacter)'")
            }
            let keyLine = line
            let key = try parseString()
            if dict[key] != nil { throw error("duplicate key '\(key)'", line: keyLine) }
            try expect(UInt8(ascii: ":"), "':'")
            let value = try parseValue()
            dict.entries.append(SchemaDictEntry(key: key, value: value, line: keyLine))
            try skipSpaceAndComments(collectDocs: false)
            guard index < bytes.count else { throw error("expected ',' or '}', found end of file") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .dict(dict)
            }
            throw error("expected ',' or '}', found '\(currentCharacter)'")
        }
    }

    private mutating func parseList() throws(SchemaError) -> SchemaValue {
        var elements: [SchemaValue] = []
        index += 1
        try skipSpaceAndComments(collectDocs: false)
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .list(elements)
        }
        while true {
            elements.append(try parseValue())
            try skipSpaceAndComments(collectDocs: false)
            guard index < bytes.count else { throw error("expected ',' or ']', found end of file") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .list(elements)
            }
            throw error("expected ',' or ']', found '\(currentCharacter)'")
        }
    }

    /// Single-quoted, printable ASCII, `\\` the only escape (as in QEMU's schema parser).
    private mutating func parseString() throws(SchemaError) -> String {
        index += 1
        var out: [UInt8] = []
        while true {
            guard index < bytes.count, bytes[index] != UInt8(ascii: "\n") else {
                throw error("missing terminating \"'\"")
            }
            let b = bytes[index]
            index += 1
            if b == UInt8(ascii: "'") { return String(decoding: out, as: UTF8.self) }
            if b == UInt8(ascii: "\\") {
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\\") else {
                    throw error("unknown escape \\\(currentCharacter)")
                }
                index += 1
                out.append(b)
                continue
            }
            if b < 32 || b >= 127 { throw error("funny character in string") }
            out.append(b)
        }
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return String(s)
    }
}
