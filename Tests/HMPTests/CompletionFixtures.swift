import Backend
import Monitor
import QAPI

@testable import HMP

/// A backend with two disks, a job and snapshots: what completion asks of it, nothing more.
final class CompletionTestBackend: MonitorBackend {
    var devices = ["virtio0", "virtio1", "ide0-cd0"]
    var nodes = ["disk0", "disk1"]
    var jobs = ["job-resync"]
    var snapshots: [(id: String, name: String)] = [("1", "before-upgrade"), ("2", "nightly")]

    func execute<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(QMPError) -> C.Returns {
        let reply: Any
        switch C.name {
        case QueryBlockCommand.name:
            reply = devices.map { BlockInfo(device: $0, type: "unknown", removable: $0.hasPrefix("ide"), locked: false) }
        case QueryNamedBlockNodesCommand.name:
            reply = nodes.map(node)
        case QueryBlockJobsCommand.name:
            reply = jobs.map {
                BlockJobInfo(
                    device: $0, len: 1, offset: 0, busy: true, paused: false, speed: 0, ioStatus: .ok, ready: false, status: .running,
                    autoFinalize: true, autoDismiss: true, variant: .stream)
            }
        default:
            throw QMPError(.commandNotFound, "The command \(C.name) has not been found")
        }
        guard let typed = reply as? C.Returns else { throw QMPError.generic("fixture type mismatch for \(C.name)") }
        return typed
    }

    private func node(_ name: String) -> BlockDeviceInfo {
        let snaps = snapshots.map {
            SnapshotInfo(id: $0.id, name: $0.name, vmStateSize: 0, dateSec: 0, dateNsec: 0, vmClockSec: 0, vmClockNsec: 0)
        }
        return BlockDeviceInfo(
            file: "\(name).qcow2", nodeName: name, ro: false, drv: "qcow2", backingFileDepth: 0, active: true, encrypted: false,
            detectZeroes: .off, bps: 0, bpsRd: 0, bpsWr: 0, iops: 0, iopsRd: 0, iopsWr: 0,
            image: ImageInfo(filename: "\(name).qcow2", format: "qcow2", virtualSize: 1 << 30, snapshots: name == "disk0" ? snaps : nil),
            cache: BlockdevCacheInfo(writeback: true, direct: false, noFlush: false), writeThreshold: 0)
    }

    func dispatch(_ request: JSONValue) -> JSONValue { .object(JSONObject()) }
    func synchronize() {}
    func wait(nanoseconds: UInt64) {}
    func takeEvents() -> [JSONValue] { [] }
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

    static func session() -> HMPSession { HMPSession(backend: CompletionTestBackend(), table: table) }
}
