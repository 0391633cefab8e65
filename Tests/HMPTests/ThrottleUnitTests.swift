import QAPI
import TestSupport
import Testing

@testable import HMP

/// block_set_io_throttle's bps values take the units hmp prints in the table format (10M,
/// 10MiB, 10MiB/s); `--format qemu` reads them as QEMU's `l` arguments do (integer
/// expressions, no suffixes).
@Suite("block_set_io_throttle units")
struct ThrottleUnitTests {
    static func limits(_ vm: ModelSession) throws -> BlockDeviceInfo? {
        try vm.query(QueryBlockCommand.self, QAPIEmpty()).first { $0.device == "virtio0" }?.inserted
    }

    @Test func tableFormatTakesHMPUnits() throws {
        let vm = ModelSession()
        let result = vm.run("block_set_io_throttle virtio0 0 10M 10MiB/s 100 0 0")
        #expect(result.succeeded, "\(String(describing: result.error))")
        var top = try #require(try Self.limits(vm))
        #expect(top.bps == 0 && top.bpsRd == 10 << 20 && top.bpsWr == 10 << 20 && top.iops == 100)
        #expect(vm.run("block_set_io_throttle virtio0 1.5G 0 0 0 0 0").succeeded)
        top = try #require(try Self.limits(vm))
        #expect(top.bps == 1_610_612_736 && top.bpsRd == 0)
        #expect(vm.run("block_set_io_throttle virtio0 10MiB 0 0 0 0 0").succeeded)
        #expect(try Self.limits(vm)?.bps == 10 << 20)
        // Plain numbers and expressions keep QEMU's reading.
        #expect(vm.run("block_set_io_throttle virtio0 10*1024 0 0 0 0 0").succeeded)
        #expect(try Self.limits(vm)?.bps == 10240)
        #expect(vm.run("block_set_io_throttle virtio0 0x100 0 0 0 0 0").succeeded)
        #expect(try Self.limits(vm)?.bps == 256)
    }

    @Test func badUnitsAreRefusedAndChangeNothing() throws {
        let vm = ModelSession()
        #expect(vm.run("block_set_io_throttle virtio0 4096 0 0 0 0 0").succeeded)
        for line in [
            "block_set_io_throttle virtio0 10X 0 0 0 0 0", "block_set_io_throttle virtio0 10Q/s 0 0 0 0 0",
            "block_set_io_throttle virtio0 20E 0 0 0 0 0",
        ] {
            let result = vm.run(line)
            #expect(result.error?.contains("give bytes per second, or a size with a unit such as 10M, 10MiB or 10MiB/s") == true, "\(line)")
            #expect(try Self.limits(vm)?.bps == 4096)
        }
        // Operations per second have no size units.
        #expect(!vm.run("block_set_io_throttle virtio0 0 0 0 10M 0 0").succeeded)
    }

    @Test func qemuFormatKeepsQEMUsParsing() throws {
        let vm = ModelSession(format: .qemu)
        let result = vm.run("block_set_io_throttle virtio0 10M 0 0 0 0 0")
        #expect(result.error?.contains("invalid char 'M' in expression") == true)
        #expect(try Self.limits(vm)?.bps == 0)
        #expect(vm.run("block_set_io_throttle virtio0 1048576 0 0 0 0 0").succeeded)
        #expect(try Self.limits(vm)?.bps == 1 << 20)
    }

    @Test(
        arguments: [
            ("10", nil), ("0x10", nil), ("10k", Int64(10240)), ("10K", 10240), ("10KiB", 10240), ("10KiB/s", 10240),
            ("1.5M", 1_572_864), ("7B/s", 7), ("3/s", 3),
        ] as [(String, Int64?)])
    func rateWords(word: String, bytes: Int64?) throws {
        #expect(try RateParser.rate(word, typedName: "t") == bytes)
    }
}
