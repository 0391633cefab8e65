import QAPI

/// help, info, quit, stop, cont, the generic info subcommands, and our `qmp` and `sleep`.
enum GenericCommands {
    static let commands: [HMPCommand] = [
        HMPCommand(
            "help", aliases: ["?"], HelpArguments.self,
            help: "show the help", qmp: "none (local)",
            details:
                "Without an argument lists every command; `help info` lists the info subcommands; `help CMD` shows one command with its arguments, units and the QMP command it runs.",
            handler: help),
        HMPCommand(
            "info", InfoArguments.self,
            help: "show various information about the system state", qmp: "see the subcommands",
            handler: listInfo),
        HMPCommand(
            "quit", aliases: ["q"], help: "quit the console", qmp: "quit",
            handler: { invocation throws(HMPError) in
                guard invocation.session.confirmQuit() else { return invocation.done("Not quitting") }
                _ = try invocation.run(QuitCommand.self, QAPIEmpty())
                invocation.session.requestQuit()
                return invocation.done()
            }),
        HMPCommand(
            "stop", aliases: ["s"], help: "stop emulation", qmp: "stop",
            details: "Unlike QEMU, a failure is reported rather than ignored.",
            handler: { invocation throws(HMPError) in
                _ = try invocation.run(StopCommand.self, QAPIEmpty())
                return invocation.done("VM paused")
            }),
        HMPCommand(
            "cont", aliases: ["c"], help: "resume emulation", qmp: "cont",
            handler: { invocation throws(HMPError) in
                _ = try invocation.run(ContCommand.self, QAPIEmpty())
                // QEMU's qmp_cont() on an incoming VM only asks it to start once migrated.
                if let status = try? invocation.run(QueryStatusCommand.self, QAPIEmpty()), !status.running {
                    if status.status == .inmigrate {
                        return invocation.done("The VM starts when the incoming migration completes (status inmigrate)")
                    }
                    return invocation.done("The VM did not start (status \(status.status.rawValue))")
                }
                return invocation.done("VM running")
            }),
        HMPCommand(
            "qmp", QMPArguments.self,
            help: "run any QMP command and print its JSON reply", qmp: "the named command",
            details:
                "Arguments are checked against the schema before anything runs. The reply is printed as QMP sends it; an error reply makes the line fail.",
            handler: qmp),
        HMPCommand(
            "sleep", SleepArguments.self,
            help: "wait; on the virtual clock the model jumps ahead at once", qmp: "none (advances the model clock)",
            details:
                "On the real clock it waits; on the virtual clock time moves on instantly, so a script reads the same under both clocks.",
            handler: { invocation, arguments throws(HMPError) in
                invocation.backend.wait(nanoseconds: arguments.nanoseconds)
                // Ctrl-C in the console cuts a real-clock wait short.
                if invocation.session.interrupted() { return invocation.done("sleep interrupted") }
                return invocation.done("Slept \(Confirmation.duration(nanoseconds: arguments.nanoseconds))")
            }),
    ]

    static let infoCommands: [HMPCommand] = [
        HMPCommand(
            "status", help: "show the current VM status (running|paused)", qmp: "query-status",
            handler: { invocation throws(HMPError) in
                let status = try invocation.run(QueryStatusCommand.self, QAPIEmpty())
                let line: String
                if status.running {
                    line = "VM status: running"
                } else if status.status == .paused {
                    line = "VM status: paused"
                } else {
                    line = "VM status: paused (\(status.status.rawValue))"
                }
                return invocation.render(
                    reply: status.qapi, table: { TextTable.keyValue([("VM status", status.status.rawValue)]) },
                    qemu: { line + "\n" })
            }),
        HMPCommand(
            "version", help: "show the version of the monitor", qmp: "query-version",
            handler: { invocation throws(HMPError) in
                let v = try invocation.run(QueryVersionCommand.self, QAPIEmpty())
                // QEMU's hmp_info_version() prints the package right after the version, no space.
                let version = "\(v.qemu.major).\(v.qemu.minor).\(v.qemu.micro)"
                let table = version + (v.package.isEmpty ? "" : " (\(v.package))") + "\n"
                return invocation.render(reply: v.qapi, table: { table }, qemu: { version + v.package + "\n" })
            }),
        HMPCommand(
            "name", help: "show the current VM name", qmp: "query-name",
            handler: { invocation throws(HMPError) in
                let n = try invocation.run(QueryNameCommand.self, QAPIEmpty())
                return invocation.render(
                    reply: n.qapi, table: { n.name.map { $0 + "\n" } ?? "(no name)\n" }, qemu: { n.name.map { $0 + "\n" } ?? "" })
            }),
        HMPCommand(
            "history", help: "show the command line history", qmp: "none (local)",
            handler: { invocation in
                let lines = invocation.session.history()
                let text = lines.enumerated().map { "\($0.offset): '\($0.element)'\n" }.joined()
                // A batch keeps no history.
                let table = lines.isEmpty ? "The history is empty (only the console keeps one)\n" : text
                return invocation.render(reply: .array(lines.map { .string($0) }), table: { table }, qemu: { text })
            }),
    ]

    // MARK: help

    /// The terminal's width for the table format's help; nil (no wrapping) for a pipe or a
    /// file, and for `--format qemu`, whose lines are QEMU's.
    static func helpWidth(_ invocation: HMPInvocation) -> Int? {
        guard invocation.format == .table else { return nil }
        return invocation.session.terminalColumns?()
    }

    /// A `name params -- help` line wrapped with its continuation lines indented.
    static func wrapped(_ line: String, _ width: Int?) -> String {
        guard let width else { return line }
        return HelpWrapping.wrap(line, width: width, indent: 4)
    }

