import Foundation
import Testing

/// Expected outputs kept as files under Tests/Golden. Run the tests with HMP_RECORD_GOLDEN=1
/// to write the current output instead of comparing (then review the diff before committing).
enum GoldenFile {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden")

    static var recording: Bool { ProcessInfo.processInfo.environment["HMP_RECORD_GOLDEN"] == "1" }

    static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        if recording {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "\(name) differs; HMP_RECORD_GOLDEN=1 re-records it", sourceLocation: sourceLocation)
    }
}
