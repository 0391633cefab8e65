import QAPI

/// Turns one command line into a table row and its arguments, following HMP's rules
/// (QEMU's monitor_parse_arguments()) with its traps fixed: flags may come in any order and anywhere, a negative
/// number never merges into the previous one, a quoted rest-of-line value is unquoted, and a
/// token is never cut short.
public struct HMPLineParser {
    public let table: CommandTable
    /// The table format's wording of parse errors (the command named in each, the value that
    /// was wrong); false keeps QEMU's texts.
    public var tableWording = false

    /// Whether rates also take the units hmp prints (the table format); `--format qemu` reads
    /// them as QEMU does.
    public var readsHMPUnits: Bool

    public init(table: CommandTable, tableWording: Bool = false, readsHMPUnits: Bool = false) {
        self.table = table
        self.tableWording = tableWording
        self.readsHMPUnits = readsHMPUnits
    }

    public struct Parsed: Sendable {
        public var command: HMPCommand
        /// The name as typed, with `info ` in front for info subcommands (for messages).
        public var typedName: String
        public var arguments: HMPArguments
    }

    /// Parses `line`; nil for a blank line.
    public func parse(_ line: String) throws(HMPError) -> Parsed? {
        var scanner = HMPScanner(line)
        guard let name = scanner.readCommandName() else { return nil }
        guard let top = table.command(named: name) else { throw .unknownCommand("unknown command: '\(name)'") }
        var command = top
        var typedName = name
        if top.subTable != nil, !scanner.isBlankToEnd {
            guard let sub = scanner.readCommandName() else { throw .unknownCommand("unknown command: '\(name)'") }
            guard let row = top.subcommand(named: sub) else { throw .unknownCommand("unknown command: '\(name) \(sub)'") }
            command = row
            typedName = "\(name) \(sub)"
        }
        let arguments = try parseArguments(of: command, typedName: typedName, scanner: &scanner)
        return Parsed(command: command, typedName: typedName, arguments: arguments)
    }

    func parseArguments(
        of command: HMPCommand, typedName: String, scanner: inout HMPScanner
    ) throws(HMPError)
        -> HMPArguments
    {
        var result = HMPArguments(for: command)
        var flagsEnded = false

        func usage(_ message: String) -> HMPError { named(message, typedName) }

        /// Consumes flags at the cursor; `--` ends flags for the rest of the line.
        func takeFlags() throws(HMPError) {
            while !flagsEnded {
                if let (index, end) = longFlagAt(scanner, of: command) {
                    // `--until-done`, `--timeout 5s`: a flag by its name.
                    let flag = command.flags[index]
                    scanner.advance(to: end)
                    if let kind = flag.valueKind {
                        guard !scanner.isBlankToEnd else { throw usage("\(typedName): value expected for --\(flag.name)") }
                        result.flagValues[index] = try value(of: kind, name: flag.name, typedName: typedName, scanner: &scanner)
                    }
                    result.flagsGiven[index] = true
                    continue
                }
                guard let letter = flagAt(scanner) else { break }
                if letter == "-" {
                    // consumeFlag steps past the dash and one character: all of "--".
                    scanner.consumeFlag()
                    flagsEnded = true
                    return
                }
                guard let index = command.flags.firstIndex(where: { $0.letter == letter }) else {
                    throw usage("\(typedName): unsupported option -\(letter)")
                }
                scanner.consumeFlag()
                if let kind = command.flags[index].valueKind {
                    guard !scanner.isBlankToEnd else { throw usage("\(typedName): value expected for -\(letter)") }
                    result.flagValues[index] = try value(of: kind, name: command.flags[index].name, typedName: typedName, scanner: &scanner)
                }
                result.flagsGiven[index] = true
            }
        }

        for (index, argument) in command.arguments.enumerated() {
            try takeFlags()
            if scanner.isBlankToEnd {
                if argument.optional { continue }
                switch argument.kind {
                case .string, .filename, .blockDevice, .rest, .jsonObject:
                    throw usage("\(typedName): \(argument.kind.expectation)")
                case .size: throw usage("invalid size")
                case .onOff: throw usage(tableWording ? "\(typedName): \(argument.name) expected: 'on' or 'off'" : "Expected 'on' or 'off'")
                case .float: throw usage("Number expected")
                case .duration: throw usage("\(typedName): duration expected (e.g. 500ms, 2s, 1m)")
                case .int32, .int64, .bytesPerSecond: throw usage("unexpected end of expression")
                case .displayFormat: continue
                }
            }
            result.positional[index] = try value(of: argument.kind, name: argument.name, typedName: typedName, scanner: &scanner)
        }
        try takeFlags()
        if !scanner.isBlankToEnd { throw extraneous(command, typedName: typedName, arguments: result, rest: scanner) }
        return result
    }

    /// `--NAME` standing alone, where NAME is one of the command's flags; and where it ends.
    private func longFlagAt(_ scanner: HMPScanner, of command: HMPCommand) -> (Int, Int)? {
        var copy = scanner
        copy.skipWhitespace()
        let bytes = copy.bytes
        let i = copy.position
        guard i + 2 < bytes.count, bytes[i] == UInt8(ascii: "-"), bytes[i + 1] == UInt8(ascii: "-") else { return nil }
        var end = i + 2
        while end < bytes.count, !isHMPBlank(bytes[end]) { end += 1 }
        let name = String(decoding: bytes[(i + 2)..<end], as: UTF8.self)
        guard let index = command.flags.firstIndex(where: { $0.name == name }) else { return nil }
        return (index, end)
    }

