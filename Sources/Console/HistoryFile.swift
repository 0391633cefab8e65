#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The history file the console keeps between runs, and the rules that keep it safe:
///
/// - Only a regular file that holds libedit's history (or an empty or missing file) is read
///   and replaced. A device (`/dev/null`), FIFO, directory, a file of another user, a file
///   with other hard links, or a file that is not a history (someone's notes) is left
///   untouched: the console says so once and keeps its history in memory.
/// - A symbolic link is followed: the file it points at is the one replaced, so the link stays.
/// - Saving merges: the entries on disk (other consoles may have saved since) come first, then
///   the lines entered here since the last save, as shells do. Two consoles sharing a file keep
///   both their lines. The directory is locked (flock) for the read-merge-replace.
/// - Temporary files a killed save left behind are removed on the next start.
public final class HistoryFile {
    /// The path as given.
    public let path: String
    /// The file written: `path` with symbolic links followed.
    public private(set) var target: String
    /// Why the file is not used (the history stays in memory), or nil.
    public private(set) var refusal: HistoryFileError?
    /// Lines entered since the last save, oldest first.
    private var unsaved: [String] = []

    /// Leftover temporary files older than this are a killed save's, not a save under way.
    static let leftoverAge: time_t = 10

    public init(path: String) {
        self.path = path
        target = Self.followLinks(path)
        refusal = Self.check(target, shown: path)
    }

    /// Loads the file into `history` (unless it is refused) and removes leftover temporary
    /// files; throws what the operator should be told.
    public func load(into history: LineHistory) throws(HistoryFileError) {
        if let refusal { throw refusal }
        removeLeftovers()
        guard fileSize(target) ?? 0 > 0 else { return }
        do {
            try history.load(from: target)
        } catch {
            refusal = .notHistory(path: path)
            throw .notHistory(path: path)
        }
    }

    /// Notes a line the history took, for the next save.
    public func record(_ line: String) { unsaved.append(line) }

    /// Merges the lines entered since the last save into the file.
    public func save(capacity: Int) throws(HistoryFileError) {
        if let refusal { throw refusal }
        guard !unsaved.isEmpty else { return }
        let (directory, _) = LineHistory.split(target)
        try LineHistory.makeDirectories(directory)
        let lock = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if lock >= 0 { flock(lock, LOCK_EX) }
        defer {
            if lock >= 0 {
                flock(lock, LOCK_UN)
                close(lock)
            }
        }
        // The file may have changed since start (another console, another user's edit).
        if let changed = Self.check(target, shown: path) {
            refusal = changed
            throw changed
        }
        let merged = LineHistory(capacity: capacity)
        if fileSize(target) ?? 0 > 0 {
            do {
                try merged.load(from: target)
            } catch {
                refusal = .notHistory(path: path)
                throw .notHistory(path: path)
            }
        }
        for line in unsaved { merged.add(line) }
        try merged.save(to: target)
        unsaved.removeAll()
    }

    // MARK: Checks

    /// Why `file` must not be read or replaced, or nil when it may (a missing file may be created).
    static func check(_ file: String, shown: String) -> HistoryFileError? {
        var info = stat()
        guard lstat(file, &info) == 0 else { return nil }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .notRegularFile(path: shown) }
        if info.st_uid != geteuid() { return .otherOwner(path: shown) }
        if info.st_nlink > 1 { return .hardLinked(path: shown) }
        guard info.st_size > 0 else { return nil }
        // Read the header without blocking, whatever the file turns out to be.
        let fd = open(file, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return .unreadable(path: shown) }
        defer { close(fd) }
        let header = Array("_HiStOrY_V2_\n".utf8)
        var buffer = [UInt8](repeating: 0, count: header.count)
        let n = read(fd, &buffer, header.count)
        return n == header.count && buffer == header ? nil : .notHistory(path: shown)
    }

    /// `path` with every symbolic link along the last component followed (relative links
    /// resolve against the link's directory); a dangling link gives where it points.
    static func followLinks(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n > 0 else { return current }
            let link = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if link.hasPrefix("/") {
                current = link
            } else {
                let (directory, _) = LineHistory.split(current)
                current = directory + "/" + link
            }
        }
        return current
    }

    private func fileSize(_ file: String) -> Int? {
        var info = stat()
        return stat(file, &info) == 0 ? Int(info.st_size) : nil
    }

    /// Removes `.NAME.XXXXXX` files of ours, older than `leftoverAge`, next to the target.
    private func removeLeftovers() {
        let (directory, name) = LineHistory.split(target)
        guard let dir = opendir(directory) else { return }
        defer { closedir(dir) }
        let prefix = "." + name + "."
        var now = time_t()
        time(&now)
        while let entry = readdir(dir) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard entryName.hasPrefix(prefix), entryName.utf8.count == prefix.utf8.count + 6 else { continue }
            let file = directory + "/" + entryName
            var info = stat()
            guard lstat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_uid == geteuid(),
                now - info.st_mtim.tv_sec >= Self.leftoverAge
            else { continue }
            unlink(file)
        }
    }
}
