/// The simulated path from this host to migration destinations: one network link (any
/// well-formed tcp:, unix:, vsock: or rdma: address is reachable through it) and the local
/// disk that `file:` migrations write to.
public struct NetworkLink: Sendable, Hashable {
    /// Link speed in bits per second.
    public var bandwidthBitsPerSecond: UInt64
    /// One-way latency in microseconds.
    public var latencyMicroseconds: UInt64
    /// Write speed of the disk behind `file:` URIs, in bytes per second.
    public var diskBytesPerSecond: UInt64
    /// Throughput of the pipe to an `exec:` command, in bytes per second.
    public var pipeBytesPerSecond: UInt64

    public init(
        bandwidthBitsPerSecond: UInt64 = 10_000_000_000,
        latencyMicroseconds: UInt64 = 200,
        diskBytesPerSecond: UInt64 = 1 << 30,
        pipeBytesPerSecond: UInt64 = 2 << 30
    ) {
        self.bandwidthBitsPerSecond = bandwidthBitsPerSecond
        self.latencyMicroseconds = latencyMicroseconds
        self.diskBytesPerSecond = diskBytesPerSecond
        self.pipeBytesPerSecond = pipeBytesPerSecond
    }

    /// Link speed in bytes per second.
    public var bytesPerSecond: Double { Double(bandwidthBitsPerSecond) / 8 }
    /// One-way latency in seconds.
    public var latencySeconds: Double { Double(latencyMicroseconds) / 1e6 }
}

/// A fault the operator has armed on the link.
public enum LinkFault: Sendable, Hashable {
    /// Connections to `host` (any destination when nil) are refused until cleared.
    case refuseConnection(host: String?)
    /// The connection of the running migration breaks at `time`.
    case dropLink(at: ModelTime)
}
