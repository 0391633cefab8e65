import HMP

/// The command line as text, before any value is checked: what swift-argument-parser read,
/// or what the quick scanner read for the common simple forms.
struct RawOptions: Equatable {
    var command: [String] = []
    var format = CommandLineOptions.format.defaultValue ?? "table"
    var clock = CommandLineOptions.clock.defaultValue ?? "real"
    var ram = CommandLineOptions.ram.defaultValue ?? "4G"
    var vcpus = CommandLineOptions.vcpus.defaultValue ?? "2"
    var dirtyRate = CommandLineOptions.dirtyRate.defaultValue ?? "0"
    var zeroPages = CommandLineOptions.zeroPages.defaultValue ?? "0"
    var disk: [String] = []
    var name: String?
    var incoming: String?
    var allowExec = false
    var machine = CommandLineOptions.machine.defaultValue ?? "model"
    var historyFile: String?
    var noHistory = false
    var stopOnError = false
    var version = false
    var complete = false
    var generateCompletionScript: String?
    var generateManPage = false
    /// The words after the options: one HMP command line.
    var line: [String] = []
}

extension HMPCommandLine {
    var raw: RawOptions {
        RawOptions(
            command: command, format: format, clock: clock, ram: ram, vcpus: vcpus, dirtyRate: dirtyRate, zeroPages: zeroPages,
            disk: disk, name: name, incoming: incoming, allowExec: allowExec, machine: machine, historyFile: historyFile, noHistory: noHistory,
            stopOnError: stopOnError, version: version, complete: complete, generateCompletionScript: generateCompletionScript,
            generateManPage: generateManPage, line: line)
    }
}

/// Reads the plain forms of the command line (`--ram 1G`, `--ram=1G`, `-c LINE`, flags, then
/// the HMP words) without swift-argument-parser, whose reflection-driven set-up was most of
/// hmp's start-up time. Anything else, help, mistakes and the hidden options included, is
/// left to swift-argument-parser (nil), which stays the authority: a test checks that both
/// read every accepted command line alike.
enum QuickOptionScanner {
    static func scan(_ arguments: [String]) -> RawOptions? {
        var options = RawOptions()
        var seen = Set<String>()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("-"), argument != "-" else {
                options.line = Array(arguments[index...])
                return options
            }
            let name: String
            var inlineValue: String?
            if argument.hasPrefix("--") {
                let body = argument.dropFirst(2)
                if let equals = body.firstIndex(of: "=") {
                    name = String(body[..<equals])
                    inlineValue = String(body[body.index(after: equals)...])
                } else {
                    name = String(body)
                }
            } else if argument.count == 2, let short = argument.last,
                let spec = CommandLineOptions.all.first(where: { $0.short == short && $0.long != CommandLineOptions.help.long })
            {
                name = spec.long
            } else {
                return nil
            }
            guard let spec = CommandLineOptions.all.first(where: { $0.long == name }), !spec.hidden,
                spec.long != CommandLineOptions.help.long
            else { return nil }
            guard spec.repeatable || seen.insert(spec.long).inserted else { return nil }
            if spec.valueName == nil {
                guard inlineValue == nil, options.setFlag(spec.long) else { return nil }
                index += 1
                continue
            }
            let value: String
            if let inlineValue {
                guard !inlineValue.isEmpty else { return nil }
                value = inlineValue
                index += 1
            } else {
                guard index + 1 < arguments.count else { return nil }
                value = arguments[index + 1]
                index += 2
            }
            // A value that looks like an option is for swift-argument-parser to judge.
            guard !value.hasPrefix("-"), options.setValue(spec.long, value) else { return nil }
        }
        return options
    }
}

extension RawOptions {
    fileprivate mutating func setFlag(_ long: String) -> Bool {
        switch long {
        case CommandLineOptions.allowExec.long: allowExec = true
        case CommandLineOptions.noHistory.long: noHistory = true
        case CommandLineOptions.stopOnError.long: stopOnError = true
        case CommandLineOptions.version.long: version = true
        default: return false
        }
        return true
    }

    fileprivate mutating func setValue(_ long: String, _ value: String) -> Bool {
        switch long {
        case CommandLineOptions.command.long: command.append(value)
        case CommandLineOptions.format.long: format = value
        case CommandLineOptions.clock.long: clock = value
        case CommandLineOptions.ram.long: ram = value
        case CommandLineOptions.vcpus.long: vcpus = value
        case CommandLineOptions.dirtyRate.long: dirtyRate = value
        case CommandLineOptions.zeroPages.long: zeroPages = value
        case CommandLineOptions.disk.long: disk.append(value)
        case CommandLineOptions.name.long: name = value
        case CommandLineOptions.incoming.long: incoming = value
        case CommandLineOptions.machine.long: machine = value
        case CommandLineOptions.historyFile.long: historyFile = value
        default: return false
        }
        return true
    }
}
