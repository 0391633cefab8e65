import Backend
import QAPI

/// `explain LINE` and `--dry-run`: the QMP requests a line maps to, with every unit resolved,
/// printed one per line so they can be pasted into any QMP client. Nothing is changed.
enum Explain {
    /// The requests `line` would send; throws what the line would fail with before sending
    /// anything (a typo, a bad value).
    static func steps(for line: String, in session: HMPSession) throws(HMPError) -> (steps: [ExplainingBackend.Step], local: Bool) {
        guard let parsed = try HMPLineParser(table: session.table, readsHMPUnits: session.format == .table).parse(line) else {
            return ([], true)
        }
        let backend = ExplainingBackend(real: session.backend)
        let shadow = HMPSession(backend: backend, table: session.table, format: .json, interactive: false)
        // Waits end at once: the explanation is what would be sent, not what would come back.
        shadow.interrupted = { true }
        shadow.history = session.history
        do {
            _ = try parsed.command.handler(HMPInvocation(command: parsed.command, arguments: parsed.arguments, session: shadow))
        } catch {
            // A failure before any request is the line's own mistake; after one, the line
            // went as far as it can be followed without running.
            if backend.requests.isEmpty, !isReplyDependence(error) { throw error }
        }
        return (backend.steps, parsed.command.qmp.hasPrefix("none"))
    }

    static func isReplyDependence(_ error: HMPError) -> Bool {
        if case .command(let e) = error { return e.desc.hasPrefix("the rest depends on the reply") }
        return false
    }

    /// The text `explain` prints: one request a line, then notes starting with `#`.
    static func text(for line: String, in session: HMPSession) throws(HMPError) -> String {
        let (steps, local) = try steps(for: line, in: session)
        var out = ""
        var sent = 0
        for step in steps {
            switch step {
            case .request(let request):
                out += request.description + "\n"
                sent += 1
            case .then(let wait):
                out += "# then: \(wait)\n"
            }
        }
        if sent == 0 { out = (local ? "# no QMP request: runs in the console\n" : "# no QMP request\n") + out }
        return out
    }

    struct Arguments: HMPArgumentValues {
        var line = ""
        static let signature = HMPSignature<Arguments>(
            .argument("line", .rest, \.line, completion: .commandLine, help: "a command line, as it would be typed"))
    }

    static let command = HMPCommand(
        "explain", Arguments.self,
        help: "print the QMP requests a command line maps to, without running it", qmp: "none (local; runs only queries)",
        details: """
            Prints each request the line would send, one JSON object a line, with units resolved \
            (migrate_set_parameter max-bandwidth 1G gives "max-bandwidth": 1073741824), so a session typed \
            by hand can become a script for any QMP client. Queries the line needs to build its requests \
            run (and are listed); nothing that changes state runs, and no time passes. Where the console \
            would wait in between (sleep, a foreground migrate, a snapshot job), a note `# then: LINE` \
            gives the console line that waits the same way. `hmp --dry-run` explains every line of a batch instead of running it.
            """,
        handler: { invocation, arguments throws(HMPError) in
            let text = try text(for: arguments.line, in: invocation.session)
            return HMPOutput(text)
        })
}

extension HMPSession {
    /// `--dry-run`: a line is explained instead of run.
    func explainInstead(_ line: String) -> HMPLineResult {
        do {
            return HMPLineResult(output: try Explain.text(for: line, in: self), error: nil)
        } catch {
            switch format {
            case .json: return HMPLineResult(output: JSONValue.object(["error": error.qmpValue]).description + "\n", error: "")
            case .table, .qemu: return HMPLineResult(output: "", error: errorText(error) + "\n")
            }
        }
    }
}
