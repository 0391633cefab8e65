import Machine
import Monitor
import QAPI
import Testing

/// The block commands served through the QMP dispatcher by the model's block layer.
@Suite struct BlockCommandTests {
    let events = EventQueue()
    let block: BlockLayer
    let dispatcher = QMPDispatcher()

    init() {
        block = BlockLayer(events: events)
        registerBlockCommands(on: dispatcher, block: block)
    }

    /// Sends one request as QMP text; answers the reply.
    func qmp(_ text: String) throws -> JSONValue { try JSONParser.parse(dispatcher.dispatch(json: text)) }

    func ok(_ text: String) throws -> JSONValue {
        let reply = try qmp(text)
        guard case .object(let o) = reply, let value = o["return"] else {
            Issue.record("not a success: \(JSONWriter().string(reply)) for \(text)")
            return .null
        }
        return value
    }

    /// Sends a request that must fail, checks that nothing changed, answers the error.
    func refused(_ text: String) throws -> (errorClass: String, desc: String) {
        let before = (block.queryBlock(), block.queryNamedBlockNodes(), block.queryBlockJobs())
        let reply = try qmp(text)
        #expect(block.queryBlock() == before.0 && block.queryNamedBlockNodes() == before.1 && block.queryBlockJobs() == before.2)
        guard case .object(let o) = reply, case .object(let e)? = o["error"], case .string(let c)? = e["class"],
            case .string(let d)? = e["desc"]
        else {
            Issue.record("not an error: \(JSONWriter().string(reply)) for \(text)")
            return ("", "")
        }
        return (c, d)
    }

