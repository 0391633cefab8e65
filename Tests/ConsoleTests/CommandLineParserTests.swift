import Testing
import TestSupport
import HMP
@testable import hmp

@Suite("Command-line options")
struct CommandLineParserTests {
    typealias Option = CommandLineOptions

    func options(_ arguments: [String]) throws -> RawOptions {
        guard case .options(let options) = try CommandLineParser.parse(arguments) else {
            Issue.record("\(arguments) asked for help")
            return RawOptions()
        }
        return options
    }

    func failure(_ arguments: [String]) -> String? {
        do {
            _ = try CommandLineParser.parse(arguments)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func readsEveryForm() throws {
        let read = try options([
            "--ram", "1G", "--clock=virtual", "-c", "info status", "-cstop", "-c=cont", "--disk", "a:raw:1G", "--disk", "b:raw:2G",
            "--stop-on-error", "--name", "",
        ])
        #expect(read[Option.ram] == "1G")
        #expect(read[Option.clock] == "virtual")
        #expect(read.values(Option.command) == ["info status", "stop", "cont"])
        #expect(read.values(Option.disk) == ["a:raw:1G", "b:raw:2G"])
        #expect(read.contains(Option.stopOnError))
        #expect(!read.contains(Option.noHistory))
        #expect(read[Option.name] == "")
        #expect(read.line.isEmpty)
    }

    @Test func defaultsComeFromTheSpecs() throws {
        let read = try options([])
        for spec in Option.all {
            #expect(read[spec] == spec.defaultValue, "--\(spec.long)")
            #expect(!read.contains(spec))
        }
        #expect(read[Option.ram] == "4G")
    }

    @Test func theLastValueOfASingleOptionWins() throws {
        #expect(try options(["--ram", "1G", "--ram=2G"])[Option.ram] == "2G")
    }

    @Test func theHMPLineStartsAtTheFirstWordThatIsNoOptionOrAfterDashes() throws {
        #expect(try options(["info", "migrate", "--ram", "1G"]).line == ["info", "migrate", "--ram", "1G"])
        #expect(try options(["--ram", "1G", "--", "--help"]).line == ["--help"])
        #expect(try options(["--name", "-", "info"]).line == ["info"])
    }

    @Test func helpWhenItComesBeforeAnyMistake() throws {
        #expect(try CommandLineParser.parse(["--help"]) == .help(includeHidden: false))
        #expect(try CommandLineParser.parse(["--ram", "1G", "-h", "--frobnicate"]) == .help(includeHidden: false))
        #expect(try CommandLineParser.parse(["--help-hidden"]) == .help(includeHidden: true))
        #expect(failure(["--frobnicate", "--help"])?.contains("--frobnicate") == true)
        #expect(try options(["info", "--help"]).line == ["info", "--help"])
    }

    @Test func mistakesSayWhatWasWrong() {
        #expect(failure(["--ram"]) == "missing value for '--ram <SIZE>'; see hmp --help")
        #expect(failure(["--ram", "--clock", "real"]) == "missing value for '--ram <SIZE>'; see hmp --help")
        #expect(failure(["--ram="]) == "missing value for '--ram <SIZE>'; see hmp --help")
        #expect(failure(["-c"]) == "missing value for '-c <LINES>'; see hmp --help")
        #expect(failure(["--version=1"]) == "the option '--version' takes no value, but '1' was given; see hmp --help")
        #expect(failure(["--rma", "1G"]) == "unknown option '--rma'; did you mean --ram? (see hmp --help)")
        #expect(failure(["-x"]) == "unknown option '-x'; see hmp --help for the options")
        #expect(failure(["-"]) == "unknown option '-'; see hmp --help for the options")
    }

    /// --help keeps the layout it had under swift-argument-parser.
    @Test func helpText() {
        GoldenFile.check(HelpText.render(includeHidden: false, width: 80) + "\n", "hmp-help.txt")
        GoldenFile.check(HelpText.render(includeHidden: true, width: 80) + "\n", "hmp-help-hidden.txt")
    }

    @Test func everyOptionIsInHelp() {
        let text = HelpText.render(includeHidden: true, width: 200)
        for spec in Option.all { #expect(text.contains("--" + spec.long), "--\(spec.long)") }
        #expect(Set(Option.all.map(\.long)).count == Option.all.count, "two options share a name")
        let shorts = Option.all.compactMap(\.short)
        #expect(Set(shorts).count == shorts.count, "two options share a short name")
    }

    /// Whatever is accepted reads back the same when written in the long `--name=value` form.
    @Test func acceptedLinesReadBackInTheLongForm() throws {
        var words: [String] = [
            "1G", "512", "virtual", "json", "info", "status", "-d", "", "--", "-", "-x", "--frobnicate", "-cinfo", "=", "--ram=",
        ]
        for spec in Option.all where spec.long != Option.help.long {
            words.append("--" + spec.long)
            if let short = spec.short { words.append("-\(short)") }
            if !spec.isFlag { words.append("--\(spec.long)=x") }
        }
        var rng = SeededGenerator(seed: 0x0971_0115)
        var accepted = 0
        for _ in 0..<3000 {
            let arguments = (0..<Int.random(in: 0...6, using: &rng)).map { _ in words.randomElement(using: &rng)! }
            guard let read = try? options(arguments) else { continue }
            accepted += 1
            var again: [String] = []
            for spec in Option.all where read.contains(spec) {
                again += spec.isFlag ? ["--" + spec.long] : read.values(spec).map { "--\(spec.long)=\($0)" }
            }
            // An empty value cannot be written with `=`.
            if again.contains(where: { $0.hasSuffix("=") }) { continue }
            let back = try options(again + ["--"] + read.line)
            #expect(back == read, "\(arguments)")
        }
        #expect(accepted > 300)
    }
}
