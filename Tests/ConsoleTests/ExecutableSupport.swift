import Foundation
import Testing

/// What one run of the `hmp` binary did.
struct HMPRun {
    var status: Int32
    var stdout: String
    var stderr: String

    var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
}

/// The `hmp` executable next to the test bundle (swift build puts both in the same folder).
let hmpBinary: String = {
    let products = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    var candidate = products.appendingPathComponent("hmp").path
    if !FileManager.default.isExecutableFile(atPath: candidate) {
        // macOS: the bundle is a directory inside the products folder.
        candidate = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("hmp").path
    }
    return candidate
}()

/// Runs `hmp` with `arguments`, standard input from `input` (or /dev/null), and a private
/// HOME so no history file of the person running the tests is touched.
func runHMP(_ arguments: [String], input: [UInt8]? = nil, environment extra: [String: String] = [:]) throws -> HMPRun {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hmp-exec-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let inPath = scratch.appendingPathComponent("in").path
    let outPath = scratch.appendingPathComponent("out").path
    let errPath = scratch.appendingPathComponent("err").path
    _ = FileManager.default.createFile(atPath: inPath, contents: Data(input ?? []))
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: hmpBinary)
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["HOME"] = scratch.path
    environment["XDG_STATE_HOME"] = scratch.appendingPathComponent("state").path
    for (key, value) in extra { environment[key] = value }
    process.environment = environment
    process.standardInput = FileHandle(forReadingAtPath: inPath)
    process.standardOutput = FileHandle(forWritingAtPath: outPath)
    process.standardError = FileHandle(forWritingAtPath: errPath)
    try process.run()
    process.waitUntilExit()
    let out = FileManager.default.contents(atPath: outPath) ?? Data()
    let err = FileManager.default.contents(atPath: errPath) ?? Data()
    #expect(process.terminationReason == .exit, "hmp was killed by a signal")
    return HMPRun(
        status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
}

func runHMP(_ arguments: [String], script: String) throws -> HMPRun {
    try runHMP(arguments, input: Array(script.utf8))
}
