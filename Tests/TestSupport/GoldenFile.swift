import Foundation
import Testing

/// Expected outputs kept as files under Tests/Golden. Run the tests with HMP_RECORD_GOLDEN=1
/// to write the current output instead of comparing (then review the diff before committing).
public enum GoldenFile {
    public static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden")

    public static var recording: Bool { ProcessInfo.processInfo.environment["HMP_RECORD_GOLDEN"] == "1" }

    /// Compares `actual` with the file `name` (a path under Tests/Golden), or records it.
    public static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(name)
        if recording {
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try actual.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                Issue.record("cannot record \(name): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        #expect(actual == text(name), "\(name) differs; HMP_RECORD_GOLDEN=1 re-records it", sourceLocation: sourceLocation)
    }

    /// The file's text ("" with a recorded issue when it is missing).
    public static func text(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        do {
            return try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        } catch {
            Issue.record("no golden file \(name) (HMP_RECORD_GOLDEN=1 records it)", sourceLocation: sourceLocation)
            return ""
        }
    }
}
