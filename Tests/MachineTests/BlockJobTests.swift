import QAPI
import Testing

@testable import Machine

/// Jobs on the default VM: virtio0 is 1.2 GiB of data over a 2.4 GiB base, written at 1.5 MiB/s.
@Suite struct BlockJobTests {
    let topUsed: UInt64 = 1_288_175_616
    let baseUsed: UInt64 = 2_576_351_232

    func statuses(_ events: [EmittedEvent], _ id: String) -> [String] {
        events.filter { $0.name == "JOB_STATUS_CHANGE" && $0.data["id"]?.string == id }.compactMap { $0.data["status"]?.string }
    }

    @Test func streamProgressesAtItsSpeedAndFlattensTheChain() throws {
        let events = EventQueue()
        let block = BlockLayer(events: events)
        try block.startStream(BlockStreamArguments(device: "virtio0", speed: Int64(100 * MiB)))
        var job = try #require(block.queryBlockJobs().first)
        #expect(job.device == "virtio0" && job.type == .stream && job.status == .running && job.len == Int64(baseUsed))
        block.advance(to: seconds(10))
        job = block.queryBlockJobs()[0]
        #expect(job.offset == Int64(1000 * MiB) && job.busy && !job.paused && job.speed == Int64(100 * MiB))
        block.advance(to: seconds(30))
        #expect(block.queryBlockJobs().isEmpty)
        let all = events.drain()
        #expect(statuses(all, "virtio0") == ["created", "running", "waiting", "pending", "concluded", "null"])
        let done = try #require(all.first { $0.name == "BLOCK_JOB_COMPLETED" })
        // 2.4 GiB at 100 MiB/s.
        #expect(done.time == ModelTime(nanoseconds: 24_570_000_000))
        #expect(
            done.data
                == JSONValue.object([
                    "type": "stream", "device": "virtio0", "len": .int(Int64(baseUsed)), "offset": .int(Int64(baseUsed)),
                    "speed": .int(Int64(100 * MiB)),
                ]))
        let top = block.queryBlock()[0].inserted!
        #expect(top.backingFileDepth == 0 && top.backingFile == nil && top.image.backingImage == nil)
        #expect(!block.nodeNames.contains("virtio0-base-fmt"))
        #expect(block.closedImageFiles == ["/var/lib/hmp/images/fedora-41-base.qcow2"])
    }

    @Test func sameInputsSameEvents() throws {
        func run() throws -> [EmittedEvent] {
            let events = EventQueue()
            let block = BlockLayer(events: events)
            try block.startMirror(DriveMirror(device: "virtio0", target: "/m.qcow2", sync: .full, speed: Int64(300 * MiB)))
            try block.startBackup(DriveBackup(device: "virtio0", target: "/b.qcow2", sync: .full)) as Void?
            return events.drain()
        }
        #expect(failure { _ = try run() }?.desc == "Node 'virtio0' is busy: block device is in use by block job: mirror")
        func scenario() throws -> [EmittedEvent] {
            let events = EventQueue()
            let block = BlockLayer(events: events)
            try block.startMirror(DriveMirror(device: "virtio0", target: "/m.qcow2", sync: .full, speed: Int64(300 * MiB)))
            for t in stride(from: UInt64(0), to: 30_000, by: 333) { block.advance(to: .milliseconds(t)) }
            try block.completeJob("virtio0")
            return events.drain()
        }
        let first = try scenario()
        #expect(first == (try scenario()))
        #expect(first.map(\.name).contains("BLOCK_JOB_READY"))
    }

    @Test func mirrorBecomesReadyThenCompletesOntoTheTarget() throws {
        let events = EventQueue()
        let block = BlockLayer(events: events)
        try block.startMirror(DriveMirror(device: "virtio0", target: "/fast/vm0.qcow2", nodeName: "fast-fmt", sync: .full))
        #expect(
            failure { try block.completeJob("virtio0") }?.desc
                == "Job 'virtio0' in state 'running' cannot accept command verb 'complete'")
        block.advance(to: seconds(5))
        #expect(block.queryBlockJobs()[0].ready == false)
        block.advance(to: seconds(10))
        let ready = events.take("BLOCK_JOB_READY")
        #expect(ready.count == 1)
        // 3.6 GiB to copy at 512 MiB/s while the guest dirties 1.5 MiB/s.
        #expect(ready[0].time == ModelTime(nanoseconds: 7_219_392_752))
        var job = block.queryBlockJobs()[0]
        #expect(job.ready && job.status == .ready && job.offset == job.len)
        #expect(job.variant == .mirror(BlockJobInfoMirror(activelySynced: false)))
        #expect(job.len > Int64(topUsed + baseUsed))
        // The target node exists while the job runs.
        #expect(block.nodeNames.contains("fast-fmt"))

        block.advance(to: seconds(20))
        job = block.queryBlockJobs()[0]
        #expect(job.offset == job.len)
        try block.completeJob("virtio0")
        let done = events.take("BLOCK_JOB_COMPLETED")
        #expect(done.count == 1 && done[0].data["type"]?.string == "mirror" && done[0].time == seconds(20))
        let top = block.queryBlock()[0].inserted!
        #expect(top.file == "/fast/vm0.qcow2" && top.nodeName == "fast-fmt" && top.backingFileDepth == 0)
        #expect(block.queryBlockJobs().isEmpty)
        #expect(!block.nodeNames.contains("virtio0-fmt") && !block.nodeNames.contains("virtio0-base-fmt"))
        // The guest now writes to the target.
        let before = block.queryBlockstats()[0].stats.wrHighestOffset
        block.advance(to: seconds(30))
        #expect(block.queryBlockstats()[0].stats.wrHighestOffset > before)
    }

    @Test func cancellingAReadyMirrorKeepsTheSource() throws {
        let events = EventQueue()
        let block = BlockLayer(events: events)
        try block.startMirror(DriveMirror(device: "virtio0", target: "/m.qcow2", sync: .top))
        block.advance(to: seconds(5))
        #expect(block.queryBlockJobs()[0].ready)
        _ = events.drain()
        try block.cancelJob("virtio0")
        let names = events.names()
        #expect(names.contains("BLOCK_JOB_COMPLETED") && !names.contains("BLOCK_JOB_CANCELLED"))
        #expect(block.queryBlock()[0].inserted?.file == "/var/lib/hmp/images/vm0-system.qcow2")
        #expect(block.closedImageFiles.contains("/m.qcow2"))
    }

    @Test func forceCancelAndPlainCancel() throws {
        let events = EventQueue()
        let block = BlockLayer(events: events)
        try block.startMirror(DriveMirror(device: "virtio0", target: "/m.qcow2", sync: .top))
        block.advance(to: seconds(5))
        try block.cancelJob("virtio0", force: true)
        #expect(events.take("BLOCK_JOB_CANCELLED").count == 1)

        try block.startBackup(DriveBackup(device: "virtio0", target: "/b.qcow2", sync: .full, speed: Int64(MiB)))
        block.advance(to: seconds(7))
        _ = events.drain()
        try block.cancelJob("virtio0")
        let all = events.drain()
        #expect(statuses(all, "virtio0") == ["aborting", "concluded", "null"])
        let cancelled = try #require(all.first { $0.name == "BLOCK_JOB_CANCELLED" })
        #expect(cancelled.data["offset"]?.int == Int64(2 * MiB) && cancelled.data["type"]?.string == "backup")
        #expect(block.queryBlockJobs().isEmpty)
    }

    @Test func pauseResumeAndTheirErrors() throws {
        let events = EventQueue()
        let block = BlockLayer(events: events)
        try block.startStream(BlockStreamArguments(device: "virtio0", speed: Int64(10 * MiB)))
        block.advance(to: seconds(1))
        try block.pauseJob("virtio0")
        var job = block.queryBlockJobs()[0]
        #expect(job.paused && job.status == .paused && !job.busy)
        #expect(failure { try block.pauseJob("virtio0") }?.desc == "Job is already paused")
        #expect(failure { try block.cancelJob("virtio0") }?.desc == "The block job for device 'virtio0' is currently paused")
        block.advance(to: seconds(100))
        #expect(block.queryBlockJobs()[0].offset == Int64(10 * MiB))
        try block.resumeJob("virtio0")
        #expect(failure { try block.resumeJob("virtio0") }?.desc == "Can't resume a job that was not paused")
        block.advance(to: seconds(101))
        job = block.queryBlockJobs()[0]
        #expect(job.status == .running && job.offset == Int64(20 * MiB))
        try block.setJobSpeed("virtio0", speed: 0)
        #expect(failure { try block.setJobSpeed("virtio0", speed: -1) }?.desc == "Invalid parameter 'speed'")
        block.advance(to: seconds(102))
        #expect(block.queryBlockJobs()[0].offset == Int64(20 * MiB + 512 * MiB))
        let missing = failure { try block.pauseJob("virtio9") }
        #expect(missing?.errorClass == .deviceNotActive && missing?.desc == "Block job 'virtio9' not found")
        #expect(statuses(events.drain(), "virtio0") == ["created", "running", "paused", "running"])
    }

    @Test func pausedReadyMirrorCompletesWhenResumed() throws {
        let events = EventQueue()
        let block = BlockLayer(events: events)
        try block.startMirror(DriveMirror(jobId: "m1", device: "virtio0", target: "/m.qcow2", sync: .none))
        block.advance(to: .milliseconds(1))
        try block.pauseJob("m1")
        #expect(block.queryBlockJobs()[0].status == .standby)
        try block.completeJob("m1")
        #expect(block.queryBlockJobs()[0].status == .standby)
        try block.resumeJob("m1")
        #expect(block.queryBlockJobs().isEmpty)
        let top = block.queryBlock()[0].inserted!
        // sync=none: the new image sits on the old top.
        #expect(top.file == "/m.qcow2" && top.backingFileDepth == 2 && top.backingFile == "/var/lib/hmp/images/vm0-system.qcow2")
    }

    @Test func activeCommitNeedsCompleting() throws {
        let events = EventQueue()
        let block = BlockLayer(events: events)
        try block.startCommit(BlockCommitArguments(device: "virtio0"))
        block.advance(to: seconds(5))
        #expect(events.take("BLOCK_JOB_READY").count == 1)
        try block.completeJob("virtio0")
        let top = block.queryBlock()[0].inserted!
        #expect(top.file == "/var/lib/hmp/images/fedora-41-base.qcow2" && top.ro == false && top.backingFileDepth == 0)
        #expect(top.nodeName == "virtio0-base-fmt")
    }

    @Test func intermediateCommitAfterAnExternalSnapshot() throws {
        let events = EventQueue()
        let block = BlockLayer(events: events)
        try block.externalSnapshot(BlockdevSnapshotSync(device: "virtio0", snapshotFile: "/snap1.qcow2", snapshotNodeName: "snap1"))
        #expect(block.queryBlock()[0].inserted?.backingFileDepth == 2)
        try block.startCommit(BlockCommitArguments(jobId: "c1", device: "virtio0", baseNode: "virtio0-base-fmt", topNode: "virtio0-fmt"))
        block.advance(to: seconds(10))
        let done = events.take("BLOCK_JOB_COMPLETED")
        #expect(done.count == 1 && done[0].data["device"]?.string == "c1")
        let top = block.queryBlock()[0].inserted!
        #expect(top.nodeName == "snap1" && top.backingFileDepth == 1)
        #expect(top.backingFile == "/var/lib/hmp/images/fedora-41-base.qcow2")
        #expect(top.image.backingImage?.actualSize == Int64(196_608 + topUsed + baseUsed))
    }

    @Test(arguments: [
        (BlockCommitArguments(device: "nope"), "Device 'nope' not found"),
        (BlockCommitArguments(device: "ide1-cd0"), "Device 'ide1-cd0' not found"),
        (BlockCommitArguments(device: "virtio1"), "cannot commit an image into itself"),
        (BlockCommitArguments(device: "virtio0", topNode: "virtio1-fmt"), "'virtio1-fmt' is not in this backing file chain"),
        (BlockCommitArguments(device: "virtio0", top: "/nope.qcow2"), "Top image file /nope.qcow2 not found"),
        (BlockCommitArguments(device: "virtio0", base: "/nope.qcow2"), "Base '/nope.qcow2' not found"),
        (BlockCommitArguments(device: "virtio0", baseNode: "a", base: "b"), "'base-node' and 'base' are mutually exclusive"),
        (BlockCommitArguments(device: "virtio0", topNode: "a", top: "b"), "'top-node' and 'top' are mutually exclusive"),
        (BlockCommitArguments(device: "virtio0", backingFile: "x"), "'backing-file' specified, but 'top' is the active layer"),
        (BlockCommitArguments(device: "virtio0-base-fmt"), "Need a root block node"),
        (BlockCommitArguments(jobId: "1st", device: "virtio0"), "Invalid job ID '1st'"),
        (BlockCommitArguments(device: "virtio0", speed: -5), "Invalid parameter 'speed'"),
    ])
    func commitRefusals(arguments: BlockCommitArguments, message: String) {
        let events = EventQueue()
        let block = BlockLayer(events: events)
        let before = block.queryNamedBlockNodes()
        let error = failure { try block.startCommit(arguments) }
        #expect(error?.desc == message)
        #expect(error?.errorClass == (message.hasSuffix("not found") && message.hasPrefix("Device") ? .deviceNotFound : .genericError))
        #expect(block.queryBlockJobs().isEmpty && block.queryNamedBlockNodes() == before && events.pending.isEmpty)
    }

    @Test(arguments: [
        (DriveMirror(device: "virtio0", target: "/t", format: "vmdk", sync: .full), "Unknown file format 'vmdk'"),
        (
            DriveMirror(device: "virtio0", target: "/t", sync: .full, granularity: 100),
            "Parameter 'granularity' expects a value in range [512B, 64MB]"
        ),
        (DriveMirror(device: "virtio0", target: "/t", sync: .full, granularity: 3000), "Parameter 'granularity' expects power of 2"),
        (
            DriveMirror(device: "virtio0", target: "/t", replaces: "virtio0-fmt", sync: .full),
            "a node-name must be provided when replacing a named node of the graph"
        ),
        (DriveMirror(device: "virtio0", target: "/t", format: "raw", sync: .top), "Backing file not supported for file format 'raw'"),
        (DriveMirror(device: "virtio0", target: "/t", sync: .full, mode: .existing), "Could not open '/t': No such file or directory"),
        (DriveMirror(device: "virtio0", target: "/var/lib/hmp/images/vm0-data.raw", sync: .full), "Failed to get \"write\" lock"),
        (
            DriveMirror(device: "virtio0", target: "/t", nodeName: "virtio1-fmt", sync: .full),
            "Duplicate nodes with node-name='virtio1-fmt'"
        ),
        (DriveMirror(device: "virtio0", target: "/t", sync: .full, bufSize: -1), "Invalid parameter 'buf-size'"),
        (DriveMirror(device: "ide1-cd0", target: "/t", sync: .full), "Device 'ide1-cd0' has no medium"),
        (DriveMirror(device: "virtio9", target: "/t", sync: .full), "Cannot find device='virtio9' nor node-name='virtio9'"),
    ])
    func mirrorRefusals(arguments: DriveMirror, message: String) {
        let block = BlockLayer(events: EventQueue())
        let before = block.queryNamedBlockNodes()
        #expect(failure { try block.startMirror(arguments) }?.desc == message)
        #expect(block.queryBlockJobs().isEmpty && block.queryNamedBlockNodes() == before)
    }

    @Test func jobIDsAreUnique() throws {
        let (block, _) = try blockLayer(["virtio0:qcow2:1G", "virtio1:qcow2:1G"])
        try block.startBackup(DriveBackup(jobId: "nightly", device: "virtio0", target: "/b0.qcow2", sync: .none))
        #expect(
            failure { try block.startBackup(DriveBackup(jobId: "nightly", device: "virtio1", target: "/b1.qcow2", sync: .none)) }?.desc
                == "Job ID 'nightly' already in use")
        #expect(
            failure { try block.startStream(BlockStreamArguments(device: "virtio0")) }?.desc
                == "Node 'virtio0' is busy: block device is in use by block job: backup")
        // Backup with sync=none copies what the guest overwrites and never ends by itself.
        try block.setWorkload(device: "virtio0", .steady(writeBytesPerSecond: MiB))
        block.advance(to: seconds(3600))
        let job = block.queryBlockJobs()[0]
        #expect(job.len == Int64(3600 * MiB) && job.offset == job.len && job.status == .running)
    }

    @Test func backupCompletesIntoAClosedFile() throws {
        let events = EventQueue()
        let block = BlockLayer(events: events)
        try block.startBackup(DriveBackup(device: "virtio0", target: "/backup/vm0.qcow2", sync: .top, compress: true))
        #expect(block.queryNamedBlockNodes().contains { $0.file == "/backup/vm0.qcow2" && $0.nodeName == "#block100" })
        block.advance(to: seconds(3))
        #expect(events.take("BLOCK_JOB_COMPLETED").first?.data["len"]?.int == Int64(topUsed))
        #expect(block.closedImageFiles == ["/backup/vm0.qcow2"])
        // Now it exists, so mode=existing can use it.
        try block.startMirror(DriveMirror(device: "virtio0", target: "/backup/vm0.qcow2", sync: .full, mode: .existing))
        #expect(
            failure { try block.startBackup(DriveBackup(device: "virtio1", target: "/r.raw", format: "raw", sync: .full, compress: true)) }?
                .desc
                == "Compression is not supported for this drive /r.raw")
    }

    @Test func streamRefusals() {
        let block = BlockLayer(events: EventQueue())
        #expect(failure { try block.startStream(BlockStreamArguments(device: "virtio0", base: "/x")) }?.desc == "Base '/x' not found")
        #expect(
            failure { try block.startStream(BlockStreamArguments(device: "virtio0", base: "/x", baseNode: "y")) }?.desc
                == "'base' and 'base-node' cannot be specified at the same time")
        #expect(
            failure { try block.startStream(BlockStreamArguments(device: "virtio0", baseNode: "virtio0-fmt")) }?.desc
                == "Node 'virtio0-fmt' is not a backing image of 'virtio0'")
        #expect(
            failure { try block.startStream(BlockStreamArguments(device: "virtio0", backingFile: "/b")) }?.desc
                == "backing file specified, but streaming the entire chain")
        #expect(
            failure { try block.startStream(BlockStreamArguments(device: "virtio0", baseNode: "nope")) }?.desc
                == "Cannot find device='' nor node-name='nope'")
    }

    @Test func jobErrorsFollowTheJobPolicy() throws {
        let events = EventQueue()
        let block = BlockLayer(events: events)
        try block.startStream(BlockStreamArguments(device: "virtio0", speed: Int64(MiB), onError: .stop))
        block.advance(to: seconds(2))
        try block.injectJobError("virtio0", operation: .read)
        var job = block.queryBlockJobs()[0]
        #expect(job.status == .paused && job.ioStatus == .failed && job.paused)
        #expect(
            events.take("BLOCK_JOB_ERROR").first?.data == JSONValue.object(["device": "virtio0", "operation": "read", "action": "stop"]))
        try block.resumeJob("virtio0")
        job = block.queryBlockJobs()[0]
        #expect(job.status == .running && job.ioStatus == .ok)

        try block.cancelJob("virtio0")
        try block.startStream(BlockStreamArguments(device: "virtio0", speed: Int64(MiB)))
        block.advance(to: seconds(4))
        _ = events.drain()
        try block.injectJobError("virtio0", operation: .write)
        let done = events.take("BLOCK_JOB_COMPLETED")
        #expect(done.first?.data["error"]?.string == "Input/output error" && done.first?.data["offset"]?.int == Int64(2 * MiB))
        #expect(block.queryBlockJobs().isEmpty)
    }

    @Test func manualDismissKeepsAConcludedJob() throws {
        let (block, events) = try blockLayer(["virtio0:qcow2:1G:used=1M"])
        try block.startBackup(DriveBackup(device: "virtio0", target: "/b.qcow2", sync: .full, autoFinalize: false, autoDismiss: false))
        block.advance(to: seconds(1))
        #expect(block.queryBlockJobs()[0].status == .pending)
        #expect(events.take("BLOCK_JOB_COMPLETED").isEmpty)
        try block.finalizeJob("virtio0")
        #expect(block.queryBlockJobs()[0].status == .concluded)
        #expect(
            failure { try block.cancelJob("virtio0") }?.desc == "Job 'virtio0' in state 'concluded' cannot accept command verb 'cancel'")
        #expect(block.jobInfos.first?.status == .concluded)
        try block.dismissJob("virtio0")
        #expect(block.queryBlockJobs().isEmpty)
    }
}
