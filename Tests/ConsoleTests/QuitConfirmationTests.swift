import Testing
import HMP
@testable import Console

/// `quit` (and Ctrl-D) while a migration or block job runs asks first in the console.
@Suite("Quit confirmation")
struct QuitConfirmationTests {
    @Test func quitAsksWhileAMigrationRuns() {
        let session = makeTestSession()
        session.interactive = true
        var questions: [String] = []
        var answer = false
        session.confirm = { questions.append($0); return answer }
        #expect(session.execute("migrate -d tcp:10.0.0.2:4444").succeeded)
        #expect(session.execute("quit").output == "Not quitting\n")
        #expect(!session.quitRequested)
        #expect(questions == ["A migration is in progress (setup); quitting stops it. Quit anyway?"])
        answer = true
        #expect(session.execute("q").succeeded)
        #expect(session.quitRequested)
    }

    @Test func quitAsksWhileABlockJobRuns() {
        let session = makeTestSession()
        session.interactive = true
        var questions: [String] = []
        session.confirm = { questions.append($0); return false }
        #expect(session.execute("block_stream virtio0").succeeded)
        #expect(session.execute("quit").succeeded && !session.quitRequested)
        #expect(questions.first?.hasPrefix("A block job runs (stream virtio0)") == true)
    }

    @Test func noQuestionWhenIdleOrInABatch() {
        let idle = makeTestSession()
        idle.interactive = true
        idle.confirm = { _ in Issue.record("asked while idle"); return false }
        #expect(idle.execute("quit").succeeded && idle.quitRequested)
        let batch = makeTestSession()
        #expect(batch.execute("migrate -d tcp:10.0.0.2:4444").succeeded)
        #expect(batch.execute("quit").succeeded && batch.quitRequested)
    }
}