    @Test func everyBlockCommandOfTheSchemaIsServed() {
        let schemaNames = Set(QAPISchema.commands.map(\.name))
        let blockish = schemaNames.filter {
            $0.hasPrefix("block") || $0.hasPrefix("query-block") || $0.hasPrefix("drive-") || $0 == "eject"
                || $0 == "query-named-block-nodes"
        }
        #expect(Set(blockCommandNames) == blockish)
        for name in blockCommandNames { #expect(dispatcher.hasHandler(name), "\(name)") }
        #expect(blockCommandNames.count == 18)
    }

    @Test func queries() throws {
        let info = try ok(#"{"execute": "query-block"}"#)
        guard case .array(let backends) = info else { Issue.record("no list"); return }
        #expect(backends.count == 3)
        #expect(backends[0].member("inserted")?.member("node-name") == "virtio0-fmt")
        #expect(backends[2].member("tray_open") == false && backends[2].member("inserted") == nil)

        let nodes = try ok(#"{"execute": "query-named-block-nodes", "arguments": {"flat": true}}"#)
        guard case .array(let list) = nodes else { Issue.record("no list"); return }
        #expect(list.count == 6 && list[0].member("image")?.member("backing-image") == nil)
        #expect(list[1].member("drv") == "file" && list[1].member("node-name") == "virtio1-file")

        block.advance(to: ModelTime.seconds(2))
        let stats = try ok(#"{"execute": "query-blockstats"}"#)
        guard case .array(let s) = stats else { Issue.record("no list"); return }
        #expect(s[0].member("device") == "virtio0" && s[0].member("stats")?.member("rd_bytes") == 8_388_608)
        #expect(s[0].member("backing")?.member("node-name") == "virtio0-base-fmt")
        let perNode = try ok(#"{"execute": "query-blockstats", "arguments": {"query-nodes": true}}"#)
        guard case .array(let n) = perNode else { Issue.record("no list"); return }
        #expect(n.count == 6 && n[0].member("device") == nil && n[0].member("backing") == nil)

        #expect(try ok(#"{"execute": "query-block-jobs"}"#) == .array([]))
    }

    @Test func resizeThrottleThresholdEject() throws {
        #expect(try ok(#"{"execute": "block_resize", "arguments": {"device": "virtio0", "size": 32212254720}}"#) == .object(JSONObject()))
        #expect(block.queryBlock()[0].inserted?.image.virtualSize == 32_212_254_720)
        #expect(
            try refused(#"{"execute": "block_resize", "arguments": {"node-name": "virtio0-fmt", "size": 1000}}"#)
                == ("GenericError", "The new size must be a multiple of 512"))
        #expect(
            try refused(#"{"execute": "block_resize", "arguments": {"device": "virtio1", "size": 1073741824}}"#)
                == ("GenericError", "Device 'virtio1' is read only"))
        #expect(
            try refused(#"{"execute": "block_resize", "arguments": {"size": 1}}"#)
                == ("GenericError", "Cannot find device='' nor node-name=''"))
        #expect(
            try refused(#"{"execute": "block_resize", "arguments": {"device": "virtio0"}}"#)
                == ("GenericError", "Parameter 'size' is missing"))

        _ = try ok(
            #"{"execute": "block_set_io_throttle", "arguments": {"device": "virtio0", "bps": 0, "bps_rd": 1048576, "bps_wr": 0, "iops": 0, "iops_rd": 0, "iops_wr": 0, "bps_rd_max": 2097152, "bps_rd_max_length": 3}}"#
        )
        let inserted = block.queryBlock()[0].inserted!
        #expect(inserted.bpsRd == 1_048_576 && inserted.bpsRdMax == 2_097_152 && inserted.bpsRdMaxLength == 3)
        #expect(
            try refused(
                #"{"execute": "block_set_io_throttle", "arguments": {"device": "virtio0", "bps": 1, "bps_rd": 1, "bps_wr": 0, "iops": 0, "iops_rd": 0, "iops_wr": 0}}"#
            )
                == ("GenericError", "bps/iops/max total values and read/write values cannot be used at the same time"))

        _ = try ok(#"{"execute": "block-set-write-threshold", "arguments": {"node-name": "virtio0-fmt", "write-threshold": 17179869184}}"#)
        #expect(block.queryBlock()[0].inserted?.writeThreshold == 17_179_869_184)
        #expect(
            try refused(#"{"execute": "block-set-write-threshold", "arguments": {"node-name": "virtio0-fmt", "write-threshold": -1}}"#)
                == ("GenericError", "Parameter 'write-threshold' expects uint64"))
        #expect(
            try refused(#"{"execute": "block-set-write-threshold", "arguments": {"node-name": "nope", "write-threshold": 1}}"#)
                == ("GenericError", "Device 'nope' not found"))

        #expect(
            try refused(#"{"execute": "eject", "arguments": {"device": "virtio0"}}"#)
                == ("GenericError", "Device 'virtio0' is not removable"))
        #expect(try refused(#"{"execute": "eject", "arguments": {"id": "nope"}}"#) == ("DeviceNotFound", "Device 'nope' not found"))
        _ = try ok(#"{"execute": "eject", "arguments": {"device": "ide1-cd0", "force": true}}"#)
        #expect(block.queryBlock()[2].trayOpen == true)
    }

    @Test func mirrorLifeCycleOverQMP() throws {
        _ = try ok(
            #"{"execute": "drive-mirror", "arguments": {"device": "virtio0", "target": "/fast/vm0.qcow2", "sync": "full", "node-name": "fast", "speed": 1073741824}}"#
        )
        #expect(
            try refused(#"{"execute": "drive-backup", "arguments": {"device": "virtio0", "target": "/b.qcow2", "sync": "full"}}"#)
                == ("GenericError", "Node 'virtio0' is busy: block device is in use by block job: mirror"))
        #expect(
            try refused(#"{"execute": "block-job-complete", "arguments": {"device": "virtio0"}}"#)
                == ("GenericError", "Job 'virtio0' in state 'running' cannot accept command verb 'complete'"))
        #expect(
            try refused(#"{"execute": "block-job-pause", "arguments": {"device": "nope"}}"#)
                == ("DeviceNotActive", "Block job 'nope' not found"))
        _ = try ok(#"{"execute": "block-job-set-speed", "arguments": {"device": "virtio0", "speed": 0}}"#)
        _ = try ok(#"{"execute": "block-job-pause", "arguments": {"device": "virtio0"}}"#)
        #expect(
            try refused(#"{"execute": "block-job-cancel", "arguments": {"device": "virtio0"}}"#)
                == ("GenericError", "The block job for device 'virtio0' is currently paused"))
        _ = try ok(#"{"execute": "block-job-resume", "arguments": {"device": "virtio0"}}"#)
        block.advance(to: ModelTime.seconds(10))
        let jobs = try ok(#"{"execute": "query-block-jobs"}"#)
        guard case .array(let list) = jobs, let job = list.first else { Issue.record("no job"); return }
        #expect(job.member("type") == "mirror" && job.member("status") == "ready" && job.member("ready") == true)
        #expect(job.member("actively-synced") == false && job.member("auto-dismiss") == true)
        _ = try ok(#"{"execute": "block-job-complete", "arguments": {"device": "virtio0"}}"#)
        #expect(block.queryBlock()[0].inserted?.nodeName == "fast")
        let wire = events.drain().filter { $0.name.hasPrefix("BLOCK_JOB") }.map { $0.qmpValue(epochMicroseconds: 1_700_000_000_000_000) }
        #expect(wire.count == 2)
        #expect(wire[0].member("event") == "BLOCK_JOB_READY" && wire[1].member("event") == "BLOCK_JOB_COMPLETED")
        #expect(wire[1].member("timestamp") == .object(["seconds": 1_700_000_010, "microseconds": 0]))
    }

    @Test func otherJobsOverQMP() throws {
        _ = try ok(#"{"execute": "block-stream", "arguments": {"device": "virtio0", "job-id": "s1", "speed": 104857600}}"#)
        block.advance(to: ModelTime.seconds(1))
        _ = try ok(#"{"execute": "block-job-cancel", "arguments": {"device": "s1"}}"#)
        _ = try ok(#"{"execute": "block-commit", "arguments": {"device": "virtio0", "job-id": "c1"}}"#)
        _ = try ok(#"{"execute": "block-job-cancel", "arguments": {"device": "c1", "force": true}}"#)
        #expect(
            try refused(#"{"execute": "block-commit", "arguments": {"device": "nope"}}"#) == ("DeviceNotFound", "Device 'nope' not found"))
        _ = try ok(
            #"{"execute": "drive-backup", "arguments": {"device": "virtio0", "target": "/b.qcow2", "sync": "top", "format": "qcow2"}}"#)
        block.advance(to: ModelTime.seconds(10))
        let names = events.drain().map(\.name).filter { $0.hasPrefix("BLOCK_JOB") }
        #expect(names == ["BLOCK_JOB_CANCELLED", "BLOCK_JOB_CANCELLED", "BLOCK_JOB_COMPLETED"])
        _ = try ok(
            #"{"execute": "blockdev-snapshot-sync", "arguments": {"device": "virtio0", "snapshot-file": "/s.qcow2", "snapshot-node-name": "s"}}"#
        )
        #expect(block.queryBlock()[0].inserted?.nodeName == "s")
        #expect(
            try refused(#"{"execute": "blockdev-snapshot-sync", "arguments": {"device": "virtio0", "snapshot-file": "/s.qcow2"}}"#)
                == ("GenericError", "Failed to get \"write\" lock"))
        #expect(
            try refused(#"{"execute": "drive-mirror", "arguments": {"device": "virtio0", "target": "/x", "sync": "sideways"}}"#)
                == ("GenericError", "Parameter 'sync' does not accept value 'sideways'"))
    }
}

extension JSONValue {
    func member(_ key: String) -> JSONValue? {
        guard case .object(let o) = self else { return nil }
        return o[key]
    }
}
