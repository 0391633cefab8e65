/// Migration URIs, a gap in QEMU's completion: the scheme first, then its usual parts
/// (`tcp:localhost:4444`, a path after `unix:` and `file:`).
struct MigrationURICompleter {
    var files = FileNameCompleter()

    static let schemes = ["tcp:", "unix:", "file:", "exec:", "rdma:", "vsock:", "fd:"]
    /// Hosts worth offering after `tcp:`: this machine, and every address for listening.
    static let hosts = ["localhost", "127.0.0.1", "0.0.0.0", "[::1]", "[::]"]
    /// The port QEMU's documentation uses in every migration example.
    static let port = "4444"
    static let hint = "URI: tcp:HOST:PORT, unix:PATH, file:PATH, exec:COMMAND, rdma:HOST:PORT, vsock:CID:PORT, fd:NAME"

    /// `extras` are whole words allowed besides URIs (`defer` for an incoming migration).
    func candidates(_ word: String, extras: [String] = []) -> (candidates: [String], hint: String?) {
        guard let colon = word.firstIndex(of: ":") else { return (Self.schemes + extras, Self.hint) }
        let scheme = String(word[...colon])
        let rest = String(word[word.index(after: colon)...])
        switch scheme {
        case "tcp:", "rdma:":
            return (hostPort(scheme: scheme, rest), "\(scheme)HOST:PORT")
        case "unix:", "file:":
            let hint = scheme == "file:" ? "file:PATH[,offset=BYTES]" : "unix:PATH of a socket"
            return (files.candidates(rest).map { scheme + $0 }, hint)
        case "vsock:":
            // CID 2 is the host as seen from a guest.
            return (rest.contains(":") ? [] : ["vsock:2:"], "vsock:CID:PORT")
        case "exec:":
            return ([], "exec:COMMAND, run by /bin/sh (needs --allow-exec)")
        case "fd:":
            return ([], "fd:NAME of a file descriptor passed with getfd")
        default:
            return ([], Self.hint)
        }
    }

    private func hostPort(scheme: String, _ rest: String) -> [String] {
        // The host ends at the last colon outside brackets: [::1]:4444.
        if let portColon = Self.portSeparator(in: rest) {
            return [scheme + rest[...portColon] + Self.port]
        }
        let known = Self.hosts.filter { $0.hasPrefix(rest) }
        // A host we do not know is taken as typed in full: offer the colon after it.
        if known.isEmpty, !rest.isEmpty, !rest.hasPrefix("[") || rest.hasSuffix("]") { return [scheme + rest + ":"] }
        return known.map { scheme + $0 + ":" }
    }

    static func portSeparator(in hostPort: String) -> String.Index? {
        var depth = 0
        var found: String.Index?
        for i in hostPort.indices {
            switch hostPort[i] {
            case "[": depth += 1
            case "]": depth -= 1
            case ":" where depth == 0: found = i
            default: break
            }
        }
        return found
    }
}
