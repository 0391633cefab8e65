import MigrationStream
import QAPI

/// The incoming side of a VM started in `inmigrate` (QEMU's `-incoming`): it listens on an
/// address and reports its own status. The model has no peer that connects to it, so after
/// `migrate-incoming` it stays listening.
public struct IncomingMigration: Sendable, Hashable {
    public internal(set) var status: MigrationStatus = .none
    /// The addresses it listens on, with the real port when port 0 was asked for.
    public internal(set) var socketAddresses: [SocketAddress] = []
    /// Whether a listener exists (QEMU refuses multifd/preempt changes after that).
    public internal(set) var started = false
    /// `migrate-incoming` was used (QEMU accepts it only once per process).
    public internal(set) var requested = false
    public internal(set) var exitOnError = true
    public internal(set) var address: MigrationAddress?
    /// Ports handed out for port-0 listeners, from the ephemeral range.
    var nextEphemeralPort = 49_152
}

extension MigrationEngine {
    /// `migrate-incoming`.
    public func migrateIncoming(uri: String?, channels: [MigrationChannel]?, exitOnError: Bool?) throws(QMPError) {
        if incoming.requested { throw QMPError.generic("The incoming migration has already been started") }
        if machine.runState != .inmigrate {
            throw QMPError.generic("'-incoming' was not specified on the command line")
        }
        incoming.exitOnError = exitOnError ?? true
        try startIncoming(uri: uri, channels: channels)
        incoming.requested = true
    }

    /// `-incoming URI` on the command line: errors end up as the incoming side's failure.
    func startIncomingAtLaunch(uri: String) {
        do throws(QMPError) {
            try startIncoming(uri: uri, channels: nil)
        } catch {
            incoming.status = .failed
            setError(error.desc)
        }
        incoming.requested = true
    }

    /// `migrate-recover`, run on the destination of a paused postcopy migration.
    public func recover(uri: String) throws(QMPError) {
        if incoming.status != .postcopyPaused {
            throw QMPError.generic("Migrate recover can only be run when postcopy is paused.")
        }
        incoming.socketAddresses = []
        try startIncoming(uri: uri, channels: nil)
    }

    /// QEMU's `qemu_start_incoming_migration`.
    private func startIncoming(uri: String?, channels: [MigrationChannel]?) throws(QMPError) {
        if (uri == nil) == (channels == nil) {
            throw QMPError.generic("need either 'uri' or 'channels' argument")
        }
        var address: MigrationAddress
        if let channels {
            if channels.count != 1 {
                throw QMPError.generic("Channel list must have only one entry, for type 'main'")
            }
            address = channels[0].addr
        } else {
            address = try MigrationURI.parse(uri ?? "")
        }
        try checkTransport(address, cprChannel: nil, outgoing: false)
        if incoming.status != .none && incoming.status != .postcopyPaused {
            throw QMPError.generic("Illegal migration incoming state: \(incoming.status.rawValue)")
        }

        switch address {
        case .socket(.fd(let fd)):
            throw QMPError.generic("File descriptor named '\(fd.str)' has not been found")
        case .socket(.inet(var inet)):
            if inet.port == "0" && machine.transport == nil {
                inet.port = String(incoming.nextEphemeralPort)
                incoming.nextEphemeralPort += 1
            }
            address = .socket(.inet(inet))
            incoming.socketAddresses = [.inet(inet)]
        case .socket(let socket):
            incoming.socketAddresses = [socket]
        case .exec:
            if !machine.configuration.allowExec { throw ExecPolicy.refusal }
        case .rdma:
            rdmaInUse = true
        case .file:
            break
        }
        incoming.address = address
        incoming.started = true
        if incoming.status != .postcopyPaused {
            incoming.status = .setup
            if capabilities[.events] { machine.events.emit(MigrationEvent(status: .setup), at: machine.now) }
        }
        if case .file(let file) = address {
            // A file is there to be read at once: the load finishes before the command returns.
            loadStream(path: file.filename, offset: file.offset)
        } else if let transport = machine.transport, address.isRealTransport {
            let stream = IncomingStream(machine: machine)
            incomingStream = stream
            let bound = try transport.listen(
                address,
                receive: { [weak self] bytes in self?.receive(bytes) },
                ended: { [weak self] error in self?.incomingConnectionEnded(error) })
            if let bound { incoming.socketAddresses = [bound] }
        }
    }
}

extension MigrationAddress {
    /// tcp:, unix: and exec: (allowed before this is asked), which the transport really opens.
    var isRealTransport: Bool {
        switch self {
        case .socket(.inet(let inet)): !inet.isRehearsalAddress
        case .socket(.unix), .exec: true
        default: false
        }
    }
}

/// An incoming stream being read from a connection.
final class IncomingStream {
    var decoder: StreamDecoder
    var loader: StreamLoader
    var sawData = false

    init(machine: VirtualMachine) {
        decoder = StreamDecoder(description: StreamDescription(devices: machine.knownDevices))
        loader = StreamLoader(machine: machine)
    }
}

extension MigrationEngine {
    /// Whether a real connection (listening, or connected) is to deliver the incoming stream.
    public var awaitsIncomingStream: Bool { incomingStream != nil }

    /// Bytes from the incoming connection.
    func receive(_ bytes: ArraySlice<UInt8>) {
        guard let stream = incomingStream else { return }
        if !stream.sawData {
            stream.sawData = true
            incoming.status = .active
            if capabilities[.events] { machine.events.emit(MigrationEvent(status: .active), at: machine.now) }
        }
        stream.decoder.feed(bytes)
        drainIncoming(stream)
    }

    func incomingConnectionEnded(_ error: String?) {
        guard let stream = incomingStream else { return }
        stream.decoder.finish()
        drainIncoming(stream)
        if incomingStream != nil {
            failIncoming(error ?? "the connection closed before the end of the stream")
        }
    }

    private func drainIncoming(_ stream: IncomingStream) {
        do throws(StreamError) {
            while let record = try stream.decoder.next() {
                try stream.loader.apply(record)
                if case .vmDescription = record.record { break }
            }
        } catch {
            failIncoming(error.description)
            return
        }
        if stream.decoder.isComplete || stream.loaderDone {
            incomingStream = nil
            machine.transport?.stopListening()
            finishIncoming(stream.loader)
        }
    }

    private func failIncoming(_ text: String) {
        incomingStream = nil
        machine.transport?.stopListening()
        incoming.status = .failed
        setError("load of migration failed: \(text)")
        if capabilities[.events] { machine.events.emit(MigrationEvent(status: .failed), at: machine.now) }
    }
}

extension IncomingStream {
    /// The description came (it ends every stream QEMU and hmp write).
    var loaderDone: Bool { loader.sawDescription }
}

/// The model never runs commands unless the operator allowed `exec:` at start-up.
enum ExecPolicy {
    static let refusal = QMPError.generic(
        "exec: migration is disabled: this model runs no commands unless exec migration was allowed when it was started")
}
