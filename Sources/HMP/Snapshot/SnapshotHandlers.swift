import QAPI

/// The disks a VM snapshot covers, and running the snapshot jobs to their end.
enum SnapshotHandlers {
    /// A writable disk (QEMU's bdrv_all_* set) and whether it can hold snapshots. Only names:
    /// the snapshot lists stay with the backend (`snapshots(_:on:)` finds one by name).
    struct Disk {
        var device: String
        var nodeName: String?
        var driver: String

        /// Node names are what the snapshot commands take; a backend name where there is none.
        var name: String { nodeName ?? device }
        /// QEMU's bdrv_can_snapshot: of our formats only qcow2 holds internal snapshots.
        var canSnapshot: Bool { driver == "qcow2" }
    }

    static func writableDisks(_ invocation: HMPInvocation) throws(HMPError) -> [Disk] {
        try invocation.run(QueryBlockCommand.self, QAPIEmpty()).compactMap { b in
            guard let top = b.inserted, !top.ro else { return nil }
            return Disk(device: b.device, nodeName: top.nodeName, driver: top.drv)
        }
    }

    /// The snapshot named `tag` on each of `disks` that has one, by device. The backend's
    /// look-up finds each through its index; without one (QMP) query-block lists them all.
    static func snapshots(_ tag: String, on disks: [Disk], _ invocation: HMPInvocation) throws(HMPError) -> [String: SnapshotInfo] {
        var found: [String: SnapshotInfo] = [:]
        if let lookup = invocation.backend.snapshotLookup {
            for disk in disks { found[disk.device] = lookup.internalSnapshot(named: tag, on: disk.name) }
            return found
        }
        let devices = Set(disks.map(\.device))
        for b in try invocation.run(QueryBlockCommand.self, QAPIEmpty()) where devices.contains(b.device) {
            found[b.device] = b.inserted?.image.snapshots?.first { $0.name == tag }
        }
        return found
    }

    static let noVMStateDevice = "no block device can store vmstate for snapshot"

    /// The disk for the VM state (the first that can hold snapshots), or the first writable one
    /// so that the backend names the disk that cannot.
    static func vmStateDisk(_ disks: [Disk]) throws(HMPError) -> Disk {
        guard let disk = disks.first(where: \.canSnapshot) ?? disks.first else { throw .command(.generic(noVMStateDevice)) }
        return disk
    }

    // MARK: commands

    static func save(_ invocation: HMPInvocation, _ arguments: SnapshotCommands.OptionalTag) throws(HMPError) -> HMPOutput {
        // Named from the VM's clock, as its DATE column, so virtual-clock runs repeat exactly.
        let tag = arguments.tag ?? LocalTime.format(invocation.backend.vmWallClockSeconds ?? LocalTime.now(), "vm-%Y%m%d%H%M%S")
        let disks = try writableDisks(invocation)
        let holder = try vmStateDisk(disks)
        let replaced = try !snapshots(tag, on: disks, invocation).isEmpty
        try checkSaveCanStart(invocation, disks)
        if replaced {
            try runJob(
                invocation, SnapshotDeleteCommand.self,
                SnapshotDeleteArguments(jobId: jobID("delvm"), tag: tag, devices: disks.filter(\.canSnapshot).map(\.name)))
        }
        try runJob(
            invocation, SnapshotSaveCommand.self,
            SnapshotSaveArguments(jobId: jobID("savevm"), tag: tag, vmstate: holder.name, devices: disks.map(\.name)))
        let state =
            try snapshots(tag, on: [holder], invocation)[holder.device].map {
                " (\(SizeFormatter.string(fromBytes: UInt64(max(0, $0.vmStateSize)))))"
            } ?? ""
        var text = "snapshot \(tag) saved on \(list(disks.map(\.device))); VM state\(state) on \(holder.device)"
        if replaced { text += "; it replaces the earlier snapshot with this tag" }
        return invocation.done(text)
    }

    /// What would make the save job fail, checked before the earlier snapshot with the same tag
    /// is deleted, so that a refused savevm changes nothing. QEMU's save_snapshot() deletes first
    /// and checks for a running migration afterwards (in qemu_savevm_state()); here a refusal
    /// leaves the old snapshot in place. Texts as QEMU's bdrv_all_can_snapshot() and
    /// qemu_savevm_state(), which name the device rather than its node.
    static func checkSaveCanStart(_ invocation: HMPInvocation, _ disks: [Disk]) throws(HMPError) {
        if let disk = disks.first(where: { !$0.canSnapshot }) {
            throw .command(.generic("Device '\(disk.device)' is writable but does not support snapshots"))
        }
        let migration = try invocation.run(QueryMigrateCommand.self, QAPIEmpty())
        switch migration.status {
        case nil, .none?, .cancelled?, .completed?, .failed?:
            break
        default:
            throw .command(.generic("There's a migration process in progress"))
        }
    }

