import Backend
import QAPI

/// Lines for a console that drives several QEMUs: `@dst LINE` (one VM), `@all LINE` or
/// `@src,dst LINE` (each in turn, one table with a VM column). They exist only when the
/// backend stands for VMs. `use` and `connect` are rows of the command table (VMCommands).
enum VMRouting {
    static func route(_ line: String, session: HMPSession) -> HMPLineResult? {
        guard let group = session.vmGroup else { return nil }
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        if trimmed.first == "@" {
            let target = trimmed.dropFirst().prefix { $0 != " " && $0 != "\t" }
            let rest = String(trimmed.dropFirst(1 + target.count).drop { $0 == " " || $0 == "\t" })
            let names = target == "all" ? group.vmNames : target.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            for name in names where !group.vmNames.contains(name) {
                return failure(
                    "unknown VM '\(name)' in '@\(target)'; the VMs are: \(group.vmNames.joined(separator: ", ")) (or @all)", session)
            }
            guard !names.isEmpty, !rest.isEmpty else {
                return failure("'@\(target)' needs a command line after it, e.g. '@\(target) info status'", session)
            }
            let previous = group.currentVM
            defer { _ = group.select(previous) }
            if names.count == 1 {
                _ = group.select(names[0])
                return session.execute(rest)
            }
            var results: [(String, HMPLineResult)] = []
            for name in names {
                _ = group.select(name)
                results.append((name, session.execute(rest)))
            }
            return merge(results, format: session.format)
        }
        return nil
    }

    private static func failure(_ text: String, _ session: HMPSession) -> HMPLineResult {
        let error = HMPError.plain(text)
        if session.format == .json {
            return HMPLineResult(output: JSONValue.object(["error": error.qmpValue]).description + "\n", error: "")
        }
        return HMPLineResult(output: "", error: session.errorText(error) + "\n")
    }

    /// One output for a line run on several VMs. Tables get a VM column (one header when the
    /// VMs' headers agree); other text gets the VM's name in front of each line; JSON replies
    /// get a `"vm"` member. Errors are kept, each line behind its VM's name.
    static func merge(_ results: [(String, HMPLineResult)], format: OutputFormat) -> HMPLineResult {
        var errors = ""
        for (name, result) in results {
            guard let error = result.error, !error.isEmpty else { continue }
            for line in error.split(separator: "\n") { errors += "\(name): \(line)\n" }
        }
        let failed = results.contains { $0.1.error != nil }
        var output = ""
        switch format {
        case .json:
            for (name, result) in results {
                for line in result.output.split(separator: "\n") {
                    if case .object(var object)? = try? JSONParser.parse(String(line)) {
                        object.append("vm", .string(name))
                        output += JSONValue.object(object).description + "\n"
                    } else {
                        output += line + "\n"
                    }
                }
            }
        case .qemu:
            for (name, result) in results {
                for line in result.output.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                    output += "\(name): \(line)\n"
                }
            }
        case .table:
            output = mergeTables(results.map { ($0.0, $0.1.output) })
        }
        return HMPLineResult(output: output, error: failed ? errors : nil)
    }

    static func mergeTables(_ outputs: [(String, String)]) -> String {
        let width = max(2, outputs.map(\.0.count).max() ?? 0)
        func cell(_ text: String) -> String { text + String(repeating: " ", count: width - text.count) + "  " }
        var out = ""
        var header: (String, String)?
        for (name, text) in outputs {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" { lines.removeLast() }
            // A TextTable: a header, then a rule of dashes and spaces.
            let isTable = lines.count >= 2 && !lines[1].isEmpty && lines[1].allSatisfy { $0 == "-" || $0 == " " }
            if isTable {
                if header == nil || header! != (lines[0], lines[1]) {
                    header = (lines[0], lines[1])
                    out += cell("VM") + lines[0] + "\n" + cell(String(repeating: "-", count: width)) + lines[1] + "\n"
                }
                lines.removeFirst(2)
            }
            if lines.isEmpty && !isTable { lines = ["(nothing)"] }
            for line in lines { out += cell(name) + line + "\n" }
        }
        return out
    }
}
