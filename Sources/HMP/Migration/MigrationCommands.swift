import QAPI

/// The migration commands and `info migrate*`.
enum MigrationCommands {
    static let commands: [HMPCommand] = [
        HMPCommand(
            "migrate", MigrateArguments.self,
            help: "migrate to URI (using -d to not wait for completion)", qmp: "migrate {uri, resume}",
            details: """
                Without -d it waits until the migration has completed (with its downtime), failed (with the \
                reason) or been cancelled, where QEMU's HMP stops waiting at the switchover; a state that waits \
                for the operator (pre-switchover, postcopy-paused) ends the wait with what to do. \
                On a terminal it shows progress meanwhile: percent done, transferred/total, throughput, \
                dirty rate, pass, expected downtime and ETA. Ctrl-C stops waiting but not the migration \
                (cancel it with migrate_cancel).
                """,
            handler: migrate),
        HMPCommand(
            "migrate_cancel", help: "cancel the current VM migration", qmp: "migrate_cancel",
            details: "Unlike QEMU, a failure is reported (e.g. during postcopy, which cannot be cancelled).",
            handler: { invocation throws(HMPError) in
                let beforeInfo = try invocation.run(QueryMigrateCommand.self, QAPIEmpty())
                let before = beforeInfo.status
                // The figures at the cancel, for `info migrate` once QEMU reports none.
                invocation.session.migrationObserver.record(beforeInfo)
                _ = try invocation.run(MigrateCancelCommand.self, QAPIEmpty())
                if !MigrationWait.isRunning(before) {
                    return invocation.done("No migration is running (\(before?.rawValue ?? "none")); nothing to cancel")
                }
                return invocation.done("Migration cancel requested; 'info migrate' shows when it has stopped")
            }),
        HMPCommand(
            "migrate_continue", StateArgument.self,
            help: "continue migration from the given paused state", qmp: "migrate-continue {state}",
            handler: { invocation, arguments throws(HMPError) in
                let name = arguments.state
                guard let state = MigrationStatus(rawValue: name) else {
                    guard invocation.format == .table else { throw .command(.generic("invalid parameter value: \(name)")) }
                    let states = MigrationStatus.wireNames
                    throw .command(
                        .generic(
                            "'\(name)' is not a migration state" + Suggestion.didYouMean(name, among: states),
                            hint: Suggestion.list("The states are", states)))
                }
                _ = try invocation.run(MigrateContinueCommand.self, MigrateContinueArguments(state: state))
                return invocation.done("Migration continues from \(state.rawValue)")
            }),
        HMPCommand(
            "migrate_incoming", IncomingURIArgument.self,
            help: "continue an incoming migration from an -incoming defer", qmp: "migrate-incoming {uri, exit-on-error: false}",
            handler: { invocation, arguments throws(HMPError) in
                let uri = arguments.uri
                _ = try invocation.run(MigrateIncomingCommand.self, MigrateIncomingArguments(uri: uri, exitOnError: false))
                return invocation.done("Waiting for the incoming migration on \(uri)")
            }),
        HMPCommand(
            "migrate_recover", RecoverURIArgument.self,
            help: "continue a paused incoming postcopy migration", qmp: "migrate-recover {uri}",
            handler: { invocation, arguments throws(HMPError) in
                let uri = arguments.uri
                _ = try invocation.run(MigrateRecoverCommand.self, MigrateRecoverArguments(uri: uri))
                return invocation.done("Listening on \(uri) to recover the paused postcopy migration")
            }),
        HMPCommand(
            "migrate_pause", help: "pause an ongoing migration (postcopy-only)", qmp: "migrate-pause",
            handler: { invocation throws(HMPError) in
                _ = try invocation.run(MigratePauseCommand.self, QAPIEmpty())
                return invocation.done("Postcopy migration paused; resume it with 'migrate -r URI'")
            }),
        HMPCommand(
            "migrate_set_capability", SetCapabilityArguments.self,
            help: "enable/disable the usage of a capability for migration", qmp: "migrate-set-capabilities",
            handler: setCapability),
        HMPCommand(
            "migrate_set_parameter", SetParameterArguments.self,
            help: "set the parameter for migration", qmp: "migrate-set-parameters",
            details: MigrationParameterDescriptor.valueRules,
            handler: setParameter),
        HMPCommand(
            "migrate_start_postcopy",
            help: "switch the running migration to postcopy mode (needs the postcopy-ram capability)",
            qmp: "migrate-start-postcopy",
            handler: { invocation throws(HMPError) in
                _ = try invocation.run(MigrateStartPostcopyCommand.self, QAPIEmpty())
                // QEMU's qmp_migrate_start_postcopy() only sets a flag: after the end nothing happens.
                let status = try invocation.run(QueryMigrateCommand.self, QAPIEmpty()).status
                if !MigrationWait.isRunning(status) {
                    return invocation.done("The migration has ended (\(status?.rawValue ?? "none")); nothing switches to postcopy")
                }
                return invocation.done("Switching to postcopy")
            }),
    ]

