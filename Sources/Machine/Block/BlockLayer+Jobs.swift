import QAPI

/// Block jobs: starting them, the verbs that steer them, and how they end.
extension BlockLayer {
    // MARK: - Starting

    /// block-stream: copies the backing chain above `base` into the top image.
    public func startStream(_ a: BlockStreamArguments) throws(QMPError) {
        let (device, top) = try jobSource(a.device)
        if a.base != nil && a.baseNode != nil {
            throw .generic("'base' and 'base-node' cannot be specified at the same time")
        }
        var base: Int?
        if let name = a.base {
            guard let found = findBackingImage(below: top, named: name) else { throw .generic("Base '\(name)' not found") }
            base = found
        }
        if let name = a.baseNode {
            let found = try lookupNode(device: nil, nodeName: name)
            guard !found.isFile, found.image != top, chain(from: top).contains(found.image) else {
                throw .generic("Node '\(name)' is not a backing image of '\(a.device)'")
            }
            base = found.image
        }
        try checkNotBusy(top)
        if base == nil && a.backingFile != nil {
            throw .generic("backing file specified, but streaming the entire chain")
        }
        let copied = imagesBetween(top: top, base: base, includingTop: false).reduce(UInt64(0)) { $0.saturatingAdd(images[$1]!.used.whole) }
        let room = images[top]!.virtualSize.saturatingSub(images[top]!.used.whole)
        try createJob(
            id: a.jobId, device: device, kind: .stream, detail: .stream(base: base, backingFile: a.backingFile),
            work: min(copied, room), speed: a.speed, onSourceError: a.onError ?? .report, onTargetError: .report,
            autoFinalize: a.autoFinalize, autoDismiss: a.autoDismiss)
    }

    /// block-commit: merges the images from `top` down into `base`.
    public func startCommit(_ a: BlockCommitArguments) throws(QMPError) {
        // libvirt probes for commit support by the DeviceNotFound class, so look the device up first.
        let device: Int
        let active: Int
        do {
            (device, active) = try jobSource(a.device)
        } catch {
            let exists = (backendIndex(a.device).map { backends[$0].medium != nil } ?? false) || node(named: a.device) != nil
            if !exists { throw QMPError(.deviceNotFound, "Device '\(a.device)' not found") }
            throw error
        }
        try checkNotBusy(active)
        var top = active
        if a.topNode != nil && a.top != nil { throw .generic("'top-node' and 'top' are mutually exclusive") }
        if let name = a.topNode {
            let found = try lookupNode(device: nil, nodeName: name)
            guard !found.isFile, chain(from: active).contains(found.image) else {
                throw .generic("'\(name)' is not in this backing file chain")
            }
            top = found.image
        } else if let name = a.top, images[active]!.filename != name {
            guard let found = findBackingImage(below: active, named: name) else {
                throw .generic("Top image file \(name) not found")
            }
            top = found
        }
        if a.baseNode != nil && a.base != nil { throw .generic("'base-node' and 'base' are mutually exclusive") }
        let base: Int
        if let name = a.baseNode {
            let found = try lookupNode(device: nil, nodeName: name)
            guard !found.isFile, chain(from: top).contains(found.image) else {
                throw .generic("'\(name)' is not in this backing file chain")
            }
            base = found.image
        } else if let name = a.base {
            guard let found = findBackingImage(below: top, named: name) else { throw .generic("Base '\(name)' not found") }
            base = found
        } else {
            base = chain(from: top).last!
        }
        if top == base { throw .generic("cannot commit an image into itself") }
        let isActive = top == active
        if isActive && a.backingFile != nil {
            throw .generic("'backing-file' specified, but 'top' is the active layer")
        }
        let work = imagesBetween(top: top, base: base, includingTop: true).reduce(UInt64(0)) { $0.saturatingAdd(images[$1]!.used.whole) }
        try createJob(
            id: a.jobId, device: device, kind: .commit,
            detail: .commit(top: top, base: base, active: isActive, backingFile: a.backingFile),
            work: min(work, images[base]!.virtualSize.saturatingAdd(images[top]!.virtualSize)), speed: a.speed,
            onSourceError: a.onError ?? .report, onTargetError: a.onError ?? .report,
            autoFinalize: a.autoFinalize, autoDismiss: a.autoDismiss)
    }

