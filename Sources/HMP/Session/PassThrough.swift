import Backend
import QAPI

extension HMPSession {
    /// A line whose command hmp's table lacks goes to a real QEMU's own monitor through
    /// `human-monitor-command`, its text printed as is (`info mtree`, `x /4x 0`); the first
    /// time, a note says where the text came from. nil on the model: the line stays unknown.
    func passThrough(_ line: String) -> HMPLineResult? {
        guard let remote = backend as? any RemoteMonitorBackend else { return nil }
        let command = line.trimmingPrefixBlanks
        backend.synchronize()
        do {
            let text = try remote.passThrough(command, cpuIndex: monitorDefaults.cpuIndex)
            // QEMU answers a line it does not know either with its own text, as a success.
            if text.hasPrefix("unknown command:") { return failure(.unknownCommand(text.trimmingSuffixNewlines)) }
            switch format {
            case .json:
                return HMPLineResult(output: JSONValue.object(["return": .string(text)]).description + "\n", error: nil)
            case .table, .qemu:
                var output = ""
                if !passThroughNoted {
                    passThroughNoted = true
                    let name = command.split(separator: " ").prefix(command.hasPrefix("info ") ? 2 : 1).joined(separator: " ")
                    output = "note: '\(name)' is not an hmp command; \(remote.remoteVersion)'s own HMP answered (its text is shown as is)\n"
                }
                return HMPLineResult(output: output + text, error: nil)
            }
        } catch {
            return failure(.command(error))
        }
    }
}

extension String {
    fileprivate var trimmingPrefixBlanks: String { String(drop { $0 == " " || $0 == "\t" }) }
    fileprivate var trimmingSuffixNewlines: String {
        var s = self
        while s.last == "\n" || s.last == "\r" { s.removeLast() }
        return s
    }
}
