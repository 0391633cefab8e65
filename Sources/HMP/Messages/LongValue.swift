/// A text value too long for a table cell (a 1 MiB `tls-creds`): the table format shows its
/// start and says how long it is, so that a table stays a screenful however the value was
/// set. `--format json` and `--format qemu` print it whole.
enum LongValue {
    /// Characters of a value shown in a cell or a confirmation; longer ones are cut.
    static let limit = 64

    static func isLong(_ text: String) -> Bool { text.utf8.count > limit && text.count > limit }

    /// `'abc…'` for a long value, `'abc'` otherwise.
    static func quotedCell(_ text: String) -> String {
        isLong(text) ? "'" + text.prefix(limit) + "…'" : "'\(text)'"
    }

    /// The note under a table that cut `name`'s value.
    static func note(_ name: String, _ text: String, query: String) -> String {
        "\(name) is \(text.utf8.count) bytes long; shown whole by --format json, or by qmp {\"execute\": \"\(query)\"}"
    }
}