    /// drive-mirror: copies the disk to a new or existing image and keeps it in sync.
    public func startMirror(_ a: DriveMirror) throws(QMPError) {
        let (device, top) = try rootNode(a.device)
        try checkNotBusy(top)
        let source = images[top]!
        let mode = a.mode ?? .absolutePaths
        var sync = a.sync
        if source.backing == nil && sync == .top { sync = .full }
        if a.replaces != nil && a.nodeName == nil {
            throw .generic("a node-name must be provided when replacing a named node of the graph")
        }
        // The new image's backing file: the source's for top, the source itself for none.
        let backingOfTarget: Int? =
            switch sync {
            case .full: nil
            case .top: source.backing
            case .none: top
            }
        let target = try prepareTarget(
            a.target, format: a.format, sourceFormat: source.format, mode: mode, size: source.virtualSize,
            backing: backingOfTarget, nodeName: a.nodeName)
        if let granularity = a.granularity, granularity != 0 {
            if granularity < 512 || granularity > 64 << 20 {
                throw .generic("Parameter 'granularity' expects a value in range [512B, 64MB]")
            }
            if granularity & (granularity - 1) != 0 { throw .generic("Parameter 'granularity' expects power of 2") }
        }
        if let replaces = a.replaces {
            guard let found = node(named: replaces) else { throw .generic("Failed to find node with node-name='\(replaces)'") }
            guard found.image == top, !found.isFile else {
                throw .generic(
                    "Cannot replace '\(replaces)' by a node mirrored from '\(a.device)', because it cannot be guaranteed that doing so would not lead to an abrupt change of visible data"
                )
            }
        }
        if mode == .existing && target.virtualSize != source.virtualSize {
            throw .generic("Source and target image have different sizes")
        }
        if let buf = a.bufSize, buf < 0 { throw .generic("Invalid parameter 'buf-size'") }
        let work = copyWork(sync: sync, top: top)
        try createJob(
            id: a.jobId, device: device, kind: .mirror, detail: .mirror(target: target.id, sync: sync), work: work,
            speed: a.speed, onSourceError: a.onSourceError ?? .report, onTargetError: a.onTargetError ?? .report,
            autoFinalize: a.autoFinalize, autoDismiss: a.autoDismiss, target: target)
    }

    /// Bytes a mirror or backup copies: the allocated data of the whole chain (capped at the
    /// disk size) for `full`, the top image's for `top`, nothing up front for `none`.
    private func copyWork(sync: MirrorSyncMode, top: Int) -> UInt64 {
        let source = images[top]!
        return switch sync {
        case .full: min(source.virtualSize, chain(from: top).reduce(UInt64(0)) { $0.saturatingAdd(images[$1]!.used.whole) })
        case .top: source.used.whole
        case .none: 0
        }
    }

    /// drive-backup: a point-in-time copy of the disk into a new or existing image.
    public func startBackup(_ a: DriveBackup) throws(QMPError) {
        let (device, top) = try jobSource(a.device)
        let source = images[top]!
        let mode = a.mode ?? .absolutePaths
        try checkNotBusy(top)
        var sync = a.sync
        if sync == .top && source.backing == nil { sync = .full }
        let backingOfTarget: Int? =
            switch sync {
            case .full: nil
            case .top: source.backing
            case .none: top
            }
        let target = try prepareTarget(
            a.target, format: a.format, sourceFormat: source.format, mode: mode, size: source.virtualSize,
            backing: backingOfTarget, nodeName: nil)
        if mode == .existing && target.virtualSize != source.virtualSize {
            throw .generic("Source and target image have different sizes")
        }
        if a.compress == true && target.format != .qcow2 {
            // QEMU names the target node's backend here, which a new target does not have; the file says more.
            throw .generic("Compression is not supported for this drive \(target.filename)")
        }
        let work = copyWork(sync: sync, top: top)
        try createJob(
            id: a.jobId, device: device, kind: .backup, detail: .backup(target: target.id, sync: sync), work: work,
            speed: a.speed, onSourceError: a.onSourceError ?? .report, onTargetError: a.onTargetError ?? .report,
            autoFinalize: a.autoFinalize, autoDismiss: a.autoDismiss, target: target)
    }

