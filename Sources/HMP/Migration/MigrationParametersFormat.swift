import QAPI

/// `info migrate_parameters` and `info migrate_capabilities` in the table and qemu formats.
enum MigrationParametersFormat {
    // MARK: qemu

    /// QEMU 10.2's `hmp_info_migrate_parameters()`, each line as its descriptor says. Like
    /// QEMU it leaves out the multifd compression levels; the `cpr-exec-command` line is
    /// absent because the schema has no such parameter.
    static func qemu(_ p: MigrationParameters) -> String {
        var out = ""
        for descriptor in MigrationParameterDescriptor.all { out += descriptor.qemuLines(p) }
        return out
    }

    /// QEMU's `hmp_info_migrate_capabilities`: `<name>: on|off`, in the order given.
    static func qemu(_ capabilities: [MigrationCapabilityStatus]) -> String {
        capabilities.map { "\($0.capability.rawValue): \(onOff($0.state))\n" }.joined()
    }

    // MARK: table

    /// The descriptors' order: QEMU's, with the compression levels next to the compression.
    static var displayOrder: [MigrationParameter] { MigrationParameterDescriptor.all.map(\.parameter) }

    /// Every parameter (the compression levels QEMU hides included), with the value and its
    /// unit in separate columns. Sizes are shown in the largest unit that is exact.
    static func table(_ p: MigrationParameters) -> String {
        var table = TextTable(headers: ["Parameter", "Value", "Unit"])
        table.reserveRows(MigrationParameterDescriptor.all.count)
        var notes = ""
        for descriptor in MigrationParameterDescriptor.all {
            descriptor.addRows(to: &table, p)
            if descriptor.unit == .text, case .text(let s)? = descriptor.get(p), LongValue.isLong(s) {
                notes += LongValue.note(descriptor.name, s, query: "query-migrate-parameters") + "\n"
            }
        }
        return table.render() + notes
    }

    /// A capability / state table, in the order given (the schema's).
    static func table(_ capabilities: [MigrationCapabilityStatus]) -> String {
        var table = TextTable(headers: ["Capability", "State"])
        for c in capabilities { table.add([c.capability.rawValue, onOff(c.state)]) }
        return table.render()
    }
}
