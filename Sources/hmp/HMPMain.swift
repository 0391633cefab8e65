import Backend
import Console
import EventLoop
import HMP
import Machine
import MigrationSockets
import Monitor
import QMPClient

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Picks the mode from the command line and runs it; answers the exit status.
enum HMPMain {
    static func run(_ arguments: [String]) -> Int32 {
        let settings: Settings
        do {
            switch try CommandLineParser.parse(arguments) {
            case .help(let includeHidden):
                OutputSink(fileDescriptor: STDOUT_FILENO).write(HelpText.render(includeHidden: includeHidden) + "\n")
                return ExitStatus.success.rawValue
            case .options(let options):
                settings = try Settings(options)
            }
        } catch {
            return usage(error.description)
        }
        let output = OutputSink(fileDescriptor: STDOUT_FILENO)

        switch settings.mode {
        case .version:
            output.write("swift-hmp \(HMPVersion.string)\n")
            return ExitStatus.success.rawValue
        case .manPage:
            output.write(ManPage.render(version: HMPVersion.string))
            return ExitStatus.success.rawValue
        case .completionScript(let shell):
            output.write(CompletionScripts.render(shell))
            return ExitStatus.success.rawValue
        default:
            break
        }

        // One loop serves everything; a wait on the real clock turns it instead of sleeping.
        let loop = EventLoop()
        if let remote = settings.remote {
            // Real QEMUs over QMP instead of the model.
            let group: VMGroup
            do {
                group = try RemoteBackendFactory.connect(remote, loop: loop)
            } catch {
                OutputSink(fileDescriptor: STDERR_FILENO, flushesEachWrite: true).write(
                    TextStyle.forTerminal(STDERR_FILENO).failure(error.description) + "\n")
                return ExitStatus.failure.rawValue
            }
            return runConsole(
                settings, backend: group, loop: loop, originMicroseconds: RemoteBackendFactory.nowMicroseconds(),
                greeting: RemoteBackendFactory.greeting(group, version: HMPVersion.string), servesWhileReading: true,
                sessionMade: { session in group.waitInterrupted = { [unowned session] in session.interrupted() } })
        }
        let backend: InProcessBackend
        do {
            // On the real clock tcp: and unix: migrations use real sockets served by the loop.
            backend = try BackendFactory.make(settings.machine, transport: SocketTransport(loop: loop))
        } catch {
            return usage(error.description)
        }
        BackendFactory.installHumanMonitor(on: backend)
        backend.realTimeWait = { nanoseconds in loop.run(forAtMost: nanoseconds) { false } }
        var serving: QMPServing?
        if !settings.qmp.isEmpty, !settings.mode.isCompletion {
            do {
                serving = try QMPServing(addresses: settings.qmp, backend: backend, loop: loop, serveOnly: settings.noConsole)
            } catch {
                return usage(error.description)
            }
        }
        defer { serving?.finish() }
        if let serving {
            if !settings.noConsole { serving.removeSocketFilesOnTermination() }
            serving.waitForClientIfAsked()
            if settings.noConsole { return serving.serveUntilQuit() }
        }
        let interactive =
            settings.mode == .standardInput && isatty(STDIN_FILENO) == 1 && (isatty(STDOUT_FILENO) == 1 || isatty(STDERR_FILENO) == 1)
        if !interactive && !settings.mode.isCompletion {
            // A batch on an incoming VM runs after the migration: its connection is served
            // until the stream is loaded or has failed.
            let engine = backend.machine.migration
            _ = loop.run(forAtMost: UInt64.max / 2) { !engine.awaitsIncomingStream }
        }
        return runConsole(
            settings, backend: serving?.consoleBackend ?? backend, loop: loop,
            originMicroseconds: backend.machine.wallClockEpochMicroseconds,
            quitRequested: serving == nil ? nil : { backend.quitRequested },
            sessionMade: { session in
                // Ctrl-C in the console ends a wait early (sleep, a foreground migrate, a snapshot job).
                backend.realTimeWait = { [unowned session] nanoseconds in loop.run(forAtMost: nanoseconds) { session.interrupted() } }
            },
            beforeDying: { serving?.finish() })
    }

