import ArgumentParser
import HMP

// The executable's options are declared from the shared specs, so --help, the man page and
// the shell completion scripts all say the same thing.

extension NameSpecification {
    /// `--long` and, when the spec has one, `-s`.
    static func spec(_ spec: OptionSpec) -> NameSpecification {
        var names: [Element] = [.customLong(spec.long)]
        if let short = spec.short { names.append(.customShort(short)) }
        return NameSpecification(names)
    }
}

extension ArgumentHelp {
    static func spec(_ spec: OptionSpec) -> ArgumentHelp {
        ArgumentHelp(spec.help, valueName: spec.valueName, visibility: spec.hidden ? .hidden : .default)
    }
}
