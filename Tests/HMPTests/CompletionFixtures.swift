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

    static let table = CommandTable(
        commands: GenericCommands.commands + [
            HMPCommand(
                "migrate",
                flags: [HMPFlag("d", "detach", help: "return at once"), HMPFlag("r", "resume", help: "resume a paused migration")],
                arguments: [HMPArgument("uri", .string, completion: .migrationURI, help: "where to")],
                help: "migrate to URI", qmp: "migrate", handler: none),
            HMPCommand(
                "migrate_set_parameter",
                arguments: [
                    HMPArgument("parameter", .string, completion: .parameter, help: "a parameter name"),
                    HMPArgument("value", .rest, completion: .parameterValue, help: "its value"),
                ],
                help: "set a migration parameter", qmp: "migrate-set-parameters", handler: none),
            HMPCommand(
                "migrate_set_capability",
                arguments: [
                    HMPArgument("capability", .string, completion: .capability, help: "a capability name"),
                    HMPArgument("state", .onOff, completion: .onOff, help: "on or off"),
                ],
                help: "set a migration capability", qmp: "migrate-set-capabilities", handler: none),
            HMPCommand(
                "block_resize",
                arguments: [
                    HMPArgument("device", .blockDevice, completion: .blockDeviceOrNode, help: "a device or node name"),
                    HMPArgument("size", .size(.mebibytes), help: "the new size"),
                ],
                help: "resize a block image", qmp: "block_resize", handler: none),
            HMPCommand(
                "block_job_cancel", flags: [HMPFlag("f", "force", help: "cancel even if paused")],
                arguments: [HMPArgument("device", .string, completion: .jobID, help: "a job id")],
                help: "stop a block job", qmp: "block-job-cancel", handler: none),
            HMPCommand(
                "loadvm", arguments: [HMPArgument("tag", .string, completion: .snapshotTag, help: "a snapshot tag or id")],
                help: "restore a VM snapshot", qmp: "snapshot-load", handler: none),
            HMPCommand(
                "change",
                flags: [HMPFlag("f", "force", help: "force"), HMPFlag("r", "read-only-mode", value: .string, help: "mode")],
                arguments: [
                    HMPArgument("device", .blockDevice, help: "a block device"),
                    HMPArgument("target", .filename, help: "a file"),
                ],
                help: "change a removable medium", qmp: "blockdev-change-medium", handler: none),
            WaitCommand.command, WatchCommand.command,
        ],
        infoCommands: GenericCommands.infoCommands + [
            HMPCommand("migrate", help: "show migration status", qmp: "query-migrate", handler: none),
            HMPCommand("migrate_capabilities", help: "show capabilities", qmp: "query-migrate-capabilities", handler: none),
            HMPCommand("migrate_parameters", help: "show parameters", qmp: "query-migrate-parameters", handler: none),
            HMPCommand(
                "block", flags: [HMPFlag("v", "verbose", help: "more")],
                arguments: [HMPArgument("device", .blockDevice, optional: true, completion: .blockDeviceOrNode, help: "a device")],
                help: "show block devices", qmp: "query-block", handler: none),
        ])

    static func session() -> HMPSession { HMPSession(backend: CompletionTestBackend(), table: table) }
}