    static let infoCommands: [HMPCommand] = [
        HMPCommand(
            "migrate", InfoMigrateArguments.self,
            help: "show migration status (-a: all, dump all status)", qmp: "query-migrate",
            details:
                "The table format always shows every figure the migration reports; -a adds the migration globals. While a migration runs it also gives a verdict computed from the passes seen: converging (with the passes and time left), not converging (the dirty rate against the bandwidth, and what would help, with numbers), stalled (no bytes moved for 3 s) or throttled (auto-converge at N%). -v adds the pass history.",
            handler: { invocation, arguments throws(HMPError) in
                try MigrationInfoView.run(invocation, all: arguments.all, verbose: arguments.verbose)
            }),
        HMPCommand(
            "migrate_capabilities", help: "show current migration capabilities", qmp: "query-migrate-capabilities",
            handler: { invocation throws(HMPError) in
                let capabilities = try invocation.run(QueryMigrateCapabilitiesCommand.self, QAPIEmpty())
                return invocation.render(
                    reply: capabilities.qapi, table: { MigrationParametersFormat.table(capabilities) },
                    qemu: { MigrationParametersFormat.qemu(capabilities) })
            }),
        HMPCommand(
            "migrate_parameters", help: "show current migration parameters", qmp: "query-migrate-parameters",
            details: "The table format also shows the multifd compression levels, which QEMU's output leaves out.",
            handler: { invocation throws(HMPError) in
                let parameters = try invocation.run(QueryMigrateParametersCommand.self, QAPIEmpty())
                return invocation.render(
                    reply: parameters.qapi, table: { MigrationParametersFormat.table(parameters) },
                    qemu: { MigrationParametersFormat.qemu(parameters) })
            }),
    ]

    struct MigrateArguments: HMPArgumentValues {
        var detach = false
        var resume = false
        var uri = ""
        static let signature = HMPSignature<Self>(
            .flag("d", "detach", \.detach, help: "return at once; the migration runs in the background"),
            .flag("r", "resume", \.resume, help: "resume a paused postcopy migration"),
            .argument(
                "uri", .string, \.uri, completion: .migrationURI,
                help: "where to: tcp:HOST:PORT, unix:PATH, exec:CMD, file:PATH[,offset=N], rdma:HOST:PORT, vsock:CID:PORT, fd:NAME"))
    }

    struct StateArgument: HMPArgumentValues {
        var state = ""
        static let signature = HMPSignature<Self>(
            .argument(
                "state", .string, \.state, completion: .migrationStatus, help: "the state the migration is paused in, e.g. pre-switchover"))
    }

    struct IncomingURIArgument: HMPArgumentValues {
        var uri = ""
        static let signature = HMPSignature<Self>(
            .argument("uri", .string, \.uri, completion: .migrationURI, help: "where to listen, in the syntax of migrate's URI"))
    }

