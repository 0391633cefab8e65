import Backend

extension HMPCompleter {
    /// On a real QEMU, the names its schema has: `dirty-limit` is not offered for QEMU 7.2,
    /// which would refuse it, and its own `compress` is; on the model, hmp's names.
    func remoteOnly(_ names: [String], _ command: String, _ path: [String]) -> [String] {
        guard let remote = session.backend as? any RemoteMonitorBackend else { return names }
        return remote.schemaNames(command: command, path: path)
    }

    /// A parameter's enum values, on a real QEMU only those its schema has (7.2's
    /// multifd-compression has no `qatzip`); anything else is left as the model offers it.
    func remoteValues(_ values: ([String], String?), parameter: String) -> ([String], String?) {
        guard let remote = session.backend as? any RemoteMonitorBackend, !values.0.isEmpty else { return values }
        let theirs = Set(remote.schemaNames(command: "migrate-set-parameters", path: [parameter]))
        guard !theirs.isEmpty else { return values }
        return (values.0.filter { theirs.contains($0) }, values.1)
    }
}
