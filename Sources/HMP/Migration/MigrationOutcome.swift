import QAPI

/// Which `error-desc` belongs to the state a migration is in. QEMU keeps the error of an
/// earlier attempt in `query-migrate` after a postcopy resume (QEMU 7.2 never clears it; 10.2
/// clears it in `migrate_prepare()` only when the resume is asked for), and
/// `hmp_info_migrate()` shows it only beside `failed` and `postcopy-paused`. The console
/// follows that rule, so a completed or running migration never shows a stale error.
enum MigrationOutcome {
    /// The error that explains `info`'s status, if the status is one an error explains.
    static func currentError(_ info: MigrationInfo) -> String? {
        switch info.status {
        case .failed?, .postcopyPaused?: info.errorDesc
        default: nil
        }
    }

    /// The error a foreground `migrate` ends with. `earlierError` is what `query-migrate`
    /// reported before a resume: QEMU 7.2 keeps the first error of the migration
    /// (`migrate_set_error()` ignores later ones), so a resume that pauses again may repeat
    /// it; the text then says it is the earlier attempt's.
    static func waitError(_ info: MigrationInfo, earlierError: String?) -> String? {
        guard let error = currentError(info) else { return nil }
        if let earlierError, error == earlierError, info.status == .postcopyPaused {
            return "the resumed migration paused again (the error reported is still the earlier attempt's: \(error))"
        }
        return error
    }
}
