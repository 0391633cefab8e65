import HMP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Batch mode: `hmp < ops.txt`, `hmp -c 'LINE; LINE'`, `hmp info migrate`.
///
/// No prompt, no echo, no history. Results go to standard output, errors to standard error
/// behind the number of the line (or command) that failed. A batch never stops on a bad
/// line unless asked to, and whatever the input holds it never crashes.
public final class BatchRunner {
    public let runner: CommandRunner
    /// Stop at the first command that fails (`--stop-on-error`).
    public var stopOnError: Bool
    /// Set when reading the input failed (not its end).
    private var inputFailed = false

    /// Events appear in the output only in json format, where each is a self-describing QMP
    /// object as on the QMP wire; in the text formats they would break the results a script
    /// reads (the REPL shows them).
    public init(runner: CommandRunner, stopOnError: Bool = false) {
        self.runner = runner
        self.stopOnError = stopOnError
        runner.showsEvents = runner.session.format == .json
    }

    public var session: HMPSession { runner.session }

    /// Runs every line from `reader`; errors say `line N: `. A line may hold several
    /// commands separated by `;`, and `#` starts a comment.
    public func run(reader: inout InputLineReader) -> ExitStatus {
        var number = 0
        while let line = reader.next() {
            number += 1
            if let bytes = reader.overlongLineBytes {
                runner.failures += 1
                runner.report(
                    "Error: line too long (\(bytes) bytes); at most \(reader.maximumLineBytes) bytes are read", label: "line \(number): ")
                if stopOnError { break }
                continue
            }
            guard runCommands(Self.commands(in: line), label: { "line \(number): " }) else { break }
        }
        if let code = reader.readError {
            runner.errors.write(runner.errorStyle.failure("cannot read the input: \(String(cString: strerror(code)))") + "\n")
            inputFailed = true
        }
        return finish()
    }

    /// Runs the text of `-c` options: commands separated by `;` or newlines. With more than
    /// one command, errors say `command N: `.
    public func run(script: String) -> ExitStatus {
        let commands = CommandSplitter.split(script).filter { !Self.isBlank($0) }
        for (index, command) in commands.enumerated() {
            guard runCommands([command], label: { commands.count > 1 ? "command \(index + 1): " : "" }) else { break }
        }
        return finish()
    }

    /// Runs one command line given as program arguments (`hmp info migrate`).
    public func run(arguments: [String]) -> ExitStatus {
        // `hmp 'info status'`: one argument holding blanks cannot be a command name, so it is
        // the whole line, quoted by the caller; it is read as a line (as -c would).
        if arguments.count == 1, arguments[0].contains(where: { $0 == " " || $0 == "\t" }) {
            return run(script: arguments[0])
        }
        _ = runCommands([Self.joinArguments(arguments)], label: { "" })
        return finish()
    }

    /// The commands of one input line: split at `;`, comments dropped. Most lines have
    /// neither, and are passed on as they are.
    static func commands(in line: String) -> [String] {
        let plain = !line.utf8.contains { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "\"") }
        return plain ? [line] : CommandSplitter.split(line, separators: [";"])
    }

    /// `label` is made only when a command fails.
    private func runCommands(_ commands: [String], label: () -> String) -> Bool {
        for command in commands where !Self.isBlank(command) {
            let ok = runner.runCommand(command, label: label)
            if session.quitRequested || runner.output.failed || Termination.signal != nil { return false }
            if !ok && stopOnError { return false }
        }
        return true
    }

    private func finish() -> ExitStatus {
        runner.output.flush()
        if runner.output.failed {
            // Said once, on stderr: the results did not arrive (a full disk, a closed pipe).
            let reason = String(cString: strerror(runner.output.failureErrno))
            runner.errors.write(runner.errorStyle.failure("cannot write the output: \(reason)") + "\n")
        }
        runner.errors.flush()
        if runner.output.failed || inputFailed { return .failure }
        // A wait that timed out is 2 when it is all that went wrong, so scripts can branch on it.
        if runner.failures > 0, runner.failures == runner.timeouts { return .timedOut }
        return runner.failures == 0 ? .success : .failure
    }

    static func isBlank(_ text: String) -> Bool { HMPWords.isBlank(text) }

    /// Program arguments as one HMP line. The shell already split the words; each is written
    /// back so the HMP parser reads it as the same word (`HMPWords.quoted`).
    public static func joinArguments(_ arguments: [String]) -> String {
        arguments.map(HMPWords.quoted).joined(separator: " ")
    }
}