    /// A flag token is `-` plus one letter standing alone (`-d`), or `--`. `-5` and `-file` are values.
    private func flagAt(_ scanner: HMPScanner) -> Character? {
        var copy = scanner
        copy.skipWhitespace()
        let bytes = copy.bytes
        let i = copy.position
        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "-") else { return nil }
        let next = bytes[i + 1]
        let endsThere = i + 2 >= bytes.count || isHMPBlank(bytes[i + 2])
        guard endsThere else { return nil }
        if next == UInt8(ascii: "-") { return "-" }
        guard (next >= UInt8(ascii: "a") && next <= UInt8(ascii: "z")) || (next >= UInt8(ascii: "A") && next <= UInt8(ascii: "Z"))
        else { return nil }
        return Character(Unicode.Scalar(next))
    }

    private func value(
        of kind: HMPArgumentKind, name: String, typedName: String, scanner: inout HMPScanner
    ) throws(HMPError)
        -> HMPValue
    {
        func usage(_ message: String) -> HMPError { named(message, typedName) }
        switch kind {
        case .string, .filename, .blockDevice:
            do {
                return .string(try scanner.readString())
            } catch {
                if error == .missingToken { throw usage("\(typedName): \(kind.expectation)") }
                throw quotingError(error, kind: kind, typedName: typedName)
            }
        case .rest:
            guard let raw = scanner.readRest() else { throw usage("\(typedName): string expected") }
            // A value in double quotes is a quoted string, not text with quote marks in it.
            if raw.hasPrefix("\"") {
                var inner = HMPScanner(raw)
                do {
                    let text = try inner.readString()
                    guard inner.isBlankToEnd else { throw usage("\(typedName): extraneous characters at the end of line") }
                    return .string(text)
                } catch let error as HMPError {
                    throw error
                } catch let error as HMPScanError {
                    throw quotingError(error, kind: kind, typedName: typedName)
                } catch {
                    throw usage("\(typedName): string expected (\(error))")
                }
            }
            return .string(trimTrailingBlanks(raw))
        case .int32, .int64:
            do {
                return .integer(try IntegerExpression.parseArgument(&scanner, kind: kind == .int32 ? .int32 : .int64))
            } catch {
                // QEMU words this one error as a command failure.
                if error == .integerIsFor32Bit { throw usage("'\(typedName)' has failed: \(error.description)") }
                throw usage(error.description)
            }
        case .bytesPerSecond:
            if readsHMPUnits, let rate = try RateParser.readSized(&scanner, typedName: typedName) { return .integer(rate) }
            return try value(of: .int64, name: name, typedName: typedName, scanner: &scanner)
        case .size(let variant):
            do {
                var copy = scanner
                copy.skipWhitespace()
                // The table format also reads the IEC spelling hmp prints (`20GiB`).
                if readsHMPUnits {
                    var end = copy.position
                    while end < copy.bytes.count, !isHMPBlank(copy.bytes[end]) { end += 1 }
                    let word = String(decoding: copy.bytes[copy.position..<end], as: UTF8.self)
                    let qemuWord = IECSizeText.asQEMU(word, perSecond: false)
                    if qemuWord != word {
                        let size = try SizeParser.parse(qemuWord, as: variant)
                        guard size.bytes <= UInt64(Int64.max) else { throw SizeError.outOfRange }
                        copy.advance(to: end)
                        scanner = copy
                        return .size(size)
                    }
                }
                let size = try SizeParser.parse(&copy, as: variant)
                guard size.bytes <= UInt64(Int64.max) else { throw SizeError.outOfRange }
                // The suffix must end the token: "10Gx" is not a size.
                if let c = copy.current, !isHMPBlank(c) { throw usage("\(typedName): extraneous characters at the end of line") }
                scanner = copy
                return .size(size)
            } catch let error as HMPError {
                throw error
            } catch {
                throw usage("invalid size")
            }
        case .float:
            do {
                return .number(try FloatParser.parse(&scanner))
            } catch {
                throw usage(error.description)
            }
        case .onOff:
            do {
                return .bool(try BoolParser.parseOnOff(&scanner))
            } catch {
                guard tableWording else { throw usage(error.description) }
                throw usage("\(typedName): \(name) is 'on' or 'off', not '\(scanner.upcomingWord)'")
            }
        case .duration:
            do {
                return .duration(nanoseconds: try DurationParser.parse(&scanner))
            } catch {
                throw usage("\(typedName): \(error.description)")
            }
        case .displayFormat:
            let start = scanner.position
            do {
                guard try DisplayFormat.parse(&scanner) != nil else { return .string("") }
            } catch {
                throw usage(error.description)
            }
            return .string(String(decoding: scanner.bytes[start..<scanner.position], as: UTF8.self))
        case .jsonObject:
            guard let raw = scanner.readRest() else { throw usage("\(typedName): a JSON object expected") }
            do {
                let value = try JSONParser.parse(raw)
                guard case .object = value else { throw usage("\(typedName): arguments must be a JSON object, like {\"key\": 1}") }
                return .json(value)
            } catch let error as HMPError {
                throw error
            } catch {
                throw usage("\(typedName): \(error)")
            }
        }
    }

    private func trimTrailingBlanks(_ s: String) -> String {
        var bytes = Array(s.utf8)
        while let last = bytes.last, isHMPBlank(last) { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
