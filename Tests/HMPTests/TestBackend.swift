import Backend
import Monitor
import QAPI

@testable import HMP

/// A backend double for HMP tests: a dispatcher with whatever handlers a test registers,
/// a clock that only moves when waited on, and an event list.
final class TestBackend: MonitorBackend {
    let dispatcher = QMPDispatcher()
    var waited: UInt64 = 0
    var events: [JSONValue] = []
    var synchronizations = 0

    func execute<C: QAPICommand>(_ command: C.Type, _ arguments: C.Arguments) throws(QMPError) -> C.Returns {
        try dispatcher.execute(command, arguments)
    }

    func dispatch(_ request: JSONValue) -> JSONValue { dispatcher.dispatch(request) }
    func synchronize() { synchronizations += 1 }
    func wait(nanoseconds: UInt64) { waited += nanoseconds }

    func takeEvents() -> [JSONValue] {
        defer { events = [] }
        return events
    }
}

func session(_ backend: TestBackend = TestBackend(), format: OutputFormat = .table) -> HMPSession {
    HMPSession(backend: backend, format: format)
}
