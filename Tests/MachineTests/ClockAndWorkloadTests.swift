import QAPI
import Testing

@testable import Machine

@Suite struct ClockTests {
    @Test func virtualClockMovesOnlyWhenTold() {
        let clock = ModelClock.virtual()
        #expect(clock.now == .zero)
        clock.advance(by: .milliseconds(1500))
        #expect(clock.now == .milliseconds(1500))
        clock.sleep(nanoseconds: 500_000_000)
        #expect(clock.now == .seconds(2))
    }

    @Test func realClockIsMonotonic() {
        let clock = ModelClock.real()
        let a = clock.now
        clock.sleep(nanoseconds: 1_000_000)
        let b = clock.now
        #expect(b > a)
        #expect(b.nanoseconds >= 1_000_000)
    }
}

@Suite struct DirtyingLawTests {
    @Test func saturatesAtTheHotSet() {
        let hot = 1000.0
        let d = Dirtying.evolve(dirty: 0, hot: hot, rate: 1e6, seconds: 10)
        #expect(abs(d - hot) < 1e-9)
        #expect(Dirtying.evolve(dirty: 0, hot: hot, rate: 0, seconds: 10) == 0)
    }

    @Test func stepsComposeExactly() {
        let one = Dirtying.evolve(dirty: 10, hot: 5000, rate: 300, seconds: 4)
        let half = Dirtying.evolve(dirty: 10, hot: 5000, rate: 300, seconds: 2)
        let two = Dirtying.evolve(dirty: half, hot: 5000, rate: 300, seconds: 2)
        #expect(abs(one - two) < 1e-9)
    }

    @Test func matchesTheFormulaFromZero() {
        let hot = 65536.0, rate = 4096.0, t = 3.0
        #expect(abs(Dirtying.evolve(dirty: 0, hot: hot, rate: rate, seconds: t) - hot * (1 - exp(-rate * t / hot))) < 1e-6)
    }

    @Test func guestRatesFollowRunStateThrottleAndLimits() throws {
        let vm = makeVM(vcpus: 4, workload: GuestWorkload(dirtyPagesPerSecond: 40_000), host: HostDescription(kvmDirtyRingSize: 4096))
        #expect(vm.effectiveDirtyRate == 40_000)
        try vm.setVcpuDirtyLimit(cpuIndex: 1, dirtyRate: 1)  // 1 MiB/s = 256 pages/s
        #expect(vm.vcpuDirtyRates() == [10_000, 256, 10_000, 10_000])
        vm.stop()
        #expect(vm.effectiveDirtyRate == 0)
    }
}

import Glibc
