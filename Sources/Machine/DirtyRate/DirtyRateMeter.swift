import QAPI

/// `calc-dirty-rate` / `query-dirty-rate`: measures the model's own workload over a period of
/// model time. Page sampling and dirty bitmap count distinct pages dirtied in the period
/// (the saturation law); the dirty ring counts every harvested write per vCPU.
struct DirtyRateMeter {
    var status: DirtyRateStatus = .unstarted
    var mode: DirtyRateMeasureMode = .pageSampling
    /// Wall-clock seconds when the measurement started (QEMU reports seconds).
    var startTimeSeconds: Int64 = 0
    var calcTimeMs: Int64 = 0
    var samplePages: UInt64 = 0
    var deadline: ModelTime?
    private var distinctPages = 0.0
    private var vcpuWrites: [Double] = []
    /// MiB/s, once measured.
    var dirtyRate: Int64?
    var vcpuDirtyRates: [Int64] = []

    mutating func start(
        mode: DirtyRateMeasureMode, calcTimeMs: Int64, samplePages: UInt64, now: ModelTime, wallClockSeconds: Int64,
        vcpus: Int
    ) {
        status = .measuring
        self.mode = mode
        self.calcTimeMs = calcTimeMs
        self.samplePages = samplePages
        startTimeSeconds = wallClockSeconds
        deadline = now + ModelTime.milliseconds(UInt64(calcTimeMs))
        distinctPages = 0
        vcpuWrites = Array(repeating: 0, count: vcpus)
        dirtyRate = nil
        vcpuDirtyRates = []
    }

    mutating func integrate(seconds: Double, vcpuRates: [Double], hotPages: Double) {
        guard status == .measuring else { return }
        let total = vcpuRates.reduce(0, +)
        distinctPages = Dirtying.evolve(dirty: distinctPages, hot: hotPages, rate: total, seconds: seconds)
        for (i, rate) in vcpuRates.enumerated() where i < vcpuWrites.count { vcpuWrites[i] += rate * seconds }
    }

    /// Ends the measurement when its period is over; rates use QEMU's integer arithmetic
    /// (MiB, then per second over the period in ms). `pageSize` converts pages to bytes.
    mutating func finishIfDue(at now: ModelTime, pageSize: UInt64) {
        guard status == .measuring, let deadline, now >= deadline else { return }
        func rate(_ pages: Double) -> Int64 {
            let mib = (UInt64(pages.rounded(.down)) * pageSize) >> 20
            return Int64(mib * 1000 / UInt64(max(1, calcTimeMs)))
        }
        switch mode {
        case .dirtyRing:
            vcpuDirtyRates = vcpuWrites.map(rate)
            dirtyRate = vcpuDirtyRates.reduce(0, +)
        case .pageSampling, .dirtyBitmap:
            dirtyRate = rate(distinctPages)
        }
        status = .measured
        self.deadline = nil
    }
}
