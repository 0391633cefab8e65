import QAPI

/// VM snapshots (QEMU's hmp_savevm(), hmp_loadvm(), hmp_delvm(), hmp_info_snapshots()): savevm, loadvm, delvm, info snapshots. QEMU's HMP commands
/// are synchronous; here they run the snapshot-save/-load/-delete jobs and wait for them.
enum SnapshotCommands {
    struct OptionalTag: HMPArgumentValues {
        var tag: String?
        static let signature = HMPSignature<Self>(.argument("tag", .string, \.tag, completion: .snapshotTag, help: "the snapshot's name"))
    }

    struct Tag: HMPArgumentValues {
        var tag = ""
        static let signature = HMPSignature<Self>(.argument("tag", .string, \.tag, completion: .snapshotTag, help: "the snapshot's name"))
    }

    static let commands: [HMPCommand] = [
        HMPCommand(
            "savevm", OptionalTag.self,
            help: "save a VM snapshot. If no tag is provided, a new snapshot is created",
            qmp: "snapshot-save (a job; waited for), after snapshot-delete when the tag exists",
            details:
                "Saves the VM state on the first writable qcow2 disk and a disk snapshot on every writable disk. Without a tag the name is the VM's date and time, vm-YYYYMMDDhhmmss, as in its DATE column (on the model, the model's clock). An existing snapshot with the same tag is replaced.",
            handler: SnapshotHandlers.save),
        HMPCommand(
            "loadvm", Tag.self,
            help: "restore a VM snapshot from its tag", qmp: "snapshot-load (a job; waited for)",
            details: "The VM is stopped while the snapshot loads and then returns to the run state it had.",
            handler: SnapshotHandlers.load),
        HMPCommand(
            "delvm", Tag.self,
            help: "delete a VM snapshot from its tag", qmp: "snapshot-delete (a job; waited for)",
            details: "Deletes the snapshot from every disk that holds it; as in QEMU a tag found nowhere is not an error.",
            handler: SnapshotHandlers.delete),
    ]

    static let infoCommands: [HMPCommand] = [
        HMPCommand(
            "snapshots", help: "show the currently saved VM snapshots", qmp: "query-block (the snapshots of each writable qcow2 disk)",
            details: "Snapshots present on every disk can be loaded; the others are listed as partial.",
            handler: SnapshotHandlers.info)
    ]
}