    // MARK: - Verbs

    /// QEMU's find_block_job: jobs are found by id.
    func jobIndex(_ id: String) throws(QMPError) -> Int {
        guard let index = jobs.firstIndex(where: { $0.id == id }) else {
            throw QMPError(.deviceNotActive, "Block job '\(id)' not found")
        }
        return index
    }

    private func check(_ verb: JobVerb, _ index: Int) throws(QMPError) {
        let job = jobs[index]
        guard verb.isAccepted(in: job.state) else {
            throw .generic("Job '\(job.id)' in state '\(job.state.rawValue)' cannot accept command verb '\(verb.rawValue)'")
        }
    }

    /// block-job-set-speed.
    public func setJobSpeed(_ id: String, speed: Int64) throws(QMPError) {
        let index = try jobIndex(id)
        try check(.setSpeed, index)
        guard speed >= 0 else { throw .generic("Invalid parameter 'speed'") }
        jobs[index].speed = UInt64(speed)
    }

    /// block-job-pause: takes effect at once in the model (QEMU pauses at the job's next pause point).
    public func pauseJob(_ id: String) throws(QMPError) {
        let index = try jobIndex(id)
        try check(.pause, index)
        guard !jobs[index].userPaused else { throw .generic("Job is already paused") }
        jobs[index].userPaused = true
        settlePause(index)
    }

    /// block-job-resume: also clears the job's error status.
    public func resumeJob(_ id: String) throws(QMPError) {
        let index = try jobIndex(id)
        guard jobs[index].userPaused else { throw .generic("Can't resume a job that was not paused") }
        try check(.resume, index)
        jobs[index].userPaused = false
        jobs[index].ioStatus = .ok
        settlePause(index)
        if jobs[index].completionRequested && jobs[index].state == .ready { finishReadyJob(index) }
    }

    /// block-job-cancel. A ready mirror (or active commit) cancelled without force completes
    /// without switching the disk over, and reports BLOCK_JOB_COMPLETED.
    public func cancelJob(_ id: String, force: Bool = false) throws(QMPError) {
        let index = try jobIndex(id)
        if jobs[index].userPaused && !force {
            throw .generic("The block job for device '\(id)' is currently paused")
        }
        try check(.cancel, index)
        let job = jobs[index]
        if !job.isActive {
            // Waiting or pending: it has done its work; cancelling now aborts it.
            abortJob(index, outcome: .cancelled)
            return
        }
        if job.isReady && !force {
            releaseTarget(of: job)
            endJob(index, outcome: .completed)
            return
        }
        jobs[index].userPaused = false
        abortJob(index, outcome: .cancelled)
    }

    /// block-job-complete: switches a ready mirror over to its target, or ends an active commit.
    public func completeJob(_ id: String) throws(QMPError) {
        let index = try jobIndex(id)
        try check(.complete, index)
        if jobs[index].state == .standby {
            // Paused: it completes once resumed.
            jobs[index].completionRequested = true
            return
        }
        finishReadyJob(index)
    }

    /// Finalizes a job that waits in the pending state (auto-finalize off).
    public func finalizeJob(_ id: String) throws(QMPError) {
        let index = try jobIndex(id)
        try check(.finalize, index)
        finalize(index)
    }

    /// Removes a concluded job (auto-dismiss off); what job-dismiss does for block jobs.
    public func dismissJob(_ id: String) throws(QMPError) {
        let index = try jobIndex(id)
        try check(.dismiss, index)
        dismiss(index)
    }

