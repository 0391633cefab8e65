import QAPI
import Testing

@testable import Machine

/// Thin provisioning: a qcow2 image on a 2 GiB volume, written at 10 MiB/s, all new data.
@Suite struct BlockThresholdTests {
    func thinDisk(_ extra: String = "") throws -> (BlockLayer, EventQueue) {
        let (block, events) = try blockLayer(["virtio2:qcow2:100G:volume=2G:used=1G" + extra])
        try block.setWorkload(device: "virtio2", .steady(writeBytesPerSecond: 10 * MiB, newDataPerMillion: 1_000_000))
        return (block, events)
    }

    @Test func thresholdFiresOnceWhenCrossed() throws {
        let (block, events) = try thinDisk()
        try block.setWriteThreshold(nodeName: "virtio2-file", bytes: 1536 * MiB)
        #expect(block.queryNamedBlockNodes().first { $0.nodeName == "virtio2-file" }?.writeThreshold == Int64(1536 * MiB))
        block.advance(to: seconds(51))
        #expect(events.names() == [])
        block.advance(to: seconds(60))
        let fired = events.drain()
        #expect(fired.map(\.name) == ["BLOCK_WRITE_THRESHOLD"])
        // The 64 KiB write that ends past 1.5 GiB on the file: (512 MiB - 128 KiB) at 10 MiB/s.
        #expect(fired[0].time == ModelTime(nanoseconds: 51_187_500_000))
        #expect(fired[0].data["node-name"]?.string == "virtio2-file")
        #expect(fired[0].data["amount-exceeded"]?.int == 65_536)
        #expect(fired[0].data["write-threshold"]?.int == Int64(1536 * MiB))
        // One shot: disarmed afterwards.
        #expect(block.writeThreshold(nodeName: "virtio2-file") == 0)
        block.advance(to: seconds(90))
        #expect(events.names() == [])
    }

    @Test func formatNodeThresholdUsesGuestOffsets() throws {
        let (block, events) = try thinDisk()
        try block.setWriteThreshold(nodeName: "virtio2-fmt", bytes: 1_288_490_188)
        block.advance(to: seconds(100))
        let fired = events.take("BLOCK_WRITE_THRESHOLD")
        #expect(fired.count == 1)
        // Writes are whole 64 KiB requests: the crossing one ends at 1_288_503_296.
        #expect(fired.first?.data["amount-exceeded"]?.int == Int64(13_108))
        #expect(fired.first?.time == ModelTime(nanoseconds: 20_481_250_000))
    }

    @Test func thresholdAlreadyPassedFiresOnTheNextNewWrite() throws {
        let (block, events) = try thinDisk()
        block.advance(to: seconds(1))
        try block.setWriteThreshold(nodeName: "virtio2-fmt", bytes: 512 * MiB)
        block.advance(to: seconds(2))
        let fired = events.take("BLOCK_WRITE_THRESHOLD")
        #expect(fired.count == 1)
        #expect(fired.first?.data["amount-exceeded"]?.int == Int64(GiB + 10 * MiB + 65_536 - 512 * MiB))
        #expect(fired.first?.time == ModelTime(nanoseconds: 1_006_250_000))
    }

    @Test func zeroTurnsTheThresholdOff() throws {
        let (block, events) = try thinDisk()
        try block.setWriteThreshold(nodeName: "virtio2-fmt", bytes: 1100 * MiB)
        try block.setWriteThreshold(nodeName: "virtio2-fmt", bytes: 0)
        block.advance(to: seconds(60))
        #expect(events.take("BLOCK_WRITE_THRESHOLD").isEmpty)
        #expect(failure { try block.setWriteThreshold(nodeName: "virtio2", bytes: 1) }?.desc == "Device 'virtio2' not found")
    }

