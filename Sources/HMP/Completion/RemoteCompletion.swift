import Backend

extension HMPCompleter {
    /// On a real QEMU, only the names its schema has too (`dirty-limit` is not offered for
    /// QEMU 7.2, which would refuse it); on the model, all of them.
    func remoteOnly(_ names: [String], _ command: String, _ path: [String]) -> [String] {
        guard let remote = session.backend as? any RemoteMonitorBackend else { return names }
        let theirs = Set(remote.schemaNames(command: command, path: path))
        return names.filter { theirs.contains($0) }
    }
}
