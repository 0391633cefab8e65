import QAPI

extension MigrationEngine {
    /// `migrate`, with QEMU's checks in QEMU's order. Syntax and policy errors fail the
    /// command; connection problems show up later as a `failed` status with `error-desc`, as
    /// they do in QEMU, whose connect is asynchronous.
    public func migrate(uri: String?, channels: [MigrationChannel]?, resume: Bool = false) throws(QMPError) {
        if (uri == nil) == (channels == nil) {
            throw QMPError.generic("need either 'uri' or 'channels' argument")
        }
        var main: MigrationAddress
        var cprChannel: MigrationChannel?
        if let channels {
            var seen: [MigrationChannelType: MigrationChannel] = [:]
            for channel in channels {
                if seen[channel.channelType] != nil {
                    throw QMPError.generic("Channel list has more than one \(channel.channelType.rawValue) entry")
                }
                seen[channel.channelType] = channel
            }
            guard let mainChannel = seen[.main] else { throw QMPError.generic("Channel list has no main entry") }
            main = mainChannel.addr
            cprChannel = seen[.cpr]
        } else {
            main = try MigrationURI.parse(uri ?? "")
        }
        try checkTransport(main, cprChannel: cprChannel, outgoing: true)
        if settings.mode == .cprTransfer && cprChannel == nil {
            throw QMPError.generic("missing 'cpr' migration channel")
        }

        if resume {
            try resumePostcopy(to: main)
            return
        }
        try checkCanStart()
        startRun(to: main)

        // What QEMU finds out synchronously while opening the channels.
        if settings.mode == .cprTransfer {
            guard case .socket(.unix) = cprChannel?.addr else {
                throw failNow("bad cpr channel address; must be unix")
            }
        }
        switch main {
        case .socket(.fd(let fd)):
            throw failNow("File descriptor named '\(fd.str)' has not been found")
        case .exec where !machine.configuration.allowExec:
            throw failNow(ExecPolicy.refusal.desc)
        case .file(let file) where file.filename.isEmpty:
            throw failNow("Unable to open : No such file or directory")
        case .file(let file):
            do {
                run?.outputFile = try StreamOutputFile(path: file.filename, offset: file.offset)
            } catch {
                throw failNow(error.desc)
            }
        default:
            break
        }
    }

    /// QEMU's `migration_channels_and_transport_compatible` and the RDMA capability check;
    /// plus the cpr-transfer rule that a TCP port must be given explicitly.
    func checkTransport(_ address: MigrationAddress, cprChannel: MigrationChannel?, outgoing: Bool) throws(QMPError) {
        let isFile: Bool
        if case .file = address { isFile = true } else { isFile = false }
        if capabilities[.mappedRam] && !isFile {
            throw QMPError.generic("Migration requires seekable transport (e.g. file)")
        }
        if capabilities[.multifd] || capabilities[.postcopyPreempt] {
            let multiChannel: Bool
            switch address {
            case .socket(.inet), .socket(.unix), .socket(.vsock): multiChannel = true
            case .file: multiChannel = capabilities[.mappedRam]
            default: multiChannel = false
            }
            if !multiChannel { throw QMPError.generic("Migration requires multi-channel URIs (e.g. tcp)") }
        }
        if capabilities[.multifd] && settings.directIo && !isFile {
            throw QMPError.generic("Migration requires a transport that allows for extra fds (e.g. file)")
        }
        if settings.mode == .cprTransfer {
            if isFile { throw QMPError.generic("Migration requires streamable transport (eg unix)") }
            if case .socket(.inet(let inet)) = address, inet.port == "0" {
                throw QMPError.generic("cpr-transfer needs a fixed port: port 0 is not supported")
            }
        }
        if case .rdma = address { try CapabilityRules.checkRDMA(capabilities) }
    }

