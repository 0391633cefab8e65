import QAPI
import Testing

@testable import Machine

@Suite struct SnapshotJobTests {
    func vmWithDisk() throws -> VirtualMachine {
        // The default machine's system disk, virtio0, is a qcow2 image.
        let vm = makeVM()
        _ = vm.events.drain()
        return vm
    }

    func jobEvents(_ vm: VirtualMachine) -> [String] {
        vm.events.drain().compactMap { event in
            event.name == "JOB_STATUS_CHANGE" ? event.data["status"]?.stringValue : event.name
        }
    }

    @Test func saveLoadDeleteAsJobs() throws {
        let vm = try vmWithDisk()
        try vm.snapshotSave(SnapshotSaveArguments(jobId: "save0", tag: "before", vmstate: "virtio0", devices: ["virtio0"]))
        #expect(vm.jobInfos == [JobInfo(id: "save0", type: .snapshotSave, status: .concluded, currentProgress: 1, totalProgress: 1)])
        #expect(jobEvents(vm) == ["created", "running", "STOP", "RESUME", "waiting", "pending", "concluded"])
        #expect(vm.runState == .running)
        let held = try #require(vm.block.snapshotsForInfo().disks.first?.snapshots.first)
        #expect(held.name == "before" && held.vmStateSize == vm.vmStateSize)

        // The tag exists now: the job fails, the command does not.
        try vm.snapshotSave(SnapshotSaveArguments(jobId: "save1", tag: "before", vmstate: "virtio0", devices: ["virtio0"]))
        #expect(vm.jobInfos.last?.error == "Snapshot 'before' already exists in one or more devices")
        #expect(jobEvents(vm) == ["created", "running", "aborting", "concluded"])

        try vm.snapshotLoad(SnapshotLoadArguments(jobId: "load0", tag: "before", vmstate: "virtio0", devices: ["virtio0"]))
        #expect(vm.jobInfos.last?.error == nil)
        #expect(vm.runState == .running)
        try vm.snapshotDelete(SnapshotDeleteArguments(jobId: "del0", tag: "before", devices: ["virtio0"]))
        #expect(try vm.block.snapshotsForInfo().disks.first?.snapshots.isEmpty == true)

        for id in ["save0", "save1", "load0", "del0"] { try vm.dismissJob(id: id) }
        #expect(vm.jobInfos.isEmpty)
        expectError("Job not found") { () throws(QMPError) in try vm.dismissJob(id: "save0") }
    }

    @Test func jobIDsAreChecked() throws {
        let vm = try vmWithDisk()
        let args = SnapshotSaveArguments(jobId: "s0", tag: "t", vmstate: "virtio0", devices: ["virtio0"])
        try vm.snapshotSave(args)
        expectError("Job ID 's0' already in use") { () throws(QMPError) in try vm.snapshotSave(args) }
        expectError("Invalid job ID '0bad'") { () throws(QMPError) in
            try vm.snapshotSave(SnapshotSaveArguments(jobId: "0bad", tag: "t", vmstate: "virtio0", devices: ["virtio0"]))
        }
    }

    @Test func aFailedLoadLeavesTheGuestStopped() throws {
        let vm = try vmWithDisk()
        try vm.snapshotLoad(SnapshotLoadArguments(jobId: "l", tag: "missing", vmstate: "virtio0", devices: ["virtio0"]))
        #expect(vm.jobInfos.last?.error == "Snapshot 'missing' does not exist in one or more devices")
        #expect(vm.runState == .restoreVm)
    }

    @Test func noDisksNoSnapshots() throws {
        let vm = makeVM(disks: [])
        try vm.snapshotSave(SnapshotSaveArguments(jobId: "s", tag: "t", vmstate: "virtio0", devices: []))
        #expect(vm.jobInfos.last?.error == "vmstate block device 'virtio0' does not exist")
        #expect(vm.runState == .running)
    }

    @Test func invalidDisksAreRefusedByTheValidatingInitializer() throws {
        let disk = try DiskSpec.parse("virtio0:qcow2:1G")
        #expect(throws: QMPError.self) {
            _ = try VirtualMachine(validating: MachineConfiguration(disks: [disk, disk]))
        }
    }

    @Test func diskErrorPolicyStopsTheGuestAndItsDirtying() throws {
        let vm = makeVM(workload: GuestWorkload(dirtyPagesPerSecond: 10_000), disks: [try DiskSpec.parse("virtio0:qcow2:1G:werror=stop")])
        try vm.block.injectIOError(device: "virtio0", operation: .write)
        #expect(vm.runState == .ioError)
        #expect(vm.effectiveDirtyRate == 0)
        try vm.cont()
        #expect(vm.runState == .running)
    }

    @Test func notDuringMigration() throws {
        let vm = try vmWithDisk()
        try vm.migration.migrate(uri: "tcp:10.0.0.2:4446", channels: nil)
        try vm.snapshotSave(SnapshotSaveArguments(jobId: "s", tag: "t", vmstate: "virtio0", devices: ["virtio0"]))
        #expect(vm.jobInfos.last?.error == "There's a migration process in progress")
    }
}
