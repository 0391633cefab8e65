/// How `hmp` ends: scripts can tell a failed command from a mistyped invocation.
public enum ExitStatus: Int32, Sendable {
    /// Every command line succeeded.
    case success = 0
    /// At least one command line failed.
    case failure = 1
    /// The command line of `hmp` itself was wrong (bad option or value).
    case usage = 2
}
