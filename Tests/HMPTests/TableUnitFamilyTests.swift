import Machine
import QAPI
import Testing
import TestSupport

@testable import HMP

/// The table format speaks one unit family: binary sizes and the same units per second for
/// every rate. Decimal megabytes and bit rates appear only where QEMU prints them, in the
/// qemu format (and in `link_set`, whose input is bits per second, beside the MiB/s).
@Suite struct TableUnitFamilyTests {
    static let foreignUnits = ["MB/s", "Mbit", "Gbit", "kbit", "Mbps", "MB ", "kB", "bits/s"]

    func foreign(_ text: String) -> [String] { Self.foreignUnits.filter { text.contains($0) } }

    /// A migration the model cannot finish at once, with the dirty ring for dirty limits.
    func model(_ format: OutputFormat = .table) -> ModelSession {
        var configuration = MachineConfiguration(host: HostDescription(kvmDirtyRingSize: 4096))
        configuration.ramSize = 2 << 30
        configuration.workload = GuestWorkload(dirtyPagesPerSecond: 20_000, zeroPercent: 0, hotSetBytes: 1 << 30)
        return ModelSession(format: format, configuration: configuration)
    }

    @Test func everyTableOutputUsesBinaryUnits() {
        let m = model()
        var progress: [String] = []
        m.session.progress = { progress.append($0) }
        var outputs: [String: String] = [:]
        for line in [
            "migrate_set_parameter max-bandwidth 64M", "migrate_set_parameter vcpu-dirty-limit 200",
            "set_vcpu_dirty_limit 300 1", "info vcpu_dirty_limit", "cancel_vcpu_dirty_limit",
            "migrate_set_capability events on", "migrate -d tcp:192.0.2.1:4444", "sleep 3s", "info migrate", "sleep 30s", "info migrate -v",
            "info migrate_parameters", "calc_dirty_rate 1", "sleep 2s", "info dirty_rate",
            "block_set_io_throttle virtio0 10485760 0 0 100 0 0", "info block", "info blockstats",
            "info events", "migrate_cancel", "sleep 100ms", "info migrate",
        ] {
            let result = m.run(line)
            #expect(result.succeeded, "\(line): \(result.error ?? "")")
            outputs[line] = result.output
            #expect(foreign(result.output).isEmpty, "\(line) printed \(foreign(result.output)):\n\(result.output)")
        }
        #expect(m.run("migrate_set_parameter max-bandwidth 512M").succeeded)
        let foregroundResult = m.run("migrate tcp:192.0.2.1:4444")
        #expect(foregroundResult.output.hasPrefix("Migration completed in "), "\(foregroundResult)")
        for line in progress + [foregroundResult.output, foregroundResult.error ?? ""] {
            #expect(foreign(line).isEmpty, "progress line \(line)")
        }
        #expect(progress.contains { $0.contains(" 512 MiB/s ") }, "\(progress)")

        // The throughput reads against max-bandwidth in the same unit.
        let active = outputs["info migrate -v"] ?? ""
        let throughput = active.split(separator: "\n").first { $0.hasPrefix("  Throughput ") }
        #expect(throughput?.hasSuffix(" 64 MiB/s") == true, "\(active)")
        #expect(outputs["migrate_set_parameter max-bandwidth 64M"] == "max-bandwidth set to 64 MiB/s (67108864 bytes/s)\n")
        #expect(outputs["set_vcpu_dirty_limit 300 1"] == "Dirty page limit of vCPU 1 set to 300 MiB/s\n")
        #expect(outputs["migrate_set_parameter vcpu-dirty-limit 200"] == "vcpu-dirty-limit set to 200 MiB/s\n")
        #expect(outputs["info migrate_parameters"]?.contains("vcpu-dirty-limit            200      MiB/s\n") == true)
        #expect(outputs["info dirty_rate"]?.hasSuffix(" MiB/s\n") == true)
    }

    /// Rates are labelled as rates, not as counts.
    @Test func pageRatesAreLabelledAsRates() {
        let m = model()
        _ = m.run("migrate_set_parameter max-bandwidth 64M")
        _ = m.run("migrate -d tcp:192.0.2.1:4444")
        _ = m.run("sleep 40s")
        let table = m.run("info migrate").output
        #expect(table.contains("\n  Page send rate  "), "\(table)")
        #expect(table.contains("\n  Page dirty rate "), "\(table)")
        #expect(!table.contains("Pages sent") && !table.contains("Pages dirtied"))
        let rateRow = table.split(separator: "\n").first { $0.contains("Page send rate") }
        #expect(rateRow?.hasSuffix(" pages/s") == true)
    }

    /// The qemu format keeps QEMU's own units.
    @Test func theQemuFormatKeepsQEMUsUnits() {
        let m = model(.qemu)
        for line in [
            "migrate_set_parameter max-bandwidth 64M", "migrate_set_parameter vcpu-dirty-limit 200", "migrate -d tcp:192.0.2.1:4444",
            "sleep 3s", "calc_dirty_rate 1", "sleep 2s",
        ] {
            #expect(m.run(line).succeeded, "\(line)")
        }
        #expect(m.run("info migrate").output.contains("  Throughput (Mbps): \t537.04\n"))
        #expect(m.run("info migrate_parameters").output.contains("vcpu-dirty-limit: 200 MB/s\n"))
        #expect(m.run("info dirty_rate").output.contains(" (MB/s)\n"))
    }

    @Test func linkBandwidthIsTypedInBitsAndShownBesideMiBPerSecond() {
        let m = model()
        #expect(m.run("link_set bandwidth 1G").output == "link bandwidth: 1 Gbit/s (119 MiB/s)\n")
        #expect(m.run("info link").output.hasPrefix("bandwidth      1 Gbit/s (119 MiB/s)\n"))
    }

    @Test func byteRateFromQEMUsMegabits() {
        #expect(MigrationUnits.byteRate(mbps: 536.870912) == "64 MiB/s")
        #expect(MigrationUnits.byteRate(mbps: 0) == "0 B/s")
        #expect(MigrationUnits.byteRate(mbps: -3) == "0 B/s")
        #expect(MigrationUnits.byteRate(mbps: .infinity) == "0 B/s")
        #expect(MigrationUnits.byteRate(mbps: .nan) == "0 B/s")
        #expect(MigrationUnits.byteRate(mbps: 1e30) != "")
    }
}
