import HMP
import QMPClient

/// The `--connect` side of the command line: which QEMUs to drive, and how patiently.
struct RemoteSettings {
    var vms: [(name: String, address: QEMUAddress)] = []
    var commandTimeoutNanoseconds: UInt64 = 30_000_000_000
    var reconnect = false
    var logPath: String?

    /// nil when no --connect was given (the model is used).
    static func parse(_ options: RawOptions) throws(UsageError) -> RemoteSettings? {
        typealias Option = CommandLineOptions
        let connect = options.values(Option.connect)
        guard !connect.isEmpty else {
            for spec in [Option.reconnect, Option.log, Option.timeout] where options.contains(spec) {
                throw UsageError("--\(spec.long) needs --connect (it applies to connections to QEMU only)")
            }
            return nil
        }
        for spec in [
            Option.qmp, Option.noConsole, Option.ram, Option.vcpus, Option.disk, Option.incoming, Option.clock, Option.dirtyRate,
            Option.zeroPages,
        ]
        where options.contains(spec) {
            throw UsageError("--\(spec.long) is for the built-in model and cannot be combined with --connect")
        }
        var settings = RemoteSettings()
        for (index, text) in connect.enumerated() {
            do {
                let vm = try QEMUAddress.parseNamed(text, position: index + 1)
                guard !settings.vms.contains(where: { $0.name == vm.name }) else {
                    throw UsageError("invalid --connect '\(text)': the name '\(vm.name)' is already used")
                }
                settings.vms.append(vm)
            } catch let error as UsageError {
                throw error
            } catch {
                throw UsageError("invalid --connect '\(text)': \(error)")
            }
        }
        let timeout = options[Option.timeout] ?? ""
        guard let seconds = Double(timeout), seconds > 0, seconds <= 86400 else {
            throw UsageError("invalid --timeout '\(timeout)': expected a number of seconds, more than 0 and at most 86400")
        }
        settings.commandTimeoutNanoseconds = UInt64(seconds * 1e9)
        settings.reconnect = options.contains(Option.reconnect)
        if let log = options[Option.log] {
            guard !log.isEmpty else { throw UsageError("--log needs a file name") }
            settings.logPath = log
        }
        return settings
    }
}
