import HMP
import Machine
import Backend
import Monitor

/// A session on a fresh model VM with the default disks, on the virtual clock so runs repeat exactly.
func makeTestSession(format: OutputFormat = .table) -> HMPSession {
    HMPSession(backend: InProcessBackend(machine: VirtualMachine(), clock: .virtual()), format: format)
}