    @Test func fullVolumeStopsTheGuestUntilTheManagerGrowsIt() throws {
        let (block, events) = try thinDisk()
        var stoppedAt: ModelTime?
        block.onGuestStopRequest = { stoppedAt = $0 }
        block.advance(to: seconds(200))
        let errors = events.take("BLOCK_IO_ERROR")
        #expect(errors.count == 1)
        let full = ModelTime(nanoseconds: 102_381_250_000)
        #expect(errors[0].time == full && stoppedAt == full)
        #expect(
            errors[0].data
                == JSONValue.object([
                    "qom-path": "/machine/peripheral-anon/device[0]/virtio-backend", "device": "virtio2",
                    "node-name": "virtio2-fmt", "operation": "write", "action": "stop", "nospace": true,
                    "reason": "No space left on device",
                ]))
        #expect(block.queryBlock()[0].ioStatus == .nospace)
        #expect(block.guestRunning == false)
        let image = block.queryBlock()[0].inserted!.image
        #expect(image.actualSize == Int64(2 * GiB))

        // Resuming without space fails again at once.
        block.setGuestRunning(true)
        #expect(block.queryBlock()[0].ioStatus == .ok)
        block.advance(to: seconds(201))
        #expect(events.take("BLOCK_IO_ERROR").first?.time == seconds(200))
        #expect(block.queryBlock()[0].ioStatus == .nospace)

        // The manager grows the volume, then the guest goes on.
        try block.resize(device: nil, nodeName: "virtio2-file", size: Int64(4 * GiB))
        block.setGuestRunning(true)
        block.advance(to: seconds(211))
        #expect(events.take("BLOCK_IO_ERROR").isEmpty)
        #expect(block.queryBlock()[0].inserted!.image.actualSize == Int64(2 * GiB + 100 * MiB))
    }

    @Test func reportPolicyLetsTheGuestRunWithFailingWrites() throws {
        let (block, events) = try thinDisk(":werror=report")
        block.advance(to: seconds(110))
        let errors = events.take("BLOCK_IO_ERROR")
        #expect(errors.count == 1 && errors[0].data["action"]?.string == "report")
        #expect(block.guestRunning && block.queryBlock()[0].ioStatus == nil)
        let s = block.queryBlockstats()[0].stats
        // All writes were new data, so every write after the volume filled up failed.
        #expect(s.wrBytes == Int64(GiB) - 196_608)
        try block.resize(device: nil, nodeName: "virtio2-file", size: Int64(3 * GiB))
        block.advance(to: seconds(111))
        #expect(block.queryBlockstats()[0].stats.wrBytes == Int64(GiB) - 196_608 + Int64(10 * MiB))
    }

    @Test func injectedErrorsFollowThePolicy() throws {
        let (block, events) = try blockLayer(["virtio0:qcow2:8G:werror=stop", "virtio1:raw:1G:rerror=ignore"])
        var stops = 0
        block.onGuestStopRequest = { _ in stops += 1 }
        try block.injectIOError(device: "virtio1", operation: .read)
        #expect(events.take("BLOCK_IO_ERROR").first?.data["action"]?.string == "ignore")
        #expect(stops == 0)
        // werror=enospc (the default) reports an error that is not about space.
        try block.injectIOError(device: "virtio1", operation: .write)
        #expect(events.take("BLOCK_IO_ERROR").first?.data["action"]?.string == "report")
        #expect(stops == 0 && block.queryBlock()[1].ioStatus == .ok)
        try block.injectIOError(device: "virtio0", operation: .write)
        let stop = events.take("BLOCK_IO_ERROR").first
        #expect(stop?.data["action"]?.string == "stop" && stop?.data["reason"]?.string == "Input/output error")
        #expect(stops == 1 && block.queryBlock()[0].ioStatus == .failed && !block.guestRunning)
        block.setGuestRunning(true)
        #expect(block.queryBlock()[0].ioStatus == .ok)
        try block.injectIOError(device: "virtio0", operation: .read)
        #expect(events.take("BLOCK_IO_ERROR").first?.data["action"]?.string == "report")
        #expect(stops == 1)
        #expect(failure { try block.injectIOError(device: "nope", operation: .read) }?.errorClass == .deviceNotFound)
    }
}
