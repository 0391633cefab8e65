import Backend
import Machine
import Monitor
import QAPI
import TestSupport

@testable import HMP

/// The model with what completion asks about: the devices `virtio0` (qcow2 over a base image,
/// node `disk0`), `virtio1` (qcow2, node `disk1`) and `ide0-cd0` (an empty CD-ROM drive); a
/// stream job `job-resync` that crawls at 1 byte/s; and the snapshots `before-upgrade` (ID 1)
/// and `nightly` (ID 2) on `disk0`.
enum CompletionModel {
    /// Every device and node name, as `block_resize` offers them: the devices, each format node
    /// with its file node, and the base image's two nodes.
    static let blockNames = [
        "disk0", "disk0-file", "disk1", "disk1-file", "ide0-cd0", "virtio0", "virtio0-base-file", "virtio0-base-fmt", "virtio1",
    ]

    static func make() -> ModelSession {
        var os = DiskSpec(device: "virtio0", media: .qcow2, size: 1 << 30)
        os.nodeName = "disk0"
        os.backingFile = "/var/lib/hmp/images/base.qcow2"
        var data = DiskSpec(device: "virtio1", media: .qcow2, size: 1 << 30)
        data.nodeName = "disk1"
        let model = ModelSession(
            configuration: MachineConfiguration(disks: [os, data, DiskSpec(device: "ide0-cd0", media: .cdrom, size: 0)]))
        do {
            for (id, tag) in [("s1", "before-upgrade"), ("s2", "nightly")] {
                _ = try model.query(
                    SnapshotSaveCommand.self, SnapshotSaveArguments(jobId: id, tag: tag, vmstate: "disk0", devices: ["disk0"]))
                _ = try model.query(JobDismissCommand.self, JobDismissArguments(id: id))
            }
            _ = try model.query(BlockStreamCommand.self, BlockStreamArguments(jobId: "job-resync", device: "virtio0", speed: 1))
        } catch {
            preconditionFailure("the completion model cannot be set up: \(error)")
        }
        return model
    }
}

/// Rows shaped like the migration, block and snapshot commands, so completion is tested
/// against every kind of argument whatever the real tables hold today.
enum CompletionFixtures {
    static let none: HMPHandler = { _ in .empty }

    struct Migrate: HMPArgumentValues {
        var detach = false
        var resume = false
        var uri = ""
        static let signature = HMPSignature<Self>(
            .flag("d", "detach", \.detach, help: "return at once"), .flag("r", "resume", \.resume, help: "resume a paused migration"),
            .argument("uri", .string, \.uri, completion: .migrationURI, help: "where to"))
    }
    struct SetParameter: HMPArgumentValues {
        var parameter = ""
        var value = ""
        static let signature = HMPSignature<Self>(
            .argument("parameter", .string, \.parameter, completion: .parameter, help: "a parameter name"),
            .argument("value", .rest, \.value, completion: .parameterValue, help: "its value"))
    }
    struct SetCapability: HMPArgumentValues {
        var capability = ""
        var state = false
        static let signature = HMPSignature<Self>(
            .argument("capability", .string, \.capability, completion: .capability, help: "a capability name"),
            .argument("state", .onOff, \.state, completion: .onOff, help: "on or off"))
    }
    struct Resize: HMPArgumentValues {
        var device = ""
        var size = ParsedSize(bytes: 0)
        static let signature = HMPSignature<Self>(
            .argument("device", .blockDevice, \.device, completion: .blockDeviceOrNode, help: "a device or node name"),
            .argument("size", .size(.mebibytes), \.size, help: "the new size"))
    }
    struct JobCancel: HMPArgumentValues {
        var force = false
        var device = ""
        static let signature = HMPSignature<Self>(
            .flag("f", "force", \.force, help: "cancel even if paused"),
            .argument("device", .string, \.device, completion: .jobID, help: "a job id"))
    }
    struct LoadVM: HMPArgumentValues {
        var tag = ""
        static let signature = HMPSignature<Self>(.argument("tag", .string, \.tag, completion: .snapshotTag, help: "a snapshot tag or id"))
    }
    struct Change: HMPArgumentValues {
        var force = false
        var mode: String?
        var device = ""
        var target = ""
        static let signature = HMPSignature<Self>(
            .flag("f", "force", \.force, help: "force"), .flag("r", "read-only-mode", .string, \.mode, help: "mode"),
            .argument("device", .blockDevice, \.device, help: "a block device"), .argument("target", .filename, \.target, help: "a file"))
    }
    struct InfoBlock: HMPArgumentValues {
        var verbose = false
        var device: String?
        static let signature = HMPSignature<Self>(
            .flag("v", "verbose", \.verbose, help: "more"),
            .argument("device", .blockDevice, \.device, completion: .blockDeviceOrNode, help: "a device"))
    }

    static let table = CommandTable(
        commands: GenericCommands.commands + [
            HMPCommand("migrate", Migrate.self, help: "migrate to URI", qmp: "migrate", handler: { _, _ in .empty }),
            HMPCommand(
                "migrate_set_parameter", SetParameter.self, help: "set a migration parameter", qmp: "migrate-set-parameters",
                handler: { _, _ in .empty }),
            HMPCommand(
                "migrate_set_capability", SetCapability.self, help: "set a migration capability", qmp: "migrate-set-capabilities",
                handler: { _, _ in .empty }),
            HMPCommand("block_resize", Resize.self, help: "resize a block image", qmp: "block_resize", handler: { _, _ in .empty }),
            HMPCommand("block_job_cancel", JobCancel.self, help: "stop a block job", qmp: "block-job-cancel", handler: { _, _ in .empty }),
            HMPCommand("loadvm", LoadVM.self, help: "restore a VM snapshot", qmp: "snapshot-load", handler: { _, _ in .empty }),
            HMPCommand(
                "change", Change.self, help: "change a removable medium", qmp: "blockdev-change-medium", handler: { _, _ in .empty }),
            WaitCommand.command, WatchCommand.command,
        ],
        infoCommands: GenericCommands.infoCommands + [
            HMPCommand("migrate", help: "show migration status", qmp: "query-migrate", handler: none),
            HMPCommand("migrate_capabilities", help: "show capabilities", qmp: "query-migrate-capabilities", handler: none),
            HMPCommand("migrate_parameters", help: "show parameters", qmp: "query-migrate-parameters", handler: none),
            HMPCommand("block", InfoBlock.self, help: "show block devices", qmp: "query-block", handler: { _, _ in .empty }),
        ])

    static func session() -> HMPSession { HMPSession(backend: CompletionModel.make().recorder, table: table) }
}
