import CEditLine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGTERM and SIGHUP during a batch: the handler only notes the signal; the batch stops
/// after the command that runs (a wait ends early), writes out what the finished commands
/// printed, and then dies of the same signal, so the caller still sees how it ended.
public enum Termination {
    /// Installs the handlers (batch runs only; the REPL keeps the default behaviour).
    public static func install() { cel_install_termination_handlers() }

    /// The signal received, or nil.
    public static var signal: Int32? {
        let sig = cel_termination_signal()
        return sig == 0 ? nil : sig
    }

    /// Ends the process by the signal received, if there was one.
    public static func dieIfSignalled() {
        if let signal { cel_die_of_signal(signal) }
    }
}
