import QAPI
import Testing

@testable import Machine

@Suite struct DirtyRateTests {
    @Test func unstartedBeforeAnyMeasurement() {
        let vm = makeVM()
        let info = vm.queryDirtyRate(unit: nil)
        #expect(info.status == .unstarted && info.dirtyRate == nil && info.calcTime == 0 && info.calcTimeUnit == .second)
        #expect(info.mode == .pageSampling)
    }

    @Test func measuresTheWorkloadOverModelTime() throws {
        // 2560 pages/s = 10 MiB/s into a hot set far larger than what one second dirties.
        let vm = makeVM(workload: GuestWorkload(dirtyPagesPerSecond: 2560, hotSetBytes: 512 << 20))
        vm.wallClockEpochMicroseconds = 1_700_000_000_000_000
        try vm.calcDirtyRate(calcTime: 1, unit: nil, samplePages: nil, mode: nil)
        var info = vm.queryDirtyRate(unit: nil)
        #expect(info.status == .measuring && info.dirtyRate == nil && info.samplePages == 512)
        #expect(info.startTime == 1_700_000_000)
        expectError("the dirty rate is already being measured.") { () throws(QMPError) in
            try vm.calcDirtyRate(calcTime: 1, unit: nil, samplePages: nil, mode: nil)
        }
        vm.advance(to: .milliseconds(999))
        #expect(vm.queryDirtyRate(unit: nil).status == .measuring)
        vm.advance(to: .seconds(1))
        info = vm.queryDirtyRate(unit: nil)
        #expect(info.status == .measured)
        #expect(info.dirtyRate == 9)  // distinct pages: slightly under 10 MiB, rounded down
        #expect(info.calcTime == 1)
        #expect(vm.queryDirtyRate(unit: .millisecond).calcTime == 1000)
    }

    @Test func ringCountsEveryWriteBitmapCountsDistinctPages() throws {
        // A tiny hot set: writes keep hitting the same pages.
        let workload = GuestWorkload(dirtyPagesPerSecond: 25_600, hotSetBytes: 4 << 20)
        let ring = makeVM(vcpus: 4, workload: workload, host: HostDescription(kvmDirtyRingSize: 4096))
        try ring.calcDirtyRate(calcTime: 2000, unit: .millisecond, samplePages: nil, mode: .dirtyRing)
        ring.advance(to: .seconds(2))
        let r = ring.queryDirtyRate(unit: .millisecond)
        #expect(r.dirtyRate == 100)
        #expect(r.vcpuDirtyRate?.map(\.dirtyRate) == [25, 25, 25, 25])
        #expect(r.samplePages == 0)

        let bitmap = makeVM(vcpus: 4, workload: workload)
        try bitmap.calcDirtyRate(calcTime: 2, unit: nil, samplePages: nil, mode: .dirtyBitmap)
        bitmap.advance(to: .seconds(2))
        let b = bitmap.queryDirtyRate(unit: nil)
        #expect(b.dirtyRate == 2)  // 4 MiB over 2 s
        #expect(b.vcpuDirtyRate == nil)
    }

    @Test func pausedGuestsDirtyNothing() throws {
        let vm = makeVM(workload: GuestWorkload(dirtyPagesPerSecond: 50_000))
        vm.stop()
        try vm.calcDirtyRate(calcTime: 1, unit: nil, samplePages: nil, mode: nil)
        vm.advance(to: .seconds(2))
        #expect(vm.queryDirtyRate(unit: nil).dirtyRate == 0)
    }

