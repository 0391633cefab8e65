import QAPI

/// Parses JSON text written in a test; a mistake in the literal stops the test with its text.
public func json(_ text: String) -> JSONValue {
    do {
        return try JSONParser.parse(text)
    } catch {
        preconditionFailure("bad JSON in a test: \(text): \(error)")
    }
}

extension JSONValue {
    /// The member at a dotted path (`ram.total`), nil when any step is missing.
    public subscript(path path: String) -> JSONValue? {
        var current: JSONValue? = self
        for key in path.split(separator: ".") { current = current?[String(key)] }
        return current
    }
}
