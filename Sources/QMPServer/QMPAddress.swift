/// Where a QMP server listens, written as QEMU's `-qmp` takes it: `unix:PATH` or
/// `tcp:[HOST]:PORT`, optionally followed by QEMU's chardev flags (`server=on`, `wait=off`,
/// and their old spellings `server`, `nowait`) so that a copied QEMU command line works.
public struct QMPAddress: Sendable, Equatable, CustomStringConvertible {
    public enum Endpoint: Sendable, Equatable {
        case unix(path: String)
        /// `host` is never empty: an empty host means loopback here (QEMU would listen on
        /// every interface; a test tool should not, unless told so).
        case tcp(host: String, port: UInt16)
    }

    public var endpoint: Endpoint
    /// `wait=on`: start only once a first client has connected (QEMU's default for a
    /// server chardev; hmp's default is not to wait).
    public var waitsForClient: Bool

    public init(endpoint: Endpoint, waitsForClient: Bool = false) {
        self.endpoint = endpoint
        self.waitsForClient = waitsForClient
    }

    public var description: String {
        switch endpoint {
        case .unix(let path): "unix:\(path)"
        case .tcp(let host, let port): host.contains(":") ? "tcp:[\(host)]:\(port)" : "tcp:\(host):\(port)"
        }
    }

    public static let expected = "expected unix:PATH or tcp:[HOST]:PORT, optionally with ,server=on,wait=off"

    /// Parses one `--qmp` value; the error says what is wrong and what is accepted.
    public static func parse(_ text: String) throws(QMPAddressError) -> QMPAddress {
        var parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let main = parts.removeFirst()
        var waits = false
        for flag in parts {
            switch flag {
            case "server", "server=on": break
            case "server=off":
                throw QMPAddressError("server=off (connecting out to a client) is not supported; hmp only listens")
            case "nowait", "wait=off": waits = false
            case "wait", "wait=on": waits = true
            case "nodelay", "nodelay=on": break
            case "": throw QMPAddressError("empty flag; \(expected)")
            default:
                throw QMPAddressError("unsupported flag '\(flag)'; accepted: server=on, wait=on|off, nodelay (and server, nowait)")
            }
        }
        if main.hasPrefix("unix:") {
            let path = String(main.dropFirst(5))
            guard !path.isEmpty else { throw QMPAddressError("unix: needs a socket path; \(expected)") }
            return QMPAddress(endpoint: .unix(path: path), waitsForClient: waits)
        }
        if main.hasPrefix("tcp:") {
            let rest = main.dropFirst(4)
            guard let colon = rest.lastIndex(of: ":") else {
                throw QMPAddressError("tcp: needs a port, as in tcp:127.0.0.1:4444 or tcp::4444")
            }
            var host = String(rest[..<colon])
            let portText = rest[rest.index(after: colon)...]
            guard let port = UInt16(portText) else {
                throw QMPAddressError("port '\(portText)' is not a number from 0 to 65535")
            }
            if host.hasPrefix("[") && host.hasSuffix("]") {
                host = String(host.dropFirst().dropLast())
            } else if host.contains(":") {
                throw QMPAddressError("an IPv6 host goes in brackets, as in tcp:[::1]:4444")
            }
            return QMPAddress(endpoint: .tcp(host: host.isEmpty ? "127.0.0.1" : host, port: port), waitsForClient: waits)
        }
        let kind = main.split(separator: ":", maxSplits: 1).first.map(String.init) ?? main
        throw QMPAddressError("'\(kind)' is not a transport hmp serves QMP on; \(expected)")
    }
}

public struct QMPAddressError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
