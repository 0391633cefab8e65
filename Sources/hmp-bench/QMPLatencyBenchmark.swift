#if canImport(Glibc)
import Glibc
#endif
import EventLoop
import HMP
import QMPClient

/// `info migrate` through the whole hmp path (parse, QMP request to a real QEMU, reply fitted
/// and formatted), one at a time: p50 and p99 round trips. Runs only when HMP_BENCH_QMP names
/// a QEMU's QMP socket (scripts/bench-qemu.sh starts one).
func qmpLatencyBenchmark() {
    guard let path = getenv("HMP_BENCH_QMP").map({ String(cString: $0) }) else { return }
    let count = getenv("HMP_BENCH_QMP_COUNT").flatMap { Int(String(cString: $0)) } ?? 2000
    let loop = EventLoop()
    let backend: QMPClientBackend
    do {
        backend = try QMPClientBackend(name: "bench", address: QEMUAddress(.unix(path: path)), loop: loop, log: nil)
    } catch {
        print("qmp latency: \(error)")
        return
    }
    let session = HMPSession(backend: backend, format: .table)
    var samples: [Double] = []
    samples.reserveCapacity(count)
    for _ in 0..<count {
        let start = wallSeconds()
        let result = session.execute("info migrate")
        samples.append((wallSeconds() - start) * 1e6)
        if let error = result.error {
            print("qmp latency: info migrate failed: \(error)")
            return
        }
    }
    samples.sort()
    let p50 = samples[count / 2]
    let p99 = samples[min(count - 1, count * 99 / 100)]
    // One line the script reads: p50 and p99 in microseconds.
    print("qmp-latency-us \(Int(p50)) \(Int(p99))")
}
