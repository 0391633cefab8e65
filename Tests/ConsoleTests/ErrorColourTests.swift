import HMP
import Testing

@testable import Console

/// Every failure carries the same red `Error:` on a terminal, whatever came before it on the
/// line (`line 3: `, a VM's name, `hmp: `); other lines are left alone.
@Suite("Error colour")
struct ErrorColourTests {
    let red = "\u{1B}[31mError:\u{1B}[0m"

    @Test func theMarkIsRedWhereverTheLabelEnds() {
        let style = TextStyle(enabled: true)
        #expect(style.error("Error: Device 'x' not found") == red + " Device 'x' not found")
        #expect(style.error("vm1: Error: gone") == "vm1: " + red + " gone")
        #expect(style.failure("cannot read the input: Is a directory") == "hmp: " + red + " cannot read the input: Is a directory")
        // Hints, answers and words that merely contain the text stay plain.
        #expect(style.error("Try \"help stop\" for more information") == "Try \"help stop\" for more information")
        #expect(style.error("Not quitting") == "Not quitting")
        #expect(style.error("No Error: here") == "No Error: here")
        #expect(TextStyle.plain.error("Error: x") == "Error: x")
    }

    /// Through the runner: each failure of a batch gets the mark once, behind its label,
    /// and a hint line gets none.
    @Test func theRunnerColoursEachFailureOnce() {
        let output = OutputSink.capturing()
        let errors = OutputSink.capturing()
        let session = makeTestSession()
        let runner = CommandRunner(
            session: session, output: output, errors: errors, errorStyle: TextStyle(enabled: true),
            events: EventFormatter(format: session.format, originMicroseconds: 0))
        for line in ["stop now", "migrte", "block_resize virtio9 1G", "calc_dirty_rate 0"] {
            runner.runCommand(line, label: { "line 1: " })
        }
        let lines = errors.captured.split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "line 1: \(red) stop: extraneous characters at the end of line",
                "line 1: Try \"help stop\" for more information",
                "line 1: \(red) unknown command: 'migrte'; did you mean 'migrate'?",
                "line 1: \(red) Cannot find device='virtio9' nor node-name=''",
                "line 1: \(red) Incorrect period length specified!",
            ])
    }
}
