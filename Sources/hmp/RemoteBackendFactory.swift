import EventLoop
import QMPClient

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Connects the QEMUs `--connect` names, as one group the console drives.
enum RemoteBackendFactory {
    static func connect(_ settings: RemoteSettings, loop: EventLoop) throws(QMPClientError) -> VMGroup {
        let log = try settings.logPath.map { (path) throws(QMPClientError) in try QMPLog(path: path) }
        var options = QMPClientBackend.Options()
        options.commandTimeoutNanoseconds = settings.commandTimeoutNanoseconds
        options.reconnect = settings.reconnect
        // One VM given without a name needs no tag; named or several VMs do.
        options.tagsEvents = settings.vms.count > 1 || settings.vms.contains { !$0.name.hasPrefix("vm") }
        return try VMGroup.connect(settings.vms, loop: loop, log: log, options: options)
    }

    static func greeting(_ group: VMGroup, version: String) -> String {
        let vms = group.members.map { "\($0.vmName) (\($0.remoteVersion) at \($0.address))" }.joined(separator: ", ")
        return "swift-hmp \(version) monitor - connected to \(vms) - type 'help' for more information"
    }

    static func nowMicroseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec / 1000)
    }
}