    /// `name params -- help`, as `help_cmd_dump_one()` prints it; `--format qemu` takes QEMU's
    /// own text where it differs from the row's.
    static func helpLine(_ command: HMPCommand, prefix: String = "", format: OutputFormat = .table) -> String {
        if format == .qemu, let qemu = QEMUHelpText.line(for: prefix + command.name) {
            return "\(prefix)\(command.displayName) \(qemu.params ?? command.params) -- \(qemu.help)"
        }
        return "\(prefix)\(command.displayName) \(command.params) -- \(command.help)"
    }

    struct HelpArguments: HMPArgumentValues {
        var topic: String?
        static let signature = HMPSignature<Self>(
            .argument("cmd", .rest, \.topic, completion: .commandLine, help: "a command, or `info` and a subcommand"))
    }

    struct InfoArguments: HMPArgumentValues {
        var subcommand: String?
        static let signature = HMPSignature<Self>(
            .argument("subcommand", .string, \.subcommand, completion: .commandName, help: "what to show"))
    }

    struct QMPArguments: HMPArgumentValues {
        var command = ""
        var arguments: JSONValue?
        static let signature = HMPSignature<Self>(
            .argument("command", .string, \.command, completion: .commandName, help: "a QMP command name from the schema"),
            .argument("arguments", .jsonObject, \.arguments, help: "its arguments"))
    }

    struct SleepArguments: HMPArgumentValues {
        var nanoseconds: UInt64 = 0
        static let signature = HMPSignature<Self>(
            .argument("duration", .duration, \.nanoseconds, help: "how long"))
    }

    static func help(_ invocation: HMPInvocation, _ arguments: HelpArguments) throws(HMPError) -> HMPOutput {
        let table = invocation.session.table
        let topic = arguments.topic?.split(separator: " ").map(String.init) ?? []
        let text: String
        let width = helpWidth(invocation)
        if topic.isEmpty {
            text = table.commands.map { wrapped(helpLine($0, format: invocation.format), width) + "\n" }.joined()
        } else {
            guard var command = table.command(named: topic[0]) else { throw .unknownCommand("unknown command: '\(topic[0])'") }
            var prefix = ""
            // `help info` lists the sub-table; `help info status` explains one of its rows.
            if let subTable = command.subTable {
                guard topic.count > 1 else {
                    let text = Self.listing(subTable, prefix: command.name + " ", format: invocation.format, width: width)
                    return invocation.render(reply: .string(text), table: { text }, qemu: { text })
                }
                guard let row = command.subcommand(named: topic[1]) else {
                    throw .unknownCommand("unknown command: '\(command.name) \(topic[1])'")
                }
                prefix = command.name + " "
                command = row
            }
            if invocation.format == .qemu {
                text = helpLine(command, prefix: prefix, format: .qemu) + "\n"
            } else {
                text = detailedHelp(command, prefix: prefix, width: width)
            }
        }
        return invocation.render(reply: .string(text), table: { text }, qemu: { text })
    }

    /// `help CMD` in table format: usage, what it does, each argument with its units, the QMP command.
    static func detailedHelp(_ command: HMPCommand, prefix: String, width: Int? = nil) -> String {
        var out = wrapped(helpLine(command, prefix: prefix), width) + "\n"
        if let details = command.details { out += "\n" + (width.map { HelpWrapping.wrap(details, width: $0) } ?? details) + "\n" }
        var rows: [(String, String)] = []
        for f in command.flags { rows.append(("-\(f.letter)" + (f.valueKind == nil ? "" : " \(f.name)"), f.help)) }
        for a in command.arguments {
            var text = a.help
            if let unit = a.kind.unitNote { text += " (\(unit))" }
            if a.shownOptional { text += "; optional" }
            rows.append((a.name, text))
        }
        if !rows.isEmpty { out += "\n" + HelpWrapping.keyValue(rows, width: width) }
        out += "\nQMP: \(command.qmp)\n"
        return out
    }

    static func listing(_ rows: [HMPCommand], prefix: String, format: OutputFormat = .table, width: Int? = nil) -> String {
        rows.map { wrapped(helpLine($0, prefix: prefix, format: format), width) + "\n" }.joined()
    }

    /// `info` alone lists its sub-table (the parser takes `info NAME` to the row itself).
    static func listInfo(_ invocation: HMPInvocation, _ arguments: InfoArguments) throws(HMPError) -> HMPOutput {
        if let sub = arguments.subcommand {
            throw .unknownCommand("unknown command: 'info \(sub)'")
        }
        let text = listing(invocation.session.table.infoCommands, prefix: "info ", format: invocation.format, width: helpWidth(invocation))
        return invocation.render(reply: .string(text), table: { text }, qemu: { text })
    }

    // MARK: qmp

    static func qmp(_ invocation: HMPInvocation, _ arguments: QMPArguments) throws(HMPError) -> HMPOutput {
        var request = JSONObject()
        request.append("execute", .string(arguments.command))
        if let json = arguments.arguments { request.append("arguments", json) }
        let reply = invocation.backend.dispatch(.object(request))
        let text = (invocation.format == .table ? JSONWriter(style: .pretty).string(reply) : reply.description) + "\n"
        if let error = reply["error"] {
            let errorClass = error["class"]?.stringValue.flatMap(QMPErrorClass.init(rawValue:)) ?? .genericError
            throw .command(QMPError(errorClass, error["desc"]?.stringValue ?? "\(error)"))
        }
        return HMPOutput(text)
    }
}
