import Testing
import HMP
import Machine
import Monitor
@testable import Console

/// A foreground `migrate` always ends with a verdict: completed (with its downtime), failed
/// (with the reason) or cancelled, never "device"; on the virtual clock a migration that does
/// not complete ends the wait after bounded model time, at a bounded cost.
@Suite("Foreground migrate verdicts")
struct ForegroundMigrateTests {
    @Test(arguments: [(UInt64(256) << 20, "1G"), (1 << 30, "512M"), (4 << 30, "0"), (2 << 30, "100M"), (512 << 20, "10G"), (8 << 30, "2G")])
    func endsCompletedOnTheVirtualClock(ram: UInt64, bandwidth: String) throws {
        let session = HMPSession(
            backend: InProcessBackend(machine: VirtualMachine(configuration: .init(ramSize: ram)), clock: .virtual()))
        #expect(session.execute("migrate_set_parameter max-bandwidth \(bandwidth)").succeeded)
        let result = session.execute("migrate tcp:10.0.0.2:4444")
        #expect(result.error == nil)
        #expect(result.output.hasPrefix("Migration completed in ") && result.output.contains(", downtime "), "\(result.output)")
    }

    @Test func endsCompletedOnTheRealClock() {
        let session = HMPSession(
            backend: InProcessBackend(machine: VirtualMachine(configuration: .init(ramSize: 64 << 20)), clock: .real()))
        #expect(session.execute("migrate_set_parameter max-bandwidth 10G").succeeded)
        let result = session.execute("migrate tcp:10.0.0.2:4444")
        #expect(result.output.hasPrefix("Migration completed in "), "\(result.output) \(result.error ?? "")")
    }

    @Test func failureGivesTheReason() {
        let session = makeTestSession()
        let result = session.execute("migrate exec:cat")
        #expect(result.error?.contains("exec") == true)
    }

    @Test func nonConvergingWaitEndsWithAVerdict() {
        let session = HMPSession(
            backend: InProcessBackend(machine: VirtualMachine(configuration: .init(ramSize: 64 << 30)), clock: .virtual()))
        #expect(session.execute("migrate_set_parameter max-bandwidth 1M").succeeded)
        let result = session.execute("migrate tcp:10.0.0.2:4444")
        #expect(result.error?.contains("Migration has not completed after") == true, "\(result.error ?? "")")
        #expect(result.error?.contains("migrate_cancel") == true)
        // It goes on; the console can cancel it.
        #expect(session.execute("migrate_cancel").succeeded)
    }
}
