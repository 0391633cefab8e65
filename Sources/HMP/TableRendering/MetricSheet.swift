/// Label/value rows under optional section titles, all values in one column, for the table
/// format of status reports (`info migrate`, `info dirty_rate`). One value column across
/// sections keeps a long report scannable; titles group related metrics.
struct MetricSheet {
    private enum Line {
        case row(label: String, value: String, indented: Bool)
        case title(String)
        case gap
    }

    private var lines: [Line] = []
    private var inSection = false

    var isEmpty: Bool { lines.isEmpty }

    /// Adds a row; rows after a section title are indented under it.
    mutating func row(_ label: String, _ value: String) {
        lines.append(.row(label: label, value: value, indented: inSection))
    }

    /// Starts a titled section, a blank line away from what came before.
    mutating func section(_ title: String) {
        if !lines.isEmpty { lines.append(.gap) }
        lines.append(.title(title))
        inSection = true
    }

    func render() -> String {
        var width = 0
        for case .row(let label, _, let indented) in lines {
            width = max(width, displayWidth(label) + (indented ? 2 : 0))
        }
        var out = ""
        for line in lines {
            switch line {
            case .gap:
                out += "\n"
            case .title(let title):
                out += title + "\n"
            case .row(let label, let value, let indented):
                let left = (indented ? "  " : "") + label
                if value.isEmpty {
                    out += left + "\n"
                } else {
                    out += left + String(repeating: " ", count: width - displayWidth(left)) + "  " + value + "\n"
                }
            }
        }
        return out
    }
}
