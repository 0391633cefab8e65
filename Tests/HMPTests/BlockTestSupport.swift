import Backend
import Machine
import QAPI
import TestSupport

@testable import HMP

/// Runs lines through a session on the model, by default the usual VM: `virtio0` a thin qcow2
/// system disk over a base image, `virtio1` a read-only raw data disk, `ide1-cd0` an empty CD-ROM.
struct BlockRig {
    let model: ModelSession
    var session: HMPSession { model.session }

    init(format: OutputFormat = .table, disks: [DiskSpec] = DiskSpec.defaultMachine) {
        model = ModelSession(format: format, configuration: MachineConfiguration(disks: disks))
    }

    func run(_ line: String) -> HMPLineResult { session.execute(line) }

    /// Standard output of a line that must succeed.
    func output(_ line: String) -> String {
        let r = session.execute(line)
        return r.succeeded ? r.output : "FAILED: \(r.error ?? "")"
    }

    /// The commands the console sent other than queries, oldest first.
    var actions: [(name: String, arguments: JSONValue)] { model.recorder.actions }
    /// The last of them, as `name {arguments}`.
    var lastAction: String? { actions.last.map { "\($0.name) \($0.arguments)" } }

    /// What the model answers now.
    var blocks: [BlockInfo] { (try? model.query(QueryBlockCommand.self, QAPIEmpty())) ?? [] }
    var nodes: [BlockDeviceInfo] { (try? model.query(QueryNamedBlockNodesCommand.self, QueryNamedBlockNodesArguments())) ?? [] }
    var stats: [BlockStats] { (try? model.query(QueryBlockstatsCommand.self, QueryBlockstatsArguments())) ?? [] }
    var jobs: [BlockJobInfo] { (try? model.query(QueryBlockJobsCommand.self, QAPIEmpty())) ?? [] }
}

/// The reply a json-format line printed, parsed back.
func jsonReply(_ text: String) -> JSONValue? { try? JSONParser.parse(text) }
