import Backend
import QAPI

/// What changes in the output when the backend is a real QEMU whose schema differs from hmp's:
/// `--format json` prints the QEMU's reply exactly as sent, and the table and qemu formats
/// show, after the members hmp knows, those only the QEMU has (QEMU 7.2's `compress` capability,
/// its `compress-level` parameter), rather than dropping them.
enum RemoteRendering {
    static func render(
        _ invocation: HMPInvocation, remote: any RemoteMonitorBackend, reply: () -> JSONValue, table: () -> String, qemu: () -> String
    ) -> HMPOutput {
        let command = invocation.command.qmp
        switch invocation.format {
        case .json:
            let raw = remote.lastReply(to: command) ?? reply()
            return HMPOutput(JSONValue.object(["return": raw]).description + "\n")
        case .qemu:
            let extras = remote.extras(ofLastReplyTo: command).filter { !$0.isMissing && $0.isTopLevel }
            var base = qemu()
            // QEMU 10.2's layout prints every parameter; an older QEMU has fewer, so the lines
            // for parameters it did not report are left out rather than shown as zero.
            if command == "query-migrate-parameters", let raw = remote.lastReply(to: command)?.objectValue {
                let known = Set(MigrationParameter.wireNames)
                base = base.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
                    guard let colon = line.firstIndex(of: ":") else { return true }
                    let name = String(line[..<colon])
                    return !known.contains(name) || raw.contains(name)
                }.joined(separator: "\n")
            }
            return HMPOutput(base + extras.map { "\($0.name): \(text($0.shownValue))\n" }.joined())
        case .table:
            let all = remote.extras(ofLastReplyTo: command)
            // Members of the reply itself (parameters, capabilities) become rows; deeper ones
            // (QEMU 7.2's extra block statistics) stay in --format json, which prints the reply whole.
            let extras = all.filter { !$0.isMissing && $0.isTopLevel }
            var base = table()
            if !extras.isEmpty { base = appendRows(extras, to: base, version: remote.remoteVersion) }
            let missing = Set(all.filter(\.isMissing).map(\.name))
            if !missing.isEmpty {
                base += "(not reported by \(remote.remoteVersion), shown as off/0/empty: \(missing.sorted().joined(separator: ", ")))\n"
            }
            return HMPOutput(base)
        }
    }

    /// A value as HMP prints it: booleans as on/off, text as is, the rest as JSON.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .bool(let b): b ? "on" : "off"
        case .string(let s): s
        default: value.description
        }
    }

    /// Adds the extras as rows of the table already rendered (its columns are found from the
    /// rule under the header), then a note naming them as the QEMU's own.
    static func appendRows(_ extras: [RemoteExtra], to rendered: String, version: String) -> String {
        var lines = rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let note = "(\(extras.map(\.name).joined(separator: ", ")): \(version) only, not in hmp's schema)\n"
        guard lines.count >= 2, !lines[1].isEmpty, lines[1].allSatisfy({ $0 == "-" || $0 == " " }) else {
            // Not a table: name and value lines after the text.
            var sheet = TextTable(headers: [])
            for extra in extras { sheet.add([extra.name, text(extra.shownValue)]) }
            return rendered + sheet.render() + note
        }
        // Column starts: where each run of dashes begins in the rule.
        var starts: [Int] = []
        var previous: Character = " "
        for (i, ch) in lines[1].enumerated() {
            if ch == "-" && previous == " " { starts.append(i) }
            previous = ch
        }
        func cells(_ line: String) -> [String] {
            let chars = Array(line)
            return starts.enumerated().map { index, start in
                let end = index + 1 < starts.count ? starts[index + 1] : chars.count
                guard start < chars.count else { return "" }
                var cell = String(chars[start..<min(end, chars.count)])
                while cell.last == " " { cell.removeLast() }
                return cell
            }
        }
        var table = TextTable(headers: cells(lines[0]))
        for line in lines.dropFirst(2) { table.add(cells(line)) }
        for extra in extras {
            var row = [extra.name, text(extra.shownValue)]
            while row.count < starts.count { row.append("") }
            table.add(row)
        }
        return table.render() + note
    }
}
