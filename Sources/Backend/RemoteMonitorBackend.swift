import QAPI

/// A backend that is another process's monitor (a real QEMU over QMP), whose schema may be
/// older or newer than hmp's. HMP asks for these extras with `as?`; the in-process model
/// is not one.
public protocol RemoteMonitorBackend: MonitorBackend {
    /// The VM's name in the console (`src`), used in messages.
    var vmName: String { get }
    /// What the remote said it is (`QEMU 7.2.22`), for messages and the README's "which layout".
    var remoteVersion: String { get }
    /// The last reply to `command` exactly as the remote sent it (for `--format json`).
    func lastReply(to command: String) -> JSONValue?
    /// What that reply held that hmp's schema has no place for, in the remote's order.
    func extras(ofLastReplyTo command: String) -> [RemoteExtra]
    /// Runs a line in the remote's own human monitor (`human-monitor-command`); answers its text.
    /// `cpuIndex`, when given, is the monitor's default CPU for that line (`cpu`).
    func passThrough(_ line: String, cpuIndex: Int64?) throws(QMPError) -> String
    /// Names the remote's schema gives along `command`'s arguments: the enum's values at `path`
    /// (`["capabilities", "capability"]` of `migrate-set-capabilities`), or the argument names
    /// when `path` is empty. Empty when the remote lacks the command.
    func schemaNames(command: String, path: [String]) -> [String]
    /// The JSON type the remote's schema gives the argument member at `path` of `command`
    /// (`["compress-level"]` of `migrate-set-parameters`): a builtin's json-type (`int`,
    /// `boolean`, `string`, `number`), or else its meta-type (`enum`, `object`, `array`,
    /// `alternate`). Nil when the remote has no such member.
    func schemaJSONType(command: String, path: [String]) -> String?
}

/// A backend standing for several VMs, one of them current (`use NAME`, `@NAME LINE`).
public protocol VMSelecting: AnyObject {
    /// The VMs' names, in the order they were given.
    var vmNames: [String] { get }
    /// The VM commands go to.
    var currentVM: String { get }
    /// Makes `name` current; false when there is no such VM.
    func select(_ name: String) -> Bool
    /// Connects `name` again; answers what changed while it was away.
    func reconnect(_ name: String) throws(QMPError) -> [String]
}
