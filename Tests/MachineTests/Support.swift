import QAPI
import Testing
import TestSupport

@testable import Machine

func makeVM(
    ram: UInt64 = 1 << 30, vcpus: Int = 2, workload: GuestWorkload = .idle(), host: HostDescription = HostDescription(),
    link: NetworkLink = NetworkLink(), allowExec: Bool = false, startState: RunState = .running,
    incomingURI: String? = nil, disks: [DiskSpec] = DiskSpec.defaultMachine
) -> VirtualMachine {
    VirtualMachine(
        configuration: MachineConfiguration(
            ramSize: ram, vcpus: vcpus, workload: workload, host: host, link: link, allowExec: allowExec,
            startState: startState, incomingURI: incomingURI, disks: disks))
}

func caps(_ list: MigrationCapability...) -> [MigrationCapabilityStatus] {
    list.map { MigrationCapabilityStatus(capability: $0, state: true) }
}

/// Advances in steps of `step` until the migration stops running or `limit` model time has
/// passed since now.
@discardableResult
func runMigration(_ vm: VirtualMachine, step: ModelTime = .seconds(1), limit: ModelTime = .seconds(3600)) -> MigrationInfo {
    let end = vm.now + limit
    while vm.migration.isRunning && vm.now < end {
        vm.advance(to: min(vm.now + step, end))
    }
    return vm.migration.info()
}

/// Expects `body` to throw a QMP error with exactly `text`.
func expectError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws(QMPError) -> Void) {
    do throws(QMPError) {
        try body()
        Issue.record("expected error: \(text)", sourceLocation: sourceLocation)
    } catch {
        #expect(error.desc == text, sourceLocation: sourceLocation)
    }
}

/// Names of the events emitted so far (drained), with MIGRATION carrying its status.
func eventNames(_ vm: VirtualMachine) -> [String] {
    vm.events.drain().map { event in
        if event.name == "MIGRATION", let status = event.data["status"]?.stringValue { return "MIGRATION:\(status)" }
        return event.name
    }
}
