#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// File names for `F` arguments, `--history-file` and the path part of `file:` and `unix:`
/// URIs. Like QEMU's monitor: names relative to the current directory, a directory gets a
/// trailing `/` (so the next TAB goes into it). A leading `~/` stands for $HOME and is kept.
public struct FileNameCompleter: Sendable {
    public init() {}

    /// Every entry whose path starts with `prefix`, as `prefix` would continue.
    public func candidates(_ prefix: String) -> [String] {
        let (typedDirectory, namePrefix) = Self.split(prefix)
        let directory = expandTilde(typedDirectory.isEmpty ? "." : typedDirectory)
        var result: [String] = []
        // Dot files only when asked for, as shells do.
        let showHidden = namePrefix.hasPrefix(".")
        for name in Self.entries(of: directory) where name.hasPrefix(namePrefix) {
            if name == "." || name == ".." || (!showHidden && name.hasPrefix(".")) { continue }
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            result.append(typedDirectory + name + (Self.isDirectory(path) ? "/" : ""))
        }
        return result.sorted()
    }

    /// `dir/sub/na` → (`dir/sub/`, `na`).
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }

    private func expandTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = getenv("HOME") else { return path }
        return String(cString: home) + path.dropFirst()
    }

    private static func entries(of directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            names.append(name)
        }
        return names
    }

    // stat() follows symbolic links, so a link to a directory counts as one.
    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFDIR
    }
}
