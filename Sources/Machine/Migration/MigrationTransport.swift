import QAPI

/// A real connection that an outgoing migration's bytes go through. The channel pulls bytes
/// from the engine when it can send (`produce`: an empty answer means "nothing now, I will
/// `wake()` you", nil means the stream is complete) and reports once how it ended.
public protocol MigrationConnection: AnyObject {
    func start(produce: @escaping () -> [UInt8]?, ended: @escaping (_ error: String?) -> Void)
    /// More bytes became available.
    func wake()
    /// Closes the connection at once (cancel); `ended` is not called.
    func close()
}

/// Opens real connections for migrations: tcp:, unix: and (when allowed) exec:. Installed by
/// whoever runs the model on the real clock; without one, migrations to those addresses are
/// simulated and move no bytes.
public protocol MigrationTransport: AnyObject {
    /// Starts connecting; a refused connection ends the channel with QEMU's
    /// `Failed to connect to ...` text.
    func connect(_ address: MigrationAddress) -> any MigrationConnection
    /// Listens for one incoming connection and hands its bytes over as they arrive; answers
    /// the address actually bound (the port chosen for port 0).
    func listen(
        _ address: MigrationAddress, receive: @escaping (ArraySlice<UInt8>) -> Void,
        ended: @escaping (_ error: String?) -> Void
    ) throws(QMPError) -> SocketAddress?
    /// Stops listening and drops the incoming connection.
    func stopListening()
}

extension InetSocketAddress {
    /// Hosts in the ranges reserved for documentation (RFC 5737's TEST-NETs, RFC 3849's
    /// 2001:db8::/32): unreachable on purpose, so migrations to them stay rehearsals that move
    /// no bytes, even on the real clock.
    public var isRehearsalAddress: Bool {
        let host = self.host.lowercased()
        if host.hasPrefix("2001:db8:") || host.hasPrefix("2001:0db8:") { return true }
        return ["192.0.2.", "198.51.100.", "203.0.113."].contains { host.hasPrefix($0) }
    }
}
