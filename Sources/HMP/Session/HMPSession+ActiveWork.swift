import QAPI

extension HMPSession {
    /// What would be cut short if the console ended now: an outgoing migration that has not
    /// finished, or block jobs. nil when nothing runs (or the backend cannot say).
    /// QEMU's `quit` ends at once; the console asks first (see `quit` and Ctrl-D).
    public func activeWork() -> String? {
        var parts: [String] = []
        if let info = try? backend.execute(QueryMigrateCommand.self, QAPIEmpty()), let status = info.status {
            switch status {
            case .none, .completed, .failed, .cancelled:
                break
            default:
                parts.append("a migration is in progress (\(status.rawValue))")
            }
        }
        if let jobs = try? backend.execute(QueryBlockJobsCommand.self, QAPIEmpty()), !jobs.isEmpty {
            let names = jobs.map { "\($0.type.rawValue) \($0.device)" }.joined(separator: ", ")
            parts.append(jobs.count == 1 ? "a block job runs (\(names))" : "\(jobs.count) block jobs run (\(names))")
        }
        guard !parts.isEmpty else { return nil }
        let text = parts.joined(separator: " and ")
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    /// Asks before ending the console while work runs; true when it may end.
    public func confirmQuit() -> Bool {
        guard interactive, let confirm, let work = activeWork() else { return true }
        return confirm("\(work); quitting stops it. Quit anyway?")
    }
}
