import Backend
import Monitor
import QAPI
@testable import HMP

/// Runs lines through a session on the fake backend.
struct BlockRig {
    let backend: BlockFakeBackend
    let session: HMPSession

    init(_ backend: BlockFakeBackend = BlockFakeBackend(), format: OutputFormat = .table) {
        self.backend = backend
        session = HMPSession(backend: backend, format: format)
    }

    func run(_ line: String) -> HMPLineResult { session.execute(line) }

    /// Standard output of a line that must succeed.
    func output(_ line: String) -> String {
        let r = session.execute(line)
        return r.succeeded ? r.output : "FAILED: \(r.error ?? "")"
    }
}

/// The reply a json-format line printed, parsed back.
func jsonReply(_ text: String) -> JSONValue? { try? JSONParser.parse(text) }