    /// The console, a batch, or completion over `backend`. `quitRequested` tells when a QMP
    /// client asked the served VM to quit (the console and the batch end then);
    /// `servesWhileReading` keeps the loop turning while a batch waits for input.
    static func runConsole(
        _ settings: Settings, backend: any MonitorBackend, loop: EventLoop, originMicroseconds: UInt64,
        greeting: String = "swift-hmp \(HMPVersion.string) monitor - type 'help' for more information",
        quitRequested: (() -> Bool)? = nil, servesWhileReading: Bool = false, sessionMade: (HMPSession) -> Void,
        beforeDying: () -> Void = {}
    ) -> Int32 {
        let output = OutputSink(fileDescriptor: STDOUT_FILENO)
        let session = HMPSession(backend: backend, format: settings.format)
        let outputStyle = TextStyle.forTerminal(STDOUT_FILENO)
        if outputStyle.enabled { session.failureStyle = outputStyle.failureLine }
        sessionMade(session)
        // Help on a terminal wraps at word boundaries to its width ($COLUMNS, else the ioctl).
        if isatty(STDOUT_FILENO) == 1 { session.terminalColumns = { HelpText.terminalWidth() } }
        session.dryRun = settings.dryRun
        session.eventHistory.capacity = settings.eventHistory
        if let path = settings.logEvents {
            do {
                try EventLog.attach(path: path, to: session.eventHistory)
            } catch {
                return usage(error.description)
            }
        }

        if case .complete(let words) = settings.mode {
            for candidate in ShellCompletion.candidates(words: words, session: session) { output.write(candidate + "\n") }
            return ExitStatus.success.rawValue
        }

        let errors = OutputSink(fileDescriptor: STDERR_FILENO, flushesEachWrite: true)
        let runner = CommandRunner(
            session: session, output: output, errors: errors, errorStyle: .forTerminal(STDERR_FILENO),
            events: EventFormatter(
                format: settings.format, originMicroseconds: originMicroseconds, modelTime: !backend.waitsInRealTime,
                style: outputStyle))

        if settings.mode == .standardInput, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 || isatty(STDERR_FILENO) == 1 {
            if let problem = EditLineLibrary.load() {
                errors.write("hmp: \(problem)\nhmp: the interactive console needs it; commands can still come from -c or a pipe\n")
                return ExitStatus.failure.rawValue
            }
            let history = settings.historyFile ?? (settings.usesDefaultHistory ? HistoryLocation.defaultPath() : nil)
            if let console = InteractiveConsole(runner: runner, historyPath: history, greeting: greeting, eventLoop: loop) {
                // A QMP client's `quit` ends the console too, as it ends QEMU.
                if let quitRequested { console.endsWhen = quitRequested }
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
        // SIGTERM or SIGHUP: stop after the running command (a wait ends early), write out
        // what finished commands printed, then die of the signal.
        Termination.install()
        session.interrupted = { Termination.signal != nil }
        defer {
            beforeDying()  // the socket files go before the signal ends the process
            Termination.dieIfSignalled()
        }
        switch settings.mode {
        case .script(let text):
            return batch.run(script: text).rawValue
        case .oneShot(let words):
            return batch.run(arguments: words).rawValue
        default:
            var reader = InputLineReader(fileDescriptor: STDIN_FILENO)
            if let quitRequested {
                // Clients stay served while the batch waits for its next line.
                reader.eventLoop = loop
                reader.endsWhen = { quitRequested() || Termination.signal != nil }
            } else if servesWhileReading {
                // QEMU sockets stay read (events, a QEMU going away) while the batch waits.
                reader.eventLoop = loop
                reader.endsWhen = { Termination.signal != nil }
            } else {
                reader.endsWhen = { Termination.signal != nil }
            }
            return batch.run(reader: &reader).rawValue
        }
    }

    /// One line on stderr, status 2.
    static func usage(_ message: String) -> Int32 {
        let errors = OutputSink(fileDescriptor: STDERR_FILENO, flushesEachWrite: true)
        errors.write(TextStyle.forTerminal(STDERR_FILENO).failure(message) + "\n")
        return ExitStatus.usage.rawValue
    }
}
