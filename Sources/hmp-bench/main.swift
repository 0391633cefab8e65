// Benchmarks of swift-hmp, printed as labelled lines. One function per section; wall time is
// measured here and never asserted on in tests.
#if canImport(Glibc)
import Glibc
#endif
import Machine
import Monitor
import QAPI

/// Monotonic wall time in seconds.
func wallSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func line(_ label: String, _ value: String) {
    print(label + String(repeating: " ", count: max(1, 58 - label.count)) + value)
}

func format(_ value: Double, decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = String(rounded)
    if let dot = text.firstIndex(of: ".") {
        let have = text.distance(from: dot, to: text.endIndex) - 1
        if have < decimals { text += String(repeating: "0", count: decimals - have) }
    }
    return text
}

/// Runs a migration on the virtual clock until it ends; returns the final info and how many
/// advance steps it took.
func migrateToEnd(
    _ vm: VirtualMachine, uri: String, step: ModelTime = .seconds(60), limit: ModelTime = .seconds(86_400)
)
    -> MigrationInfo
{
    do {
        try vm.migration.migrate(uri: uri, channels: nil)
    } catch {
        print("migrate failed: \(error)")
        exit(1)
    }
    var t = vm.now
    while vm.migration.isRunning && t < limit {
        t = t + step
        vm.advance(to: t)
    }
    return vm.migration.info()
}

// MARK: - Section: 1 TiB guest

func benchLargeGuest() {
    print("== Migration of a 1 TiB guest (virtual clock)")
    let vm = VirtualMachine(
        configuration: MachineConfiguration(
            ramSize: 1 << 40, vcpus: 64,
            workload: GuestWorkload(dirtyPagesPerSecond: 100_000, zeroPercent: 25, hotSetBytes: 64 << 30),
            link: NetworkLink(bandwidthBitsPerSecond: 10_000_000_000)))
    do {
        try vm.migration.setCapabilities([
            MigrationCapabilityStatus(capability: .autoConverge, state: true),
            MigrationCapabilityStatus(capability: .events, state: true),
        ])
        try vm.migration.setParameters(MigrateSetParameters(maxBandwidth: 0))
    } catch {
        print("setup failed: \(error)")
        exit(1)
    }
    let start = wallSeconds()
    let info = migrateToEnd(vm, uri: "tcp:10.0.0.2:4446")
    let wall = wallSeconds() - start
    line("1 TiB guest: wall time to simulate the whole migration", "\(format(wall * 1000, decimals: 2)) ms")
    line("1 TiB guest: status", info.status?.rawValue ?? "-")
    line("1 TiB guest: model time", "\(format(Double(info.totalTime ?? 0) / 1000, decimals: 1)) s")
    line("1 TiB guest: passes (dirty syncs)", "\(info.ram?.dirtySyncCount ?? 0)")
    line("1 TiB guest: downtime", "\(info.downtime ?? 0) ms")
    line("1 TiB guest: throughput", "\(format(info.ram?.mbps ?? 0, decimals: 2)) mbps")
    line("1 TiB guest: events emitted", "\(vm.events.pending.count)")
}

// MARK: - Section: realism anchor

func benchRealismAnchor() {
    print("== Realism anchor: 512 MiB idle guest at max-bandwidth 32 MiB/s")
    let vm = VirtualMachine(
        configuration: MachineConfiguration(ramSize: 512 << 20, workload: .idle(zeroPercent: 0)))
    do {
        try vm.migration.setParameters(MigrateSetParameters(maxBandwidth: 32 << 20))
    } catch {
        print("setup failed: \(error)")
        exit(1)
    }
    let info = migrateToEnd(vm, uri: "tcp:10.0.0.2:4446", step: .milliseconds(100))
    let seconds = Double(info.totalTime ?? 0) / 1000
    line("anchor: model total time (QEMU 7.2: 15.6 s)", "\(format(seconds, decimals: 2)) s")
    line("anchor: throughput (QEMU 7.2: 268.57 mbps)", "\(format(info.ram?.mbps ?? 0, decimals: 2)) mbps")
    line("anchor: downtime", "\(info.downtime ?? 0) ms")
}

// MARK: - Section: dispatcher throughput

func benchDispatcher() {
    print("== QMP dispatcher: 1,000,000 JSON requests, query-migrate-parameters / migrate-set-parameters")
    // The real backend: every request runs the model's parameter rules (copy, check, commit).
    let backend = InProcessBackend(machine: VirtualMachine(), clock: .virtual())
    let result = dispatchBenchmark(dispatcher: backend.dispatcher)
    line("dispatcher: wall time", "\(format(result.seconds, decimals: 3)) s")
    line("dispatcher: throughput", "\(Int(result.requestsPerSecond)) requests/s")
}

// scripts/bench-qemu.sh asks for the round trips to a real QEMU alone.
if getenv("HMP_BENCH_QMP") != nil {
    qmpLatencyBenchmark()
    exit(0)
}
benchLargeGuest()
benchRealismAnchor()
benchDispatcher()
benchStreamFile()
