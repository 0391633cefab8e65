import QAPI

/// `info migrate` with the verdict and, with -v, the pass history: what the console adds to
/// QEMU's figures in the table format (the qemu format stays QEMU's text).
enum MigrationInfoView {
    static func run(_ invocation: HMPInvocation, all: Bool, verbose: Bool) throws(HMPError) -> HMPOutput {
        let info = try invocation.run(QueryMigrateCommand.self, QAPIEmpty())
        let observer = invocation.session.migrationObserver
        observer.record(info)
        return invocation.render(
            reply: info.qapi,
            table: {
                var text: String
                if let kept = MigrationKeptFigures.merge(info, observer: observer) {
                    text = MigrationFormat.table(kept.info, all: all, figuresNote: kept.note)
                } else {
                    text = MigrationFormat.table(info, all: all)
                }
                if let verdict = MigrationVerdict.judge(info, observer: observer, settings: { MigrationVerdict.settings(invocation) }) {
                    text += "\n" + verdictSheet(verdict, info: info, observer: observer)
                }
                if verbose { text += "\n" + passTable(observer) }
                return text
            },
            qemu: { MigrationFormat.qemu(info, all: all) })
    }

    /// The verdict block: the verdict, the progress of the pass under way, what would help.
    static func verdictSheet(_ verdict: MigrationVerdict, info: MigrationInfo, observer: MigrationObserver) -> String {
        var sheet = MetricSheet()
        sheet.row("Verdict", verdict.summary)
        if let throttle = verdict.throttle { sheet.row("Throttled", throttle) }
        if let (pass, fraction) = observer.passProgress() {
            sheet.row("Pass", fraction.map { "\(pass), \(MigrationUnits.percent($0)) of what it began with sent" } ?? String(pass))
        }
        for (i, remedy) in verdict.remedies.enumerated() { sheet.row(i == 0 ? "Would help" : "", remedy) }
        return sheet.render()
    }

    /// `info migrate -v`: one row per pass the engine ran.
    static func passTable(_ observer: MigrationObserver) -> String {
        let rows = observer.history()
        guard !rows.isEmpty else { return "No passes seen yet (the console follows passes from when it first sees the migration)\n" }
        var table = TextTable(
            headers: ["Pass", "Start", "Duration", "Sent", "Left at start", "Pages dirtied", "Rate"],
            alignments: [.right, .right, .right, .right, .right, .right, .right])
        for row in rows {
            // The pass under way: its length so far.
            let duration =
                row.pass.duration.map(seconds) ?? ((observer.samples.last?.time).map { seconds($0 - row.pass.start) + " so far" } ?? "-")
            table.add([
                String(row.pass.number), seconds(row.pass.start), duration,
                row.bytesSent.map(MigrationUnits.size) ?? "-",
                row.pass.remainingAtStart.map(MigrationUnits.size) ?? "-",
                row.pagesDirtied.map(String.init) ?? "-",
                row.bytesPerSecond.map { MigrationUnits.size(UInt64(max(0, $0))) + "/s" } ?? "-",
            ])
        }
        return table.render()
    }

    /// Seconds with millisecond precision: `12.345 s`.
    static func seconds(_ value: Double) -> String {
        CFloatFormat.fixed(max(0, value), precision: 3) + " s"
    }
}