    /// Makes a job's I/O fail once, as its error policy for that side says: report ends the job,
    /// ignore only sends BLOCK_JOB_ERROR, stop (and enospc for a full disk) pauses it.
    public func injectJobError(_ id: String, operation: IoOperationType, onTarget: Bool = false, noSpace: Bool = false) throws(QMPError) {
        let index = try jobIndex(id)
        let job = jobs[index]
        guard job.isActive else { throw .generic("Job '\(id)' in state '\(job.state.rawValue)' has no I/O left") }
        var policy = onTarget ? job.onTargetError : job.onSourceError
        if policy == .auto, let b = backendIndex(job.device) {
            policy = onTarget ? .report : (operation == .read ? backends[b].readErrorPolicy : backends[b].writeErrorPolicy)
        }
        let action = policy.action(noSpace: noSpace)
        emit(BlockJobErrorEvent(device: job.id, operation: operation, action: action))
        switch action {
        case .ignore:
            break
        case .report:
            abortJob(index, outcome: .failed(noSpace ? "No space left on device" : "Input/output error"))
        case .stop:
            jobs[index].ioStatus = noSpace ? .nospace : .failed
            jobs[index].userPaused = true
            settlePause(index)
        }
    }

    // MARK: - Progress and endings

    /// The job has copied all it had to: mirrors and active commits become ready, the others finish.
    func jobWorkDone(_ id: String) {
        guard let index = jobs.firstIndex(where: { $0.id == id }), jobs[index].isCopying else { return }
        let job = jobs[index]
        guard job.copied.whole >= job.len else { return }
        switch job.detail {
        case .mirror, .commit(_, _, true, _):
            transition(index, to: .ready)
            emitJobReady(jobs[index])
        default:
            applySuccess(of: job)
            endJob(index, outcome: .completed)
        }
    }

    /// Completes a ready job now: the effects of success, then the normal ending.
    func finishReadyJob(_ index: Int) {
        jobs[index].copied.set(jobs[index].len)
        applySuccess(of: jobs[index])
        endJob(index, outcome: .completed)
    }

    /// Running and paused follow the user's pause: running <-> paused, ready <-> standby.
    private func settlePause(_ index: Int) {
        let job = jobs[index]
        switch (job.state, job.userPaused) {
        case (.running, true): transition(index, to: .paused)
        case (.ready, true): transition(index, to: .standby)
        case (.paused, false): transition(index, to: .running)
        case (.standby, false): transition(index, to: .ready)
        default: break
        }
    }

    /// A successful job leaves waiting and pending for the end; with auto-finalize off it stops at pending.
    private func endJob(_ index: Int, outcome: BlockJob.Outcome) {
        jobs[index].outcome = outcome
        transition(index, to: .waiting)
        transition(index, to: .pending)
        if jobs[index].autoFinalize { finalize(index) }
    }

    private func finalize(_ index: Int) {
        let job = jobs[index]
        switch job.outcome {
        case .completed?, nil: emitJobCompleted(job)
        case .cancelled?: emitJobCancelled(job)
        case .failed(let message)?: emitJobCompleted(job, error: message)
        }
        transition(index, to: .concluded)
        if job.autoDismiss { dismiss(index) }
    }

    /// A cancelled or failed job drops its target and reports how far it got.
    private func abortJob(_ index: Int, outcome: BlockJob.Outcome) {
        let job = jobs[index]
        if job.isActive {
            if case .stream = job.detail, var top = images[imageOnDevice(job)] {
                // What was copied up stays in the top image; the chain stays as it was.
                let before = (top.formatHighWater, top.fileHighWater)
                top.used.set(min(top.virtualSize, top.used.whole.saturatingAdd(job.offset)))
                images[top.id] = top
                fireCrossedThresholds(top.id, formatBefore: before.0, fileBefore: before.1)
            }
            releaseTarget(of: job)
        }
        jobs[index].outcome = outcome
        if case .failed(let message) = outcome { jobs[index].error = message }
        transition(index, to: .aborting)
        finalize(index)
    }

    private func dismiss(_ index: Int) {
        transition(index, to: .null)
        jobs.remove(at: index)
    }

    private func imageOnDevice(_ job: BlockJob) -> Int { backendIndex(job.device).flatMap { backends[$0].medium } ?? -1 }

