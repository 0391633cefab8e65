/// Where a QEMU's QMP monitor listens: `unix:PATH` or `tcp:HOST:PORT`, optionally behind a
/// console name (`src=unix:/run/a.qmp`).
public struct QEMUAddress: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case unix(path: String)
        case tcp(host: String, port: UInt16)
    }

    public var kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public var description: String {
        switch kind {
        case .unix(let path): "unix:\(path)"
        case .tcp(let host, let port): "tcp:\(host):\(port)"
        }
    }

    public static let accepted = "unix:PATH or tcp:HOST:PORT"

    /// Parses `unix:PATH` or `tcp:HOST:PORT` (an IPv6 host in brackets).
    public static func parse(_ text: String) throws(QMPClientError) -> QEMUAddress {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst(5))
            guard !path.isEmpty else { throw .usage("'\(text)' has no socket path; expected \(accepted)") }
            guard path.utf8.count < 108 else { throw .usage("socket path '\(path)' is longer than 107 bytes") }
            return QEMUAddress(.unix(path: path))
        }
        if text.hasPrefix("tcp:") {
            let rest = text.dropFirst(4)
            guard let colon = rest.lastIndex(of: ":") else { throw .usage("'\(text)' has no port; expected \(accepted)") }
            var host = String(rest[..<colon])
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard let port = UInt16(rest[rest.index(after: colon)...]), port > 0 else {
                throw .usage("'\(text)' has no valid port (1-65535); expected \(accepted)")
            }
            return QEMUAddress(.tcp(host: host.isEmpty ? "localhost" : host, port: port))
        }
        throw .usage("'\(text)' is not a QMP address; expected \(accepted)")
    }

    /// `NAME=ADDRESS` or a bare address (then named `vm1`, `vm2`... by position).
    public static func parseNamed(_ text: String, position: Int) throws(QMPClientError) -> (name: String, address: QEMUAddress) {
        if let equals = text.firstIndex(of: "="), !text[..<equals].contains(":") {
            let name = String(text[..<equals])
            guard isValidName(name) else {
                throw .usage("invalid VM name '\(name)': use letters, digits, '-' and '_', starting with a letter")
            }
            return (name, try parse(String(text[text.index(after: equals)...])))
        }
        return ("vm\(position)", try parse(text))
    }

    /// Names are typed after `@` and in `use`: letters, digits, `-`, `_`; `all` is taken.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII, name != "all" else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
        }
    }
}

/// What goes wrong talking to a QEMU, worded for the operator.
public enum QMPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A bad `--connect` value.
    case usage(String)
    /// Could not connect or negotiate.
    case connect(String)

    public var description: String {
        switch self {
        case .usage(let text), .connect(let text): text
        }
    }
}