    static func load(_ invocation: HMPInvocation, _ arguments: SnapshotCommands.Tag) throws(HMPError) -> HMPOutput {
        let tag = arguments.tag
        let disks = try writableDisks(invocation)
        let holder = try vmStateDisk(disks)
        let saved = try snapshots(tag, on: [holder], invocation)[holder.device]
        let wasRunning = (try? invocation.run(QueryStatusCommand.self, QAPIEmpty()))?.running
        do {
            try runJob(
                invocation, SnapshotLoadCommand.self,
                SnapshotLoadArguments(jobId: jobID("loadvm"), tag: tag, vmstate: holder.name, devices: disks.map(\.name)))
        } catch .command(var error) {
            // As in QEMU, a failed load leaves the guest stopped; say how to go on.
            // QEMU prints only the error; the hint is the table format's.
            if invocation.format != .qemu, wasRunning == true, let now = try? invocation.run(QueryStatusCommand.self, QAPIEmpty()),
                !now.running
            {
                error.hint = "The VM stays stopped (\(now.status.rawValue)); cont resumes it."
            }
            throw .command(error)
        }
        let clock = saved.map { " (guest clock \(SnapshotFormat.clock($0)))" } ?? ""
        return invocation.done("snapshot \(tag) loaded\(clock)")
    }

    static func delete(_ invocation: HMPInvocation, _ arguments: SnapshotCommands.Tag) throws(HMPError) -> HMPOutput {
        let tag = arguments.tag
        let capable = try writableDisks(invocation).filter(\.canSnapshot)
        let found = try snapshots(tag, on: capable, invocation)
        let holding = capable.map(\.device).filter { found[$0] != nil }
        try runJob(
            invocation, SnapshotDeleteCommand.self,
            SnapshotDeleteArguments(jobId: jobID("delvm"), tag: tag, devices: capable.map(\.name)))
        return invocation.done(
            holding.isEmpty ? "no disk holds a snapshot \(tag); nothing deleted" : "snapshot \(tag) deleted from \(list(holding))")
    }

    static func info(_ invocation: HMPInvocation) throws(HMPError) -> HMPOutput {
        let disks = try invocation.run(QueryBlockCommand.self, QAPIEmpty()).compactMap { b -> SnapshotDisk? in
            guard let top = b.inserted, !top.ro, top.drv == "qcow2" else { return nil }
            return SnapshotDisk(device: b.device, nodeName: top.nodeName, snapshots: top.image.snapshots ?? [])
        }
        if disks.isEmpty {
            // QEMU 10.2's hmp_info_snapshots() reports it through error_report_err(): "Error: " in front.
            throw .command(.generic(noVMStateDevice))
        }
        return invocation.render(
            reply: SnapshotFormat.json(disks),
            table: { SnapshotFormat.table(disks, dates: .local) },
            qemu: { SnapshotFormat.qemu(disks, dates: .local) })
    }

    // MARK: jobs

    static func jobID(_ command: String) -> String { "hmp-\(command)" }

    /// Starts a job and waits until it has concluded, then dismisses it. On the virtual clock
    /// each wait moves the model on at once; on the real clock it sleeps.
    static func runJob<C: QAPICommand>(_ invocation: HMPInvocation, _ command: C.Type, _ arguments: C.Arguments) throws(HMPError)
    where C.Arguments: SnapshotJobArguments {
        _ = try invocation.run(command, arguments)
        let id = arguments.jobId
        var step: UInt64 = 1_000_000
        var waited: UInt64 = 0
        while true {
            guard let job = try invocation.run(QueryJobsCommand.self, QAPIEmpty()).first(where: { $0.id == id }) else { return }
            switch job.status {
            case .null:
                return
            case .concluded:
                _ = try invocation.run(JobDismissCommand.self, JobDismissArguments(id: id))
                if let error = job.error { throw .command(.generic(error)) }
                return
            default:
                // One hour of model time is far beyond any snapshot; stop rather than spin.
                if invocation.session.interrupted() || waited >= 3_600_000_000_000 {
                    throw .command(
                        .generic("Stopped waiting for job '\(id)' (\(job.status.rawValue)); see info block-jobs or qmp query-jobs"))
                }
                invocation.backend.wait(nanoseconds: step)
                waited += step
                step = min(step * 2, 100_000_000)
            }
        }
    }

    static func list(_ names: [String]) -> String { names.isEmpty ? "no disk" : names.joined(separator: ", ") }
}

/// The snapshot commands' arguments all carry the id of the job they start.
protocol SnapshotJobArguments { var jobId: String { get } }
extension SnapshotSaveArguments: SnapshotJobArguments {}
extension SnapshotLoadArguments: SnapshotJobArguments {}
extension SnapshotDeleteArguments: SnapshotJobArguments {}