    /// Closes a mirror or backup target node; the file stays on the host with what was copied.
    private func releaseTarget(of job: BlockJob) {
        switch job.detail {
        case .mirror(let target, _), .backup(let target, _):
            close(target)
        default:
            break
        }
    }

    /// What a finished job does to the graph.
    private func applySuccess(of job: BlockJob) {
        guard let device = backendIndex(job.device), let active = backends[device].medium else { return }
        switch job.detail {
        case .stream(let base, let backingFile):
            let dropped = imagesBetween(top: active, base: base, includingTop: false)
            var top = images[active]!
            let before = (top.formatHighWater, top.fileHighWater)
            top.used.set(min(top.virtualSize, top.used.whole.saturatingAdd(job.len)))
            top.backing = base
            top.backingFilename = base.map { backingFile ?? images[$0]!.filename }
            top.backingFormat = base.map { images[$0]!.format }
            images[active] = top
            dropped.forEach(close)
            fireCrossedThresholds(active, formatBefore: before.0, fileBefore: before.1)
        case .commit(let top, let base, let isActive, let backingFile):
            let merged = imagesBetween(top: top, base: base, includingTop: true)
            var b = images[base]!
            let before = (b.formatHighWater, b.fileHighWater)
            b.virtualSize = max(b.virtualSize, images[top]!.virtualSize)
            b.used.set(min(b.virtualSize, b.used.whole.saturatingAdd(job.len)))
            b.readOnly = isActive ? images[active]!.readOnly : b.readOnly
            if isActive { b.writtenSinceOpen = true }
            images[base] = b
            if isActive {
                backends[device].medium = base
            } else if let overlay = chain(from: active).first(where: { images[$0]?.backing == top }) {
                images[overlay]!.backing = base
                images[overlay]!.backingFilename = backingFile ?? b.filename
                images[overlay]!.backingFormat = b.format
            }
            merged.forEach(close)
            fireCrossedThresholds(base, formatBefore: before.0, fileBefore: before.1)
        case .mirror(let target, _):
            var t = images[target]!
            t.readOnly = images[active]!.readOnly
            t.writtenSinceOpen = true
            images[target] = t
            let old = chain(from: active)
            backends[device].medium = target
            // The old chain leaves the graph, except what the new image sits on (sync top and none).
            let kept = Set(chain(from: target))
            old.filter { !kept.contains($0) }.forEach(close)
        case .backup(let target, _):
            close(target)
        }
    }

    // MARK: - Helpers

    /// A job's device: a backend name, or (for commands that take nodes) the top node of one.
    private func jobSource(_ name: String) throws(QMPError) -> (device: Int, top: Int) {
        let found = try lookupNode(device: name, nodeName: name)
        guard !found.isFile, let owner = owner(of: found.image), backends[owner].medium == found.image else {
            throw .generic("Need a root block node")
        }
        return (owner, found.image)
    }

    /// QEMU's qmp_get_root_bs.
    private func rootNode(_ name: String) throws(QMPError) -> (device: Int, top: Int) { try jobSource(name) }

    func checkNotBusy(_ image: Int) throws(QMPError) {
        if let job = blockingJob(for: image) { throw busyError(displayName(of: image), job) }
    }

    /// QEMU's bdrv_find_backing_image: an image below `top` whose file name (as stored or as opened) matches.
    func findBackingImage(below top: Int, named name: String) -> Int? {
        chain(from: top).dropFirst().first { id in
            images[id]!.filename == name || images[chain(from: top).first { images[$0]?.backing == id } ?? top]?.backingFilename == name
        }
    }

    /// Images from `top` (or the one below it) down to, but not including, `base`.
    func imagesBetween(top: Int, base: Int?, includingTop: Bool) -> [Int] {
        var result: [Int] = []
        for id in chain(from: top) {
            if id == base { break }
            if id != top || includingTop { result.append(id) }
        }
        return result
    }

    /// Takes an image out of the graph; its file stays on the host.
    func close(_ image: Int) {
        guard let i = images[image] else { return }
        hostFiles[i.filename] = HostFile(
            format: i.format, virtualSize: i.virtualSize, usedBytes: i.used.whole, backingFilename: i.backingFilename,
            backingFormat: i.backingFormat, snapshots: i.snapshots)
        images[image] = nil
    }

