import HMP

/// The command line as text, before any value is checked: each option's values keyed by its
/// spec, and the HMP words after the options. Nothing here names an option; `Settings` reads
/// what it needs by spec (`options[CommandLineOptions.ram]`).
struct RawOptions: Equatable {
    /// Values in the order given, by long name; a flag given holds one empty value.
    private var given: [String: [String]] = [:]
    /// The words after the options: one HMP command line.
    var line: [String] = []

    /// The value given last, else the spec's default; nil for neither.
    subscript(spec: OptionSpec) -> String? {
        given[spec.long]?.last ?? spec.defaultValue
    }

    /// Every value given to a repeatable option, in order.
    func values(_ spec: OptionSpec) -> [String] { given[spec.long] ?? [] }

    /// Whether the option was given at all (for flags).
    func contains(_ spec: OptionSpec) -> Bool { given[spec.long] != nil }

    /// Records one occurrence. A flag given twice is given; a single-valued option given
    /// again keeps the last value, as swift-argument-parser did.
    mutating func record(_ spec: OptionSpec, _ value: String?) {
        guard let value else {
            given[spec.long] = [""]
            return
        }
        given[spec.long, default: []].append(value)
    }
}
