import QAPI

/// A snapshot-save, -load or -delete job. QEMU runs these in one go from the main loop, so the
/// model does too: by the time the command returns the job is concluded, with its error if it
/// failed, and waits for `job-dismiss`.
struct SnapshotJob: Hashable {
    var id: String
    var type: JobType
    var status: JobStatus
    var error: String?

    var info: JobInfo {
        JobInfo(id: id, type: type, status: status, currentProgress: 1, totalProgress: 1, error: error)
    }
}

extension VirtualMachine {
    /// Bytes of VM state a snapshot writes: RAM that is not zero, plus device state.
    public var vmStateSize: UInt64 {
        (configuration.totalPages - zeroPages) * configuration.pageSize + configuration.deviceStateBytes
    }

    /// `snapshot-save`: a job that stops the guest, writes its state and the disks' internal
    /// snapshots through the block layer, and lets the guest run again.
    public func snapshotSave(_ arguments: SnapshotSaveArguments) throws(QMPError) {
        try runSnapshotJob(id: arguments.jobId, type: .snapshotSave) { () throws(QMPError) in
            if migration.isRunning { throw QMPError.generic("There's a migration process in progress") }
            try block.saveSnapshot(
                tag: arguments.tag, vmStateSize: vmStateSize, vmClockNanoseconds: now.nanoseconds,
                devices: arguments.devices, vmState: arguments.vmstate, overwrite: false)
            if runState == .running {
                setRunState(.saveVm)
                setRunState(.running)
            }
        }
    }

    /// `snapshot-load`: stops the guest, reverts the disks and the VM state; the guest runs
    /// again only when the load worked and it ran before (as in QEMU).
    public func snapshotLoad(_ arguments: SnapshotLoadArguments) throws(QMPError) {
        try runSnapshotJob(id: arguments.jobId, type: .snapshotLoad) { () throws(QMPError) in
            if migration.isRunning { throw QMPError.generic("There's a migration process in progress") }
            let wasRunning = runState == .running
            if wasRunning { setRunState(.restoreVm) }
            try block.loadSnapshot(tag: arguments.tag, devices: arguments.devices, vmState: arguments.vmstate)
            if wasRunning { setRunState(.running) }
        }
    }

    /// `snapshot-delete`.
    public func snapshotDelete(_ arguments: SnapshotDeleteArguments) throws(QMPError) {
        try runSnapshotJob(id: arguments.jobId, type: .snapshotDelete) { () throws(QMPError) in
            try block.deleteSnapshot(tag: arguments.tag, devices: arguments.devices)
        }
    }

    /// `query-jobs`: block jobs, then snapshot jobs.
    public var jobInfos: [JobInfo] { block.jobInfos + snapshotJobs.map(\.info) }

    /// `job-dismiss`.
    public func dismissJob(id: String) throws(QMPError) {
        guard let index = snapshotJobs.firstIndex(where: { $0.id == id }) else {
            guard block.jobInfos.contains(where: { $0.id == id }) else { throw QMPError.generic("Job not found") }
            try block.dismissJob(id)
            return
        }
        let job = snapshotJobs[index]
        guard job.status == .concluded else {
            throw QMPError.generic("Job '\(id)' in state '\(job.status.rawValue)' cannot accept command verb 'dismiss'")
        }
        snapshotJobs.remove(at: index)
        events.emit(JobStatusChangeEvent(id: id, status: .null), at: now)
    }

    /// Creates the job (QEMU's `job_create` checks on the ID), runs `body`, and concludes the
    /// job with the outcome. Failures of `body` belong to the job, not to the command.
    private func runSnapshotJob(id: String, type: JobType, _ body: () throws(QMPError) -> Void) throws(QMPError) {
        if !BitmapMappingCheck.isWellFormedID(id) { throw QMPError.generic("Invalid job ID '\(id)'") }
        if jobInfos.contains(where: { $0.id == id }) { throw QMPError.generic("Job ID '\(id)' already in use") }
        var job = SnapshotJob(id: id, type: type, status: .created)
        let emit = { (status: JobStatus) in self.events.emit(JobStatusChangeEvent(id: id, status: status), at: self.now) }
        emit(.created)
        emit(.running)
        do throws(QMPError) {
            try body()
            emit(.waiting)
            emit(.pending)
        } catch {
            job.error = error.desc
            emit(.aborting)
        }
        job.status = .concluded
        emit(.concluded)
        snapshotJobs.append(job)
    }
}