    /// Creates (or opens, for mode existing) the target image of a mirror or backup, as a node
    /// outside the device's chain. Checks everything before adding it.
    private func prepareTarget(
        _ filename: String, format: String?, sourceFormat: DiskFormat, mode: NewImageMode, size: UInt64, backing: Int?,
        nodeName: String?
    ) throws(QMPError) -> DiskImage {
        var chosen: DiskFormat
        if let format {
            guard let f = DiskFormat(rawValue: format) else {
                throw .generic("Unknown file format '\(format)'", hint: "The model supports the formats raw and qcow2.")
            }
            chosen = f
        } else {
            chosen = sourceFormat
        }
        if isOpen(filename) { throw lockError(filename) }
        var existing: HostFile?
        if mode == .existing {
            guard let file = hostFiles[filename] else {
                throw .generic("Could not open '\(filename)': No such file or directory")
            }
            if format == nil { chosen = file.format }
            existing = file
        } else if backing != nil && !chosen.supportsBacking {
            throw .generic("Backing file not supported for file format '\(chosen.rawValue)'")
        }
        if let nodeName {
            guard DiskSpec.isWellFormedID(nodeName) else { throw .generic("Invalid node-name: '\(nodeName)'") }
            if backendIndex(nodeName) != nil { throw .generic("node-name=\(nodeName) is conflicting with a device id") }
            if node(named: nodeName) != nil { throw .generic("Duplicate nodes with node-name='\(nodeName)'") }
        }
        let id = nextImageID
        return DiskImage(
            id: id, filename: filename, format: chosen, formatNodeName: nodeName ?? "", fileNodeName: "",
            virtualSize: existing?.virtualSize ?? size, readOnly: false, storage: .file, preallocated: false,
            backing: existing == nil ? backing : nil,
            backingFilename: existing == nil ? backing.map { images[$0]!.filename } : existing?.backingFilename,
            backingFormat: existing == nil ? backing.map { images[$0]!.format } : existing?.backingFormat,
            used: RateCounter(0))
    }

    /// Adds the job (and its target node) once every check has passed.
    private func createJob(
        id: String?, device: Int, kind: JobType, detail: JobDetail, work: UInt64, speed: Int64?,
        onSourceError: BlockdevOnError, onTargetError: BlockdevOnError, autoFinalize: Bool?, autoDismiss: Bool?,
        target: DiskImage? = nil
    ) throws(QMPError) {
        let jobID = id ?? backends[device].name
        guard DiskSpec.isWellFormedID(jobID) else { throw .generic("Invalid job ID '\(jobID)'") }
        if jobs.contains(where: { $0.id == jobID }) { throw .generic("Job ID '\(jobID)' already in use") }
        let speed = speed ?? 0
        guard speed >= 0 else { throw .generic("Invalid parameter 'speed'") }
        if var target {
            // The target node gets its names only now, so failed commands do not use up numbers.
            let image = newImageID()
            precondition(image == target.id)
            if target.formatNodeName.isEmpty { target.formatNodeName = autoNodeName() }
            target.fileNodeName = autoNodeName()
            hostFiles[target.filename] = nil
            images[image] = target
        }
        jobs.append(
            BlockJob(
                id: jobID, kind: kind, device: backends[device].name, state: .created, speed: UInt64(speed),
                autoFinalize: autoFinalize ?? true, autoDismiss: autoDismiss ?? true, detail: detail,
                onSourceError: onSourceError, onTargetError: onTargetError, initialWork: work))
        emit(JobStatusChangeEvent(id: jobID, status: .created))
        transition(jobs.count - 1, to: .running)
    }

    /// query-jobs entries for the block jobs.
    public var jobInfos: [JobInfo] {
        jobs.map { job in
            JobInfo(
                id: job.id, type: job.kind, status: job.state, currentProgress: Int64(clamping: job.offset),
                totalProgress: Int64(clamping: job.len), error: job.error)
        }
    }
}
