#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the REPL keeps its history between runs.
public enum HistoryLocation {
    /// `$XDG_STATE_HOME/hmp/history`, else `~/.local/state/hmp/history` (XDG Base Directory
    /// spec: history is state, not configuration); nil when there is no home directory.
    public static func defaultPath(environment: (String) -> String? = Self.environment) -> String? {
        if let state = environment("XDG_STATE_HOME"), state.hasPrefix("/") {
            return state + "/hmp/history"
        }
        guard let home = environment("HOME") ?? passwordHome(), home.hasPrefix("/") else { return nil }
        return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.local/state/hmp/history"
    }

    public static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    private static func passwordHome() -> String? {
        guard let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir else { return nil }
        return String(cString: dir)
    }
}
