import QAPI

/// help, info, quit, stop, cont, the generic info subcommands, and our `qmp` and `sleep`.
enum GenericCommands {
    static let commands: [HMPCommand] = [
        HMPCommand(
            "help", aliases: ["?"],
            arguments: [HMPArgument("cmd", .rest, optional: true, completion: .commandLine, help: "a command, or `info` and a subcommand")],
            help: "show the help", qmp: "none (local)",
            details: "Without an argument lists every command; `help info` lists the info subcommands; `help CMD` shows one command with its arguments, units and the QMP command it runs.",
            handler: help),
        HMPCommand(
            "info",
            arguments: [HMPArgument("subcommand", .string, optional: true, completion: .commandName, help: "what to show")],
            help: "show various information about the system state", qmp: "see the subcommands",
            handler: { invocation throws(HMPError) in
                try listInfo(invocation)
            }),
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
                return invocation.done("VM running")
            }),
        HMPCommand(
            "qmp",
            arguments: [
                HMPArgument("command", .string, completion: .commandName, help: "a QMP command name from the schema"),
                HMPArgument("arguments", .jsonObject, optional: true, help: "its arguments as a JSON object"),
            ],
            help: "run any QMP command and print its JSON reply", qmp: "the named command",
            details: "Arguments are checked against the schema before anything runs. The reply is printed as QMP sends it; an error reply makes the line fail.",
            handler: qmp),
        HMPCommand(
            "sleep",
            arguments: [HMPArgument("duration", .duration, help: "how long, e.g. 500ms, 2s, 1m")],
            help: "wait; on the virtual clock the model jumps ahead at once", qmp: "none (advances the model clock)",
            details: "On the real clock it waits; on the virtual clock time moves on instantly, so a script reads the same under both clocks.",
            handler: { invocation throws(HMPError) in
                invocation.backend.wait(nanoseconds: invocation.arguments.duration("duration") ?? 0)
                // Ctrl-C in the console cuts a real-clock wait short.
                if invocation.session.interrupted() { return invocation.done("sleep interrupted") }
                return invocation.done()
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
                let text = "\(v.qemu.major).\(v.qemu.minor).\(v.qemu.micro)\(v.package)\n"
                return invocation.render(reply: v.qapi, table: { text }, qemu: { text })
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
                return invocation.render(reply: .array(lines.map { .string($0) }), table: { text }, qemu: { text })
            }),
    ]

    // MARK: help

    static func helpLine(_ command: HMPCommand, prefix: String = "") -> String {
        "\(prefix)\(command.displayName) \(command.params) -- \(command.help)"
    }

    static func help(_ invocation: HMPInvocation) throws(HMPError) -> HMPOutput {
        let table = invocation.session.table
        let topic = invocation.arguments.string("cmd")?.split(separator: " ").map(String.init) ?? []
        let text: String
        switch topic.count {
        case 0:
            text = table.commands.map { helpLine($0) + "\n" }.joined()
        case 1 where topic[0] == "info":
            text = table.infoCommands.map { helpLine($0, prefix: "info ") + "\n" }.joined()
        default:
            let command: HMPCommand
            var prefix = ""
            if topic[0] == "info" {
                guard let c = table.infoCommand(named: topic[1]) else { throw .unknownCommand("unknown command: 'info \(topic[1])'") }
                command = c
                prefix = "info "
            } else {
                guard let c = table.command(named: topic[0]) else { throw .unknownCommand("unknown command: '\(topic[0])'") }
                command = c
            }
            if invocation.format == .qemu {
                text = helpLine(command, prefix: prefix) + "\n"
            } else {
                text = detailedHelp(command, prefix: prefix)
            }
        }
        return invocation.render(reply: .string(text), table: { text }, qemu: { text })
    }

    /// `help CMD` in table format: usage, what it does, each argument with its units, the QMP command.
    static func detailedHelp(_ command: HMPCommand, prefix: String) -> String {
        var out = helpLine(command, prefix: prefix) + "\n"
        if let details = command.details { out += "\n" + details + "\n" }
        var rows: [(String, String)] = []
        for f in command.flags { rows.append(("-\(f.letter)" + (f.valueKind == nil ? "" : " \(f.name)"), f.help)) }
        for a in command.arguments {
            var text = a.help
            if let unit = a.kind.unitNote { text += " (\(unit))" }
            if a.optional { text += "; optional" }
            rows.append((a.name, text))
        }
        if !rows.isEmpty { out += "\n" + TextTable.keyValue(rows) }
        out += "\nQMP: \(command.qmp)\n"
        return out
    }

    static func listInfo(_ invocation: HMPInvocation) throws(HMPError) -> HMPOutput {
        if let sub = invocation.arguments.string("subcommand") {
            throw .unknownCommand("unknown command: 'info \(sub)'")
        }
        let text = invocation.session.table.infoCommands.map { helpLine($0, prefix: "info ") + "\n" }.joined()
        return invocation.render(reply: .string(text), table: { text }, qemu: { text })
    }

    // MARK: qmp

    static func qmp(_ invocation: HMPInvocation) throws(HMPError) -> HMPOutput {
        let name = invocation.arguments.string("command") ?? ""
        var request = JSONObject()
        request.append("execute", .string(name))
        if let arguments = invocation.arguments.json("arguments") { request.append("arguments", arguments) }
        let reply = invocation.backend.dispatch(.object(request))
        let text = (invocation.format == .table ? JSONWriter(style: .pretty).string(reply) : reply.description) + "\n"
        if let error = reply["error"] {
            let errorClass = error["class"]?.stringValue.flatMap(QMPErrorClass.init(rawValue:)) ?? .genericError
            throw .command(QMPError(errorClass, error["desc"]?.stringValue ?? "\(error)"))
        }
        return HMPOutput(text)
    }
}
