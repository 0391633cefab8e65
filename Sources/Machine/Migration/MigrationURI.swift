import QAPI

/// The legacy URI syntax of `migrate` / `migrate-incoming` (QEMU's `migrate_uri_parse`,
/// `socket_parse`, `inet_parse`), turned into the schema's `MigrationAddress`.
public enum MigrationURI {
    public static func parse(_ uri: String) throws(QMPError) -> MigrationAddress {
        if let command = uri.dropPrefix("exec:") {
            return .exec(MigrationExecCommand(args: ["/bin/sh", "-c", command]))
        }
        if let rest = uri.dropPrefix("rdma:") {
            return .rdma(try parseInet(rest))
        }
        if uri.hasPrefix("tcp:") || uri.hasPrefix("unix:") || uri.hasPrefix("vsock:") || uri.hasPrefix("fd:") {
            return .socket(try parseSocket(uri))
        }
        if let spec = uri.dropPrefix("file:") {
            return .file(try parseFile(spec))
        }
        throw QMPError.generic("unknown migration protocol: \(uri)")
    }

    /// `socket_parse` for the prefixes migration accepts.
    static func parseSocket(_ text: String) throws(QMPError) -> SocketAddress {
        if let path = text.dropPrefix("unix:") {
            if path.isEmpty { throw QMPError.generic("invalid Unix socket address") }
            return .unix(UnixSocketAddress(path: path))
        }
        if let name = text.dropPrefix("fd:") {
            if name.isEmpty { throw QMPError.generic("invalid file descriptor address") }
            return .fd(FdSocketAddress(str: name))
        }
        if let rest = text.dropPrefix("vsock:") {
            return .vsock(try parseVsock(rest))
        }
        return .inet(try parseInet(text.dropPrefix("tcp:") ?? text))
    }

    /// `inet_parse`: `host:port`, `:port` or `[v6addr]:port`, then `,option` flags.
    static func parseInet(_ text: String) throws(QMPError) -> InetSocketAddress {
        let bytes = Array(text.utf8)
        var host = ""
        var port = ""
        var i = 0
        if bytes.first == UInt8(ascii: ":") {
            i = 1
            port = scan(bytes, &i, max: 32) { $0 != UInt8(ascii: ",") }
            if port.isEmpty { throw QMPError.generic("error parsing port in address '\(text)'") }
        } else if bytes.first == UInt8(ascii: "[") {
            i = 1
            host = scan(bytes, &i, max: 64) { $0 != UInt8(ascii: "]") }
            guard !host.isEmpty, i + 1 < bytes.count, bytes[i] == UInt8(ascii: "]"), bytes[i + 1] == UInt8(ascii: ":")
            else { throw QMPError.generic("error parsing IPv6 address '\(text)'") }
            i += 2
            port = scan(bytes, &i, max: 32) { $0 != UInt8(ascii: ",") }
            if port.isEmpty { throw QMPError.generic("error parsing IPv6 address '\(text)'") }
        } else {
            host = scan(bytes, &i, max: 64) { $0 != UInt8(ascii: ":") }
            guard !host.isEmpty, i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
                throw QMPError.generic("error parsing address '\(text)'")
            }
            i += 1
            port = scan(bytes, &i, max: 32) { $0 != UInt8(ascii: ",") }
            if port.isEmpty { throw QMPError.generic("error parsing address '\(text)'") }
        }
        var address = InetSocketAddress(host: host, port: port)
        let options = String(decoding: bytes[i...], as: UTF8.self)
        for option in options.split(separator: ",") {
            let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
            switch parts[0] {
            case "to":
                guard parts.count == 2, let to = UInt16(parts[1]) else {
                    throw QMPError.generic("error parsing to= argument")
                }
                address.to = to
            case "ipv4": address.ipv4 = try flag("ipv4", parts)
            case "ipv6": address.ipv6 = try flag("ipv6", parts)
            case "keep-alive": address.keepAlive = try flag("keep-alive", parts)
            case "numeric": address.numeric = try flag("numeric", parts)
            default: break  // QEMU's parser looks only for the options it knows
            }
        }
        return address
    }

    private static func flag(_ name: String, _ parts: [String]) throws(QMPError) -> Bool {
        guard parts.count == 2 else { return true }
        switch parts[1] {
        case "on", "yes", "true", "y": return true
        case "off", "no", "false", "n": return false
        default: throw QMPError.generic("error parsing '\(name)' flag '=\(parts[1])'")
        }
    }

    /// `vsock_parse`: `cid:port`, both decimal.
    static func parseVsock(_ text: String) throws(QMPError) -> VsockSocketAddress {
        let bytes = Array(text.utf8)
        var i = 0
        let isDigit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
        let cid = scan(bytes, &i, max: 32, isDigit)
        guard !cid.isEmpty, i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
            throw QMPError.generic("error parsing address '\(text)'")
        }
        i += 1
        let port = scan(bytes, &i, max: 32, isDigit)
        if port.isEmpty { throw QMPError.generic("error parsing address '\(text)'") }
        if i != bytes.count { throw QMPError.generic("trailing characters in address '\(text)'") }
        return VsockSocketAddress(cid: cid, port: port)
    }

    /// `file:PATH[,offset=SIZE]`.
    static func parseFile(_ spec: String) throws(QMPError) -> FileMigrationArgs {
        guard let range = spec.range(of: ",offset=") else { return FileMigrationArgs(filename: spec, offset: 0) }
        let option = String(spec[range.upperBound...])
        guard let offset = SizeParser.parse(option) else {
            throw QMPError.generic("file URI has bad offset \(option): Invalid argument")
        }
        return FileMigrationArgs(filename: String(spec[..<range.lowerBound]), offset: offset)
    }

    /// `sscanf("%N[set]")`: up to `max` bytes while `accept` holds; at least one for a match.
    private static func scan(_ bytes: [UInt8], _ i: inout Int, max: Int, _ accept: (UInt8) -> Bool) -> String {
        let start = i
        while i < bytes.count, i - start < max, accept(bytes[i]) { i += 1 }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }
}

