#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a QMP socket could not be opened.
public struct QMPServerError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A bound, listening, non-blocking socket, and what to undo when it closes.
final class ListeningSocket {
    let fd: Int32
    let address: QMPAddress
    /// The address as bound (a tcp port 0 becomes the port the kernel chose).
    let boundDescription: String
    /// The socket file this process created, with its identity, so that only that very file
    /// is removed at exit (not one a later server put at the same path).
    let createdFile: (path: String, device: UInt64, inode: UInt64)?

    private init(fd: Int32, address: QMPAddress, bound: String, createdFile: (String, UInt64, UInt64)?) {
        self.fd = fd
        self.address = address
        self.boundDescription = bound
        self.createdFile = createdFile.map { (path: $0.0, device: $0.1, inode: $0.2) }
    }

    static func open(_ address: QMPAddress) throws(QMPServerError) -> ListeningSocket {
        switch address.endpoint {
        case .unix(let path): try openUnix(path, address)
        case .tcp(let host, let port): try openTCP(host, port, address)
        }
    }

    /// Stops listening and removes the socket file if it is still the one created here.
    func close() {
        _ = closeDescriptor(fd)
        guard let file = createdFile else { return }
        var info = stat()
        if lstat(file.path, &info) == 0, UInt64(info.st_dev) == file.device, UInt64(info.st_ino) == file.inode {
            unlink(file.path)
        }
    }

    // MARK: unix

    private static func openUnix(_ path: String, _ address: QMPAddress) throws(QMPServerError) -> ListeningSocket {
        var socketAddress = sockaddr_un()
        let capacity = MemoryLayout.size(ofValue: socketAddress.sun_path)
        guard path.utf8.count < capacity else {
            throw QMPServerError("socket path '\(path)' is \(path.utf8.count) bytes long; a unix socket path holds at most \(capacity - 1)")
        }
        try replaceStaleSocket(at: path)
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { raw in
            for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
            raw[path.utf8.count] = 0
        }
        let fd = socket(AF_UNIX, streamType, 0)
        guard fd >= 0 else { throw systemError("cannot create a unix socket for '\(path)'") }
        // Mode 0600 from the start: the umask applies to the file bind() creates.
        let oldMask = umask(0o177)
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        umask(oldMask)
        guard bound == 0 else {
            let error = systemError("cannot bind '\(path)'")
            _ = closeDescriptor(fd)
            throw error
        }
        var info = stat()
        let identity: (String, UInt64, UInt64)? = lstat(path, &info) == 0 ? (path, UInt64(info.st_dev), UInt64(info.st_ino)) : nil
        guard listen(fd, 64) == 0 else {
            let error = systemError("cannot listen on '\(path)'")
            _ = closeDescriptor(fd)
            unlink(path)
            throw error
        }
        makeNonBlocking(fd)
        return ListeningSocket(fd: fd, address: address, bound: address.description, createdFile: identity)
    }

    /// A socket file left by a process that is gone is removed; a live server's socket or a
    /// file that is not a socket is left alone and refused.
    private static func replaceStaleSocket(at path: String) throws(QMPServerError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw QMPServerError("'\(path)' exists and is not a socket; refusing to replace it")
        }
        var probe = sockaddr_un()
        probe.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &probe.sun_path) { raw in
            for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
            raw[path.utf8.count] = 0
        }
        let fd = socket(AF_UNIX, streamType, 0)
        guard fd >= 0 else { throw systemError("cannot create a unix socket to probe '\(path)'") }
        let connected = withUnsafePointer(to: &probe) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        let probeError = errno
        _ = closeDescriptor(fd)
        if connected == 0 {
            throw QMPServerError("'\(path)' is in use: a server is listening on it")
        }
        guard probeError == ECONNREFUSED || probeError == ENOENT else {
            throw QMPServerError("cannot tell whether '\(path)' is in use: \(String(cString: strerror(probeError)))")
        }
        guard unlink(path) == 0 || errno == ENOENT else { throw systemError("cannot remove the stale socket '\(path)'") }
    }

    // MARK: tcp

    private static func openTCP(_ host: String, _ port: UInt16, _ address: QMPAddress) throws(QMPServerError) -> ListeningSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = streamType
        hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw QMPServerError("cannot resolve '\(host)': \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = QMPServerError("no address found for '\(host)'")
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            entry = current.pointee.ai_next
            let info = current.pointee
            let fd = socket(info.ai_family, streamType, 0)
            guard fd >= 0 else {
                lastError = systemError("cannot create a socket for '\(host)'")
                continue
            }
            var on: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
            guard bind(fd, info.ai_addr, info.ai_addrlen) == 0, listen(fd, 64) == 0 else {
                lastError = systemError("cannot listen on \(address.description)")
                _ = closeDescriptor(fd)
                continue
            }
            makeNonBlocking(fd)
            var bound = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            var boundPort = port
            let named = withUnsafeMutablePointer(to: &bound) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            if named == 0 {
                boundPort = withUnsafePointer(to: &bound) { pointer -> UInt16 in
                    if Int32(pointer.pointee.ss_family) == AF_INET6 {
                        return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
                    }
                    return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
                }
            }
            let shown = QMPAddress(endpoint: .tcp(host: host, port: boundPort)).description
            return ListeningSocket(fd: fd, address: address, bound: shown, createdFile: nil)
        }
        throw lastError
    }

    // MARK: helpers

    static func makeNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    static func systemError(_ what: String) -> QMPServerError {
        QMPServerError("\(what): \(String(cString: strerror(errno)))")
    }

    #if canImport(Glibc)
    static let streamType = Int32(SOCK_STREAM.rawValue)
    #else
    static let streamType = SOCK_STREAM
    #endif
}

/// close(2), named apart from the methods called `close` here.
@inline(__always)
func closeDescriptor(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.close(fd)
    #else
    Darwin.close(fd)
    #endif
}

/// accept(2), named apart from the server's own `accept`.
@inline(__always)
func acceptConnection(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>, _ length: UnsafeMutablePointer<socklen_t>) -> Int32 {
    #if canImport(Glibc)
    Glibc.accept(fd, address, length)
    #else
    Darwin.accept(fd, address, length)
    #endif
}
