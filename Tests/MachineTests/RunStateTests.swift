import QAPI
import Testing

@testable import Machine

@Suite struct RunStateTests {
    @Test func stopAndCont() throws {
        let vm = makeVM()
        #expect(vm.statusInfo == StatusInfo(running: true, status: .running))
        vm.stop()
        #expect(vm.statusInfo == StatusInfo(running: false, status: .paused))
        vm.stop()  // stopping a stopped guest is fine
        try vm.cont()
        try vm.cont()  // so is continuing a running one
        #expect(vm.runState == .running)
        #expect(eventNames(vm) == ["STOP", "RESUME"])
    }

    @Test func prelaunchStartsOnCont() throws {
        let vm = makeVM(startState: .prelaunch)
        #expect(vm.effectiveDirtyRate == 0)
        try vm.cont()
        #expect(vm.runState == .running)
    }

    @Test func contRefusals() throws {
        let vm = makeVM(workload: .idle())
        try vm.migration.setCapabilities(caps(.pauseBeforeSwitchover))
        try vm.migration.migrate(uri: "tcp:10.0.0.2:4446", channels: nil)
        runMigration(vm, limit: .seconds(30))
        #expect(vm.runState == .finishMigrate)
        expectError("Migration is not finalized yet") { () throws(QMPError) in try vm.cont() }
        vm.stop()  // stop does not touch a guest the migration stopped
        #expect(vm.runState == .finishMigrate)
    }

    @Test func stoppedSourceSendsOnlyWhatIsDirty() throws {
        let vm = makeVM(workload: GuestWorkload(dirtyPagesPerSecond: 80_000, hotSetBytes: 1 << 30))
        vm.stop()
        try vm.migration.migrate(uri: "tcp:10.0.0.2:4446", channels: nil)
        let info = runMigration(vm)
        #expect(info.status == .completed)
        let ram = try #require(info.ram)
        #expect(ram.normal + ram.duplicate == Int64(vm.configuration.totalPages))
        try vm.cont()
        #expect(vm.runState == .running)
    }
}
