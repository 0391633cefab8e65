import Foundation
import Backend
import Machine
import Monitor
import QAPI
import Testing

@testable import HMP

/// `explain` tells the truth: for every command of the table, sending the requests it prints
/// through `qmp` changes the VM exactly as running the line does (same queries answer the
/// same afterwards, failure for failure), with the model clock moved on as far on both sides.
@Suite struct ExplainPropertyTests {
    struct Example: Sendable, CustomStringConvertible {
        var line: String
        var setup: [String] = []
        var incoming = false
        var description: String { line }
    }

    static let mirror = "drive_mirror virtio0 /tmp/explain-mirror.qcow2"
    static let migrating = "migrate -d tcp:10.0.0.2:4444"
    static let postcopy = ["migrate_set_capability postcopy-ram on", migrating, "sleep 1s"]

    /// One line for each command name (`info X` for the info table).
    static let examples: [String: Example] = [
        "block_job_cancel": Example(line: "block_job_cancel virtio0", setup: [mirror]),
        "block_job_complete": Example(line: "block_job_complete virtio0", setup: [mirror, "sleep 30s"]),
        "block_job_pause": Example(line: "block_job_pause virtio0", setup: [mirror]),
        "block_job_resume": Example(line: "block_job_resume virtio0", setup: [mirror, "block_job_pause virtio0"]),
        "block_job_set_speed": Example(line: "block_job_set_speed virtio0 10M", setup: [mirror]),
        "block_resize": Example(line: "block_resize virtio0 24G"),
        "block_set_io_throttle": Example(line: "block_set_io_throttle virtio0 1048576 0 0 100 0 0"),
        "block_set_write_threshold": Example(line: "block_set_write_threshold virtio0-file 10G"),
        "block_stream": Example(line: "block_stream virtio0 10"),
        "calc_dirty_rate": Example(line: "calc_dirty_rate 1"),
        // The model has no KVM dirty ring: these fail, on both sides alike.
        "cancel_vcpu_dirty_limit": Example(line: "cancel_vcpu_dirty_limit"),
        "cont": Example(line: "cont", setup: ["stop"]),
        "delvm": Example(line: "delvm snap1", setup: ["savevm snap1"]),
        "drive_backup": Example(line: "drive_backup virtio0 /tmp/explain-backup.qcow2"),
        "drive_mirror": Example(line: mirror),
        "eject": Example(line: "eject -f ide1-cd0"),
        "explain": Example(line: "explain stop"),
        "guest_set": Example(line: "guest_set dirty-rate 50k"),
        "help": Example(line: "help migrate"),
        "print": Example(line: "print/x 0x1000 + 4 * 512"),
        "cpu": Example(line: "cpu 1"),
        "info": Example(line: "info"),
        "inject_fault": Example(line: "inject_fault refuse-connection"),
        "link_set": Example(line: "link_set bandwidth 2G"),
        "loadvm": Example(line: "loadvm snap1", setup: ["savevm snap1"]),
        "migrate": Example(line: "migrate tcp:10.0.0.2:4444"),
        "migrate_cancel": Example(line: "migrate_cancel", setup: [migrating]),
        "migrate_continue": Example(
            line: "migrate_continue pre-switchover",
            setup: ["migrate_set_capability pause-before-switchover on", migrating, "wait migration pre-switchover"]),
        "migrate_incoming": Example(line: "migrate_incoming tcp:0:4444", incoming: true),
        "migrate_pause": Example(line: "migrate_pause", setup: postcopy + ["migrate_start_postcopy", "sleep 100ms"]),
        "migrate_recover": Example(line: "migrate_recover tcp:0:4445"),
        "migrate_set_capability": Example(line: "migrate_set_capability xbzrle on"),
        "migrate_set_parameter": Example(line: "migrate_set_parameter max-bandwidth 1G"),
        "migrate_start_postcopy": Example(line: "migrate_start_postcopy", setup: postcopy),
        "qmp": Example(line: "qmp stop"),
        "quit": Example(line: "quit"),
        "savevm": Example(line: "savevm snap1"),
        "set_vcpu_dirty_limit": Example(line: "set_vcpu_dirty_limit 100"),
        "sleep": Example(line: "sleep 2s", setup: [migrating]),
        "snapshot_blkdev": Example(line: "snapshot_blkdev virtio0 /tmp/explain-snap.qcow2"),
        "stop": Example(line: "stop"),
        "wait": Example(line: "wait migration completed", setup: [migrating]),
        "watch": Example(line: "watch -c 2 -n 1 info migrate", setup: [migrating]),
        "info block": Example(line: "info block"),
        "info block-jobs": Example(line: "info block-jobs", setup: [mirror]),
        "info blockstats": Example(line: "info blockstats"),
        "info dirty_rate": Example(line: "info dirty_rate", setup: ["calc_dirty_rate 1"]),
        "info events": Example(line: "info events", setup: ["stop"]),
        "info guest": Example(line: "info guest"),
        "info history": Example(line: "info history"),
        "info link": Example(line: "info link"),
        "info migrate": Example(line: "info migrate -v", setup: [migrating, "sleep 1s"]),
        "info migration_stream": Example(
            line: "info migration_stream "
                + URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Fixtures/streams/qemu-7.2-none.bin").path),
        "info migrate_capabilities": Example(line: "info migrate_capabilities"),
        "info migrate_parameters": Example(line: "info migrate_parameters"),
        "info name": Example(line: "info name"),
        "info snapshots": Example(line: "info snapshots", setup: ["savevm snap1"]),
        "info status": Example(line: "info status"),
        "info vcpu_dirty_limit": Example(line: "info vcpu_dirty_limit"),
        "info version": Example(line: "info version"),
    ]

    /// What the comparison reads: every query a VM answers about its state.
    static let stateQueries = [
        "query-status", "query-migrate", "query-migrate-capabilities", "query-migrate-parameters", "query-block",
        "query-named-block-nodes", "query-block-jobs", "query-jobs", "query-dirty-rate", "query-vcpu-dirty-limit",
        "x-query-guest", "x-query-link",
    ]

    func vm(_ example: Example) -> (HMPSession, InProcessBackend) {
        var configuration = MachineConfiguration()
        if example.incoming {
            configuration.startState = .inmigrate
            configuration.incomingURI = "defer"
        }
        let backend = InProcessBackend(machine: VirtualMachine(configuration: configuration), clock: .virtual())
        let session = HMPSession(backend: backend)
        for line in example.setup {
            let result = session.execute(line)
            #expect(result.error == nil, "setup '\(line)': \(result.error ?? "")")
        }
        _ = session.takeEvents()
        return (session, backend)
    }

    func state(_ backend: InProcessBackend) -> [JSONValue] {
        Self.stateQueries.map { backend.dispatch(.object(["execute": .string($0)])) } + [.bool(backend.quitRequested)]
    }

    /// Equal, but for numbers within a thousandth: the model integrates between the moments it
    /// is advanced to, and waiting in other slices rounds a byte or a rate differently.
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            let xs = Array(x), ys = Array(y)
            return xs.count == ys.count && zip(xs, ys).allSatisfy { $0.key == $1.key && same($0.value, $1.value) }
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        default:
            if let x = a.doubleValue, let y = b.doubleValue, a.stringValue == nil {
                return x == y || abs(x - y) <= max(abs(x), abs(y)) * 1e-3
            }
            return a == b
        }
    }

    @Test func everyCommandHasAnExample() {
        let table = CommandTable.standard
        // `use` and `connect` need the VMs of --connect; VMCommandTests covers their explanation.
        let names = table.commands.map(\.name).filter { $0 != "use" && $0 != "connect" } + table.infoCommands.map { "info " + $0.name }
        #expect(Set(names).subtracting(Self.examples.keys).sorted() == [])
        #expect(Set(Self.examples.keys).subtracting(names).sorted() == [])
    }

    @Test(arguments: examples.values.sorted { $0.line < $1.line })
    func explainedRequestsChangeWhatTheLineChanges(_ example: Example) throws {
        let (ran, ranBackend) = vm(example)
        let start = ranBackend.machine.now
        let direct = ran.execute(example.line)
        let elapsed = (ranBackend.machine.now - start).nanoseconds

        let (replayed, replayedBackend) = vm(example)
        let explained = replayed.execute("explain " + example.line)
        #expect(explained.error == nil, "\(explained.error ?? "")")
        var replayFailed = false
        for request in explained.output.split(separator: "\n") {
            // The console's own waits between requests, as console lines.
            if request.hasPrefix("# then: ") {
                _ = replayed.execute(String(request.dropFirst("# then: ".count)))
                continue
            }
            guard request.hasPrefix("{") else { continue }
            let value = try JSONParser.parse(String(request))
            let name = try #require(value["execute"]?.stringValue)
            let arguments = value["arguments"].map { " " + $0.description } ?? ""
            if replayed.execute("qmp \(name)\(arguments)").error != nil { replayFailed = true }
        }
        // Waiting on the client side (sleep, a foreground migrate) lets the model run on.
        let gap = elapsed - (replayedBackend.machine.now - start).nanoseconds
        if gap > 0 { replayedBackend.wait(nanoseconds: gap) }

        #expect(ranBackend.machine.now == replayedBackend.machine.now)
        #expect(
            Self.same(.array(state(ranBackend)), .array(state(replayedBackend))),
            "\(example.line)\n\(explained.output)\n\(state(ranBackend))\n\(state(replayedBackend))")
        if direct.error != nil { #expect(replayFailed, "the line failed but its requests did not") }
    }

    @Test func unitsAreResolved() {
        let (session, _) = vm(Example(line: ""))
        #expect(
            session.execute("explain migrate_set_parameter max-bandwidth 1G").output
                == "{\"execute\": \"migrate-set-parameters\", \"arguments\": {\"max-bandwidth\": 1073741824}}\n")
        #expect(session.execute("explain help").output == "# no QMP request: runs in the console\n")
        #expect(session.execute("explain sleep 2s").output == "# no QMP request: runs in the console\n# then: sleep 2s\n")
        // Mistakes are reported as the line would report them, and nothing runs.
        let bad = session.execute("explain migrate_set_parameter max-bandwidth lots")
        #expect(bad.error?.hasPrefix("Error: ") == true)
        #expect(session.execute("explain stop").output == "{\"execute\": \"stop\"}\n")
        #expect(session.execute("info status").output.contains("running"))
    }
}
