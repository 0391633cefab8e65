import QAPI

/// Events the block layer sends, stamped with the model time they happen at.
extension BlockLayer {
    func emit<E: QAPIEvent>(_ event: E) { events.emit(event, at: now) }

    /// Moves a job to another state and says so, as QEMU does for every transition.
    func transition(_ index: Int, to status: JobStatus) {
        guard jobs[index].state != status else { return }
        jobs[index].state = status
        emit(JobStatusChangeEvent(id: jobs[index].id, status: status))
    }

    func emitJobReady(_ job: BlockJob) {
        emit(
            BlockJobReadyEvent(
                type: job.kind, device: job.id, len: Int64(clamping: job.len),
                offset: Int64(clamping: job.offset), speed: Int64(clamping: job.speed)))
    }

    func emitJobCompleted(_ job: BlockJob, error: String? = nil) {
        emit(
            BlockJobCompletedEvent(
                type: job.kind, device: job.id, len: Int64(clamping: job.len),
                offset: Int64(clamping: job.offset), speed: Int64(clamping: job.speed), error: error))
    }

    func emitJobCancelled(_ job: BlockJob) {
        emit(
            BlockJobCancelledEvent(
                type: job.kind, device: job.id, len: Int64(clamping: job.len),
                offset: Int64(clamping: job.offset), speed: Int64(clamping: job.speed)))
    }
}
