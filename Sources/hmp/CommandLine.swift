import HMP

/// Reads the command line of `hmp` from the option specs alone (`CommandLineOptions.all`):
/// `--long VALUE`, `--long=VALUE`, `-s VALUE`, `-sVALUE`, flags, then the HMP words (after
/// the first word that is not an option, or after `--`). Values stay text here; `Settings`
/// checks them so every bad value gets one clear line.
enum CommandLineParser {
    enum Outcome: Equatable {
        /// -h, --help or --help-hidden came before any mistake.
        case help(includeHidden: Bool)
        case options(RawOptions)
    }

    static let helpHidden = "--help-hidden"

    static func parse(_ arguments: [String], options specs: [OptionSpec] = CommandLineOptions.all) throws(UsageError) -> Outcome {
        var options = RawOptions()
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if word == "--" {
                options.line = Array(arguments[(index + 1)...])
                return .options(options)
            }
            guard word.hasPrefix("-") else {
                options.line = Array(arguments[index...])
                return .options(options)
            }
            if word == helpHidden { return .help(includeHidden: true) }
            guard let (spec, attached) = CommandLineOptions.option(named: word, in: specs) else {
                throw UsageError(Settings.unknownOption(word))
            }
            let name = word.hasPrefix("--") ? "--" + spec.long : "-" + String(spec.short ?? "?")
            if spec.isFlag {
                if let attached {
                    throw UsageError("the option '\(name)' takes no value, but '\(attached)' was given; see hmp --help")
                }
                if spec.long == CommandLineOptions.help.long { return .help(includeHidden: false) }
                options.record(spec, nil)
                index += 1
                continue
            }
            var value: String?
            if let attached {
                // `--ram=` gives no value; an empty word after `--name` is a value (an empty one).
                if !attached.isEmpty { value = attached }
                index += 1
            } else if index + 1 < arguments.count, !looksLikeOption(arguments[index + 1]) {
                value = arguments[index + 1]
                index += 2
            }
            guard let value else {
                throw UsageError("missing value for '\(name) <\(spec.valueName ?? "VALUE")>'; see hmp --help")
            }
            options.record(spec, value)
        }
        return .options(options)
    }

    /// A word after an option that wants a value is taken as that value unless it reads as an
    /// option itself (`--ram --clock` is a missing value, not a RAM size called --clock);
    /// a lone `-` is a value.
    private static func looksLikeOption(_ word: String) -> Bool {
        word.hasPrefix("-") && word != "-"
    }
}