    /// QEMU's `migrate_prepare` for a new migration.
    private func checkCanStart() throws(QMPError) {
        if isRunning { throw QMPError.generic("There's a migration process in progress") }
        switch machine.runState {
        case .inmigrate: throw QMPError.generic("Guest is waiting for an incoming migration")
        case .postmigrate: throw QMPError.generic("Can't migrate the vm that was paused due to previous migration")
        default: break
        }
        if capabilities[.mappedRam] {
            if !settings.tlsCreds.isEmpty { throw QMPError.generic("Cannot use TLS with mapped-ram") }
            if settings.multifdCompression != .none { throw QMPError.generic("Cannot use compression with mapped-ram") }
        }
        if settings.mode != .normal {
            var conflict: String?
            if capabilities[.postcopyRam] || capabilities[.dirtyBitmaps] {
                conflict = "postcopy"
            } else if capabilities[.backgroundSnapshot] {
                conflict = "background snapshot"
            } else if capabilities[.xColo] {
                conflict = "COLO"
            }
            if let conflict { throw QMPError.generic("Cannot use \(conflict) with CPR") }
        }
    }

    /// `migrate` with `resume`: reconnects a paused postcopy migration.
    private func resumePostcopy(to address: MigrationAddress) throws(QMPError) {
        guard status == .postcopyPaused, run != nil else {
            throw QMPError.generic("Cannot resume if there is no paused migration")
        }
        if capabilities[.releaseRam] {
            throw QMPError.generic("Postcopy recovery cannot work when release-ram capability is set")
        }
        run?.route = MigrationRoute(address)
        // QEMU's migrate_prepare() frees the error of the attempt that paused: what
        // query-migrate reports from here on is this attempt's.
        setError(nil)
        setStatus(.postcopyRecoverSetup)
        let deadline = machine.now + after(roundTripSeconds)
        run?.stepDeadline = deadline
    }

    /// Marks the new migration failed with `text` (QEMU's `migration_connect_set_error`) and
    /// returns the error for the command to report.
    private func failNow(_ text: String) -> QMPError {
        fail(text)
        return QMPError.generic(text)
    }

    /// `migrate_cancel`. Nothing to do when no migration runs; refused in postcopy, where the
    /// source can no longer take the guest back.
    public func cancel() throws(QMPError) {
        if inPostcopy { throw QMPError.generic("Postcopy migration in progress, cannot cancel.") }
        guard isRunning, status != .cancelling else { return }
        // The destination sees the connection close mid-stream and fails, as QEMU's does.
        run?.connection?.close()
        run?.connection = nil
        run?.pump = nil
        run?.awaitingDrain = false
        setStatus(.cancelling)
        let deadline = machine.now + after(roundTripSeconds + 0.001)
        run?.stepDeadline = deadline
    }

    /// `migrate-continue`: releases a migration paused before switch-over. Like QEMU, a call
    /// whose state matches while nothing is paused is remembered and releases the next pause.
    public func continueMigration(expecting state: MigrationStatus) throws(QMPError) {
        if status != state { throw QMPError.generic("Migration not in expected state: \(status.rawValue)") }
        guard run != nil else { return }
        if status == .preSwitchover {
            releasePause()
        } else {
            run?.pendingContinues += 1
        }
    }

    /// `migrate-start-postcopy`: asks the running migration to switch to postcopy.
    public func startPostcopy() throws(QMPError) {
        if !(capabilities[.postcopyRam] || capabilities[.dirtyBitmaps]) {
            throw QMPError.generic("Enable postcopy with migrate_set_capability before the start of migration")
        }
        if status == .none { throw QMPError.generic("Postcopy must be started after migration has been started") }
        // Like QEMU, asking after the migration ended is not an error.
        if isRunning { run?.postcopyRequested = true }
    }

    /// `migrate-pause`: breaks the connection of a postcopy migration, which then waits for
    /// `migrate` with `resume`.
    public func pause() throws(QMPError) {
        if status == .postcopyActive || status == .postcopyRecover {
            pausePostcopy(error: "Postcopy migration is paused by the user")
            return
        }
        throw QMPError.generic("migrate-pause is currently only supported during postcopy-active or postcopy-recover state")
    }
}

extension MigrationRoute {
    init(_ address: MigrationAddress) {
        switch address {
        case .socket(let socket): self = .socket(socket)
        case .rdma(let inet): self = .rdma(inet)
        case .file(let file): self = .file(file)
        case .exec(let exec): self = .exec(exec.args)
        }
    }
}