    @Test(arguments: [
        (Int64(0), TimeUnit?.none, Int64?.none, DirtyRateMeasureMode?.none, "Calculation time is out of range [50ms, 60000ms]."),
        (49, .millisecond, nil, nil, "Calculation time is out of range [50ms, 60000ms]."),
        (61, nil, nil, nil, "Calculation time is out of range [50ms, 60000ms]."),
        (1, nil, 127, nil, "sample-pages is out of range[128, 16384]."),
        (1, nil, 16385, nil, "sample-pages is out of range[128, 16384]."),
        (1, nil, 512, .dirtyBitmap, "sample-pages is used only in page-sampling mode"),
        (1, nil, nil, .dirtyRing, "mode dirty-ring is not enabled, use other method instead."),
    ])
    func checks(_ time: Int64, _ unit: TimeUnit?, _ pages: Int64?, _ mode: DirtyRateMeasureMode?, _ text: String) {
        let vm = makeVM()
        expectError(text) { () throws(QMPError) in
            try vm.calcDirtyRate(calcTime: time, unit: unit, samplePages: pages, mode: mode)
        }
        #expect(vm.queryDirtyRate(unit: nil).status == .unstarted)
    }

    @Test func rangeEdgesAreAccepted() throws {
        for (time, unit, pages) in [(Int64(50), TimeUnit.millisecond, Int64(128)), (60, .second, 16384)] {
            let vm = makeVM()
            try vm.calcDirtyRate(calcTime: time, unit: unit, samplePages: pages, mode: nil)
        }
        let ringHost = makeVM(host: HostDescription(kvmDirtyRingSize: 2048))
        expectError("mode dirty-bitmap is not enabled, use other method instead.") { () throws(QMPError) in
            try ringHost.calcDirtyRate(calcTime: 1, unit: nil, samplePages: nil, mode: .dirtyBitmap)
        }
    }
}

@Suite struct DirtyLimitTests {
    let host = HostDescription(kvmDirtyRingSize: 4096)

    @Test func needsTheDirtyRing() {
        let vm = makeVM()
        expectError("dirty page limit feature requires KVM with accelerator property 'dirty-ring-size' set") {
            () throws(QMPError) in try vm.setVcpuDirtyLimit(cpuIndex: nil, dirtyRate: 10)
        }
        // Cancel does nothing and says nothing without a dirty ring.
        #expect(throws: Never.self) { try vm.cancelVcpuDirtyLimit(cpuIndex: 7) }
    }

    @Test func setQueryCancel() throws {
        let vm = makeVM(vcpus: 2, workload: GuestWorkload(dirtyPagesPerSecond: 51_200), host: host)
        #expect(vm.queryVcpuDirtyLimit().isEmpty)
        try vm.setVcpuDirtyLimit(cpuIndex: 1, dirtyRate: 20)
        #expect(vm.queryVcpuDirtyLimit() == [DirtyLimitInfo(cpuIndex: 1, limitRate: 20, currentRate: 20)])
        try vm.setVcpuDirtyLimit(cpuIndex: nil, dirtyRate: 200)
        #expect(vm.queryVcpuDirtyLimit().map(\.currentRate) == [100, 100])  // below the limit: the workload's own rate
        try vm.setVcpuDirtyLimit(cpuIndex: 0, dirtyRate: 0)  // 0 cancels
        #expect(vm.queryVcpuDirtyLimit().map(\.cpuIndex) == [1])
        try vm.cancelVcpuDirtyLimit(cpuIndex: nil)
        #expect(vm.queryVcpuDirtyLimit().isEmpty)
        expectError("incorrect cpu index specified") { () throws(QMPError) in try vm.setVcpuDirtyLimit(cpuIndex: 2, dirtyRate: 5) }
        expectError("incorrect cpu index specified") { () throws(QMPError) in try vm.cancelVcpuDirtyLimit(cpuIndex: -1) }
    }

    @Test func limitsSlowTheMeasuredRate() throws {
        let vm = makeVM(vcpus: 2, workload: GuestWorkload(dirtyPagesPerSecond: 51_200, hotSetBytes: 2 << 30), host: host)
        try vm.setVcpuDirtyLimit(cpuIndex: nil, dirtyRate: 10)
        try vm.calcDirtyRate(calcTime: 1, unit: nil, samplePages: nil, mode: .dirtyRing)
        vm.advance(to: .seconds(1))
        #expect(vm.queryDirtyRate(unit: nil).dirtyRate == 20)
    }
}
