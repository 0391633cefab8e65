import ArgumentParser
import Console
import EventLoop
import HMP
import Machine
import MigrationSockets
import Monitor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Picks the mode from the command line and runs it; answers the exit status.
enum HMPMain {
    static func run(_ arguments: [String]) -> Int32 {
        // swift-argument-parser answers this option itself with its own script; ours is
        // generated from the command table, so it is taken out first.
        if let shell = completionScriptRequest(arguments) {
            guard let s = CompletionScripts.Shell(rawValue: shell) else {
                return usage(
                    "invalid --generate-completion-script '\(shell)': expected \(Settings.choices(CompletionScripts.Shell.allCases.map(\.rawValue)))")
            }
            OutputSink(fileDescriptor: STDOUT_FILENO).write(CompletionScripts.render(s))
            return ExitStatus.success.rawValue
        }
        let settings: Settings
        do {
            let options = try QuickOptionScanner.scan(arguments) ?? HMPCommandLine.parse(arguments).raw
            // The line after the options is captured as is, --help included.
            if let first = options.line.first, ["--help", "-h", "--help-hidden"].contains(first) {
                let output = OutputSink(fileDescriptor: STDOUT_FILENO)
                output.write(HMPCommandLine.helpMessage(includeHidden: first == "--help-hidden") + "\n")
                return ExitStatus.success.rawValue
            }
            settings = try Settings(options)
        } catch let error as UsageError {
            return usage(error.description)
        } catch {
            return parserError(error)
        }
        let output = OutputSink(fileDescriptor: STDOUT_FILENO)

        switch settings.mode {
        case .version:
            output.write("swift-hmp \(HMPVersion.string)\n")
            return ExitStatus.success.rawValue
        case .manPage:
            output.write(ManPage.render(version: HMPVersion.string))
            return ExitStatus.success.rawValue
        default:
            break
        }

        // One loop serves everything; a wait on the real clock turns it instead of sleeping.
        let loop = EventLoop()
        let backend: InProcessBackend
        do {
            // On the real clock tcp: and unix: migrations use real sockets served by the loop.
            backend = try BackendFactory.make(settings.machine, transport: SocketTransport(loop: loop))
        } catch {
            return usage(error.description)
        }
        BackendFactory.installHumanMonitor(on: backend)
        backend.realTimeWait = { nanoseconds in loop.run(forAtMost: nanoseconds) { false } }
        let session = HMPSession(backend: backend, format: settings.format)

        if case .complete(let words) = settings.mode {
            for candidate in ShellCompletion.candidates(words: words, session: session) { output.write(candidate + "\n") }
            return ExitStatus.success.rawValue
        }

        let errors = OutputSink(fileDescriptor: STDERR_FILENO, flushesEachWrite: true)
        let runner = CommandRunner(
            session: session, output: output, errors: errors, errorStyle: .forTerminal(STDERR_FILENO),
            events: EventFormatter(format: settings.format, originMicroseconds: backend.machine.wallClockEpochMicroseconds))

        let interactive = settings.mode == .standardInput && isatty(STDIN_FILENO) == 1 && (isatty(STDOUT_FILENO) == 1 || isatty(STDERR_FILENO) == 1)
        if !interactive {
            // A batch on an incoming VM runs after the migration: its connection is served
            // until the stream is loaded or has failed.
            let incoming = backend.machine.migration
            _ = loop.run(forAtMost: UInt64.max / 2) { incoming.incoming.status != .setup && incoming.incoming.status != .active || incoming.incoming.address == nil || backend.machine.transport == nil }
        }
        if interactive {
            let history = settings.historyFile ?? (settings.usesDefaultHistory ? HistoryLocation.defaultPath() : nil)
            let greeting = "swift-hmp \(HMPVersion.string) monitor - type 'help' for more information"
            if let console = InteractiveConsole(runner: runner, historyPath: history, greeting: greeting, eventLoop: loop) {
                return console.run().rawValue
            }
        }

        // Someone at a terminal sees a foreground migration's progress on it.
        if isatty(STDOUT_FILENO) == 1 {
            let progress = ProgressLine(sink: output, usesEscapes: TextStyle.forTerminal(STDOUT_FILENO).enabled)
            session.progress = { text in progress.draw(text) }
            runner.afterCommand = { progress.finish() }
        }
        let batch = BatchRunner(runner: runner, stopOnError: settings.stopOnError)
        switch settings.mode {
        case .script(let text):
            return batch.run(script: text).rawValue
        case .oneShot(let words):
            return batch.run(arguments: words).rawValue
        default:
            var reader = InputLineReader(fileDescriptor: STDIN_FILENO)
            return batch.run(reader: &reader).rawValue
        }
    }

    /// The value of --generate-completion-script among the options, if it is there.
    static func completionScriptRequest(_ arguments: [String]) -> String? {
        let option = "--" + CommandLineOptions.generateCompletionScript.long
        for (index, argument) in arguments.enumerated() {
            if argument == "--" || !argument.hasPrefix("-") { return nil }  // the HMP line starts
            if argument == option { return index + 1 < arguments.count ? arguments[index + 1] : "" }
            if argument.hasPrefix(option + "=") { return String(argument.dropFirst(option.count + 1)) }
        }
        return nil
    }

    /// One line on stderr, status 2.
    static func usage(_ message: String) -> Int32 {
        let errors = OutputSink(fileDescriptor: STDERR_FILENO, flushesEachWrite: true)
        errors.write("hmp: \(message)\n")
        return ExitStatus.usage.rawValue
    }

    /// --help, or a mistake swift-argument-parser found (an unknown option, a missing value).
    static func parserError(_ error: any Error) -> Int32 {
        let code = HMPCommandLine.exitCode(for: error)
        if code == .success {
            let output = OutputSink(fileDescriptor: STDOUT_FILENO)
            output.write(HMPCommandLine.fullMessage(for: error) + "\n")
            return ExitStatus.success.rawValue
        }
        var message = HMPCommandLine.message(for: error)
        if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
        let first = message.split(separator: "\n").first.map(String.init) ?? message
        return usage(first.prefix(1).lowercased() + first.dropFirst() + "; see hmp --help")
    }
}
