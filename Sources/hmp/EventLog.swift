import Console
import HMP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--log-events FILE`: every event the console sees, appended to FILE as one JSON line
/// (the QMP event plus `caused-by`) as it arrives, so nothing is lost to a full history.
enum EventLog {
    static func attach(path: String, to history: EventHistory) throws(UsageError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw UsageError("cannot open --log-events '\(path)': \(String(cString: strerror(errno)))")
        }
        let sink = OutputSink(fileDescriptor: fd, flushesEachWrite: true)
        history.log = { entry in sink.write(entry.qmpValue.description + "\n") }
    }
}
