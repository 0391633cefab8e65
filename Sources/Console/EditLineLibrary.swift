import CEditLine

/// libedit, opened when the first line editor or history is made rather than linked: batch
/// runs and `-c` never map it (nor the terminal libraries it needs), which shows in start-up.
public enum EditLineLibrary {
    /// nil once the library is loaded (loading again is free), else why it could not be.
    public static func load() -> String? {
        cel_load_libedit().map { String(cString: $0) }
    }
}