    struct RecoverURIArgument: HMPArgumentValues {
        var uri = ""
        static let signature = HMPSignature<Self>(
            .argument("uri", .string, \.uri, completion: .migrationURI, help: "the new address to listen on"))
    }

    struct SetCapabilityArguments: HMPArgumentValues {
        var capability = ""
        var state = false
        static let signature = HMPSignature<Self>(
            .argument("capability", .string, \.capability, completion: .capability, help: "a migration capability name"),
            .argument("state", .onOff, \.state, completion: .onOff, help: "the new state"))
    }

    struct SetParameterArguments: HMPArgumentValues {
        var parameter = ""
        var value = ""
        static let signature = HMPSignature<Self>(
            .argument("parameter", .string, \.parameter, completion: .parameter, help: "a migration parameter name"),
            .argument("value", .rest, \.value, completion: .parameterValue, help: "the new value; its unit depends on the parameter"))
    }

    struct InfoMigrateArguments: HMPArgumentValues {
        var all = false
        var verbose = false
        static let signature = HMPSignature<Self>(
            .flag(
                "a", "all", \.all,
                help: "also show the migration globals (and, in the qemu format, the XBZRLE, throttling and postcopy figures)"),
            .flag(
                "v", "verbose", \.verbose,
                help: "also show the pass history (table format): pass, duration, bytes sent, pages dirtied, rate"))
    }

    static func migrate(_ invocation: HMPInvocation, _ arguments: MigrateArguments) throws(HMPError) -> HMPOutput {
        let uri = arguments.uri
        let resume = arguments.resume
        // A resume is judged on its own outcome, not on the error of the attempt that paused.
        let earlierError = resume ? try invocation.run(QueryMigrateCommand.self, QAPIEmpty()).errorDesc : nil
        // The backend parses the URI, so its errors are the ones QEMU gives.
        _ = try invocation.run(MigrateCommand.self, QAPI.MigrateArguments(uri: uri, resume: resume))
        if !resume { invocation.session.migrationObserver.migrationStarted() }
        if arguments.detach {
            let verb = resume ? "Resuming the migration" : "Migration started"
            return invocation.done("\(verb) to \(uri); follow it with 'info migrate'")
        }
        // hmp_migrate(): "terminal does not allow synchronous migration, continuing detached".
        guard invocation.session.mayWait else {
            let text = "terminal does not allow synchronous migration, continuing detached\n"
            return invocation.render(reply: .object(JSONObject()), table: { text }, qemu: { text })
        }
        return try MigrationWait.run(invocation, earlierError: earlierError)
    }

    static func setCapability(_ invocation: HMPInvocation, _ arguments: SetCapabilityArguments) throws(HMPError) -> HMPOutput {
        let name = arguments.capability
        let state = arguments.state
        guard let capability = MigrationCapability(rawValue: name) else {
            return try RemoteMigrationSettings.setCapability(invocation, name: name, state: state)
        }
        let arguments = MigrateSetCapabilitiesArguments(capabilities: [MigrationCapabilityStatus(capability: capability, state: state)])
        _ = try invocation.run(MigrateSetCapabilitiesCommand.self, arguments)
        return invocation.done("\(capability.rawValue) set to \(onOff(state))")
    }

    static func setParameter(_ invocation: HMPInvocation, _ arguments: SetParameterArguments) throws(HMPError) -> HMPOutput {
        let name = arguments.parameter
        let value = arguments.value
        guard MigrationParameterDescriptor.named(name) != nil else {
            return try RemoteMigrationSettings.setParameter(invocation, name: name, value: value)
        }
        let parsed: MigrationParameterValue.Parsed
        do {
            parsed = try MigrationParameterValue.parse(name: name, value: value, hmpUnits: invocation.format == .table)
        } catch {
            throw .command(error)
        }
        _ = try invocation.run(MigrateSetParametersCommand.self, parsed.arguments)
        return invocation.done("\(name) set to \(parsed.echo)")
    }
}