extension MigrationAddress {
    /// The address in the legacy URI form, for messages and listings.
    public var uriDescription: String {
        switch self {
        case .socket(let socket): socket.uriDescription
        case .exec(let exec): "exec:" + exec.args.joined(separator: " ")
        case .rdma(let inet): "rdma:" + inet.hostPort
        case .file(let file): file.offset == 0 ? "file:\(file.filename)" : "file:\(file.filename),offset=\(file.offset)"
        }
    }
}

extension SocketAddress {
    public var uriDescription: String {
        switch self {
        case .inet(let inet): "tcp:" + inet.hostPort
        case .unix(let unix): "unix:" + unix.path
        case .vsock(let vsock): "vsock:\(vsock.cid):\(vsock.port)"
        case .fd(let fd): "fd:" + fd.str
        }
    }
}

extension InetSocketAddress {
    /// `host:port`, with brackets around IPv6 hosts.
    var hostPort: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension String {
    func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }

    func range(of needle: String) -> Range<String.Index>? {
        guard !needle.isEmpty, needle.count <= count else { return nil }
        var start = startIndex
        while let end = index(start, offsetBy: needle.count, limitedBy: endIndex) {
            if self[start..<end] == needle { return start..<end }
            if start == endIndex { break }
            start = index(after: start)
        }
        return nil
    }
}

/// QEMU's `qemu_strtosz`: bytes, 1024-based suffixes B K M G T P E, decimal fractions with a
/// suffix, hex without one.
enum SizeParser {
    static func parse(_ text: String) -> UInt64? {
        if text.isEmpty { return nil }
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            return UInt64(text.dropFirst(2), radix: 16)
        }
        var digits = text
        var scale: UInt64 = 1
        if let last = text.last, !last.isNumber, last != "." {
            let shifts: [Character: UInt64] = ["b": 0, "k": 10, "m": 20, "g": 30, "t": 40, "p": 50, "e": 60]
            guard let shift = shifts[Character(last.lowercased())] else { return nil }
            scale = 1 << shift
            digits = String(text.dropLast())
        }
        if let whole = UInt64(digits) {
            let (value, overflow) = whole.multipliedReportingOverflow(by: scale)
            return overflow ? nil : value
        }
        guard scale > 1, let fraction = Double(digits), fraction >= 0, digits.first != "-" else { return nil }
        let value = (fraction * Double(scale)).rounded()
        return value < 1.8e19 ? UInt64(value) : nil
    }
}
