/// How `hmp` ends: scripts can tell a failed command from a mistyped invocation, and a `wait`
/// that timed out from a command that failed.
public struct ExitStatus: RawRepresentable, Sendable, Hashable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Every command line succeeded.
    public static let success = ExitStatus(rawValue: 0)
    /// At least one command line failed.
    public static let failure = ExitStatus(rawValue: 1)
    /// The command line of `hmp` itself was wrong (bad option or value).
    public static let usage = ExitStatus(rawValue: 2)
    /// A `wait` in the batch gave up at its timeout (and no command failed otherwise after
    /// it): 2, as the shell's `timeout` convention is taken for what `hmp` runs, not for hmp.
    /// A usage error is 2 as well, but it is told apart by happening before any command runs,
    /// with `hmp:` on standard error.
    public static let timedOut = ExitStatus(rawValue: 2)
}
