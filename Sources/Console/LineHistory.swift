import CEditLine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a history file could not be read or written.
public enum HistoryFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file exists but is not a libedit history file (or cannot be read).
    case unreadable(path: String)
    case cannotCreateDirectory(path: String, errno: Int32)
    case cannotWrite(path: String, errno: Int32)
    /// A device, FIFO, directory or socket: never replaced by a regular file.
    case notRegularFile(path: String)
    /// A file that does not start as libedit's history files do (someone's notes, a shell's history).
    case notHistory(path: String)
    /// A file of another user: replacing it would change its owner.
    case otherOwner(path: String)
    /// A file with other hard links: replacing it would split them.
    case hardLinked(path: String)

    public var description: String {
        switch self {
        case .notRegularFile(let path):
            "history file \(path) is not a regular file; it is left alone"
        case .notHistory(let path):
            "\(path) is not an hmp history file; it is left alone"
        case .otherOwner(let path):
            "history file \(path) belongs to another user; it is left alone"
        case .hardLinked(let path):
            "history file \(path) has other hard links; it is left alone"
        case .unreadable(let path):
            "cannot read history file \(path)"
        case .cannotCreateDirectory(let path, let code):
            "cannot create directory \(path): \(String(cString: strerror(code)))"
        case .cannotWrite(let path, let code):
            "cannot write history file \(path): \(String(cString: strerror(code)))"
        }
    }
}

/// The command history: libedit's `History`, in memory, with our rules.
///
/// Empty (or blank) lines are not stored and a line equal to the newest
/// entry is not stored again. Files use libedit's own format
/// (`_HiStOrY_V2_` then one vis(3)-encoded line per entry).
///
/// Saving is atomic: libedit's H_SAVE truncates the file first, and a hangup
/// arriving mid-save then leaves an empty history. We write a temporary file
/// in the same directory, fsync it and rename it over the old one, so a crash
/// leaves either the old or the new file. The caller saves after each line.
public final class LineHistory {
    /// `History *`, owned.
    let handle: OpaquePointer
    public let capacity: Int

    public init(capacity: Int = 1000) {
        if let problem = EditLineLibrary.load() { fatalError("hmp: \(problem)") }
        guard let h = cel_history_init() else { fatalError("libedit: history_init failed") }
        handle = h
        self.capacity = capacity
        _ = cel_hist_setsize(h, Int32(clamping: capacity))
        _ = cel_hist_setunique(h, 1)
    }

    deinit { cel_history_end(handle) }

    /// Adds a line; returns false when it was not stored (blank, or the same
    /// as the newest entry).
    @discardableResult
    public func add(_ line: String) -> Bool {
        guard line.utf8.contains(where: { !Self.isBlank($0) }) else { return false }
        if cel_hist_first(handle).map({ String(cString: $0) }) == line { return false }
        return cel_hist_enter(handle, line) >= 0
    }

    /// All entries, oldest first (for `info history`).
    public var entries: [String] {
        var result: [String] = []
        var entry = cel_hist_last(handle)
        while let text = entry {
            result.append(String(cString: text))
            entry = cel_hist_prev(handle)
        }
        return result
    }

    public var count: Int { max(0, Int(cel_hist_getsize(handle))) }

    public func clear() { _ = cel_hist_clear(handle) }

    /// Appends the entries of a history file. A missing file is not an error
    /// (there is simply no history yet) and loads nothing.
    @discardableResult
    public func load(from path: String) throws(HistoryFileError) -> Int {
        guard access(path, F_OK) == 0 else { return 0 }
        let loaded = cel_hist_load(handle, path)
        guard loaded >= 0 else { throw .unreadable(path: path) }
        return Int(loaded)
    }

    /// Writes every entry to `path` atomically, creating missing parent
    /// directories with mode 0700. The file itself gets mode 0600.
    public func save(to path: String) throws(HistoryFileError) {
        let (directory, name) = Self.split(path)
        try Self.makeDirectories(directory)

        var template = Array("\(directory)/.\(name).XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .cannotWrite(path: path, errno: errno) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }

        guard let file = fdopen(fd, "w") else {
            let code = errno
            close(fd)
            unlink(temporary)
            throw .cannotWrite(path: path, errno: code)
        }
        let written = cel_hist_save_fp(handle, file)
        var code: Int32 = 0
        if written < 0 { code = errno == 0 ? EIO : errno }
        if code == 0, fflush(file) != 0 { code = errno }
        if code == 0, fsync(fileno(file)) != 0 { code = errno }
        if fclose(file) != 0, code == 0 { code = errno }
        if code == 0, rename(temporary, path) != 0 { code = errno }
        guard code == 0 else {
            unlink(temporary)
            throw .cannotWrite(path: path, errno: code)
        }
        // Make the rename itself durable; failure here loses nothing.
        let directoryFD = open(directory, O_RDONLY)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }

    static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// ("dir", "name") for "dir/name"; "." for a bare name.
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    /// `mkdir -p` with mode 0700 for each directory it creates.
    static func makeDirectories(_ path: String) throws(HistoryFileError) {
        var isDirectory = stat()
        if stat(path, &isDirectory) == 0 {
            guard (isDirectory.st_mode & S_IFMT) == S_IFDIR else {
                throw .cannotCreateDirectory(path: path, errno: ENOTDIR)
            }
            return
        }
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw .cannotCreateDirectory(path: prefix, errno: errno)
            }
        }
    }
}
