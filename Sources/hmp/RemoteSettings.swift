import QMPClient

/// The `--connect` side of the command line: which QEMUs to drive, and how patiently.
struct RemoteSettings {
    var vms: [(name: String, address: QMPAddress)] = []
    var commandTimeoutNanoseconds: UInt64 = 30_000_000_000
    var reconnect = false
    var logPath: String?

    /// nil when no --connect was given (the model is used).
    static func parse(_ options: RawOptions) throws(UsageError) -> RemoteSettings? {
        guard !options.connect.isEmpty else {
            for (given, name) in [(options.reconnect, "--reconnect"), (options.log != nil, "--log")] where given {
                throw UsageError("\(name) needs --connect (it applies to QMP connections only)")
            }
            return nil
        }
        var settings = RemoteSettings()
        for (index, text) in options.connect.enumerated() {
            do {
                let vm = try QMPAddress.parseNamed(text, position: index + 1)
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
        guard let seconds = Double(options.timeout), seconds > 0, seconds <= 86400 else {
            throw UsageError("invalid --timeout '\(options.timeout)': expected a number of seconds, more than 0 and at most 86400")
        }
        settings.commandTimeoutNanoseconds = UInt64(seconds * 1e9)
        settings.reconnect = options.reconnect
        if let log = options.log {
            guard !log.isEmpty else { throw UsageError("--log needs a file name") }
            settings.logPath = log
        }
        return settings
    }
}
