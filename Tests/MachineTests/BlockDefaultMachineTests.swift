import QAPI
import Testing

@testable import Machine

@Suite struct BlockDefaultMachineTests {
    @Test func defaultDisks() {
        let block = BlockLayer(events: EventQueue())
        let info = block.queryBlock()
        #expect(info.map(\.device) == ["virtio0", "virtio1", "ide1-cd0"])

        let system = info[0]
        #expect(system.removable == false && system.trayOpen == nil && system.ioStatus == .ok)
        let top = try! #require(system.inserted)
        #expect(top.drv == "qcow2" && top.ro == false && top.nodeName == "virtio0-fmt")
        #expect(top.image.virtualSize == Int64(20 * GiB))
        #expect(top.backingFileDepth == 1)
        #expect(top.backingFile == "/var/lib/hmp/images/fedora-41-base.qcow2")
        #expect(top.image.backingImage?.format == "qcow2")
        let actual = try! #require(top.image.actualSize)
        #expect(actual > Int64(GiB) && actual < Int64(2 * GiB))
        #expect(top.image.clusterSize == 65536)

        let data = try! #require(info[1].inserted)
        #expect(data.drv == "raw" && data.ro && data.image.virtualSize == Int64(8 * GiB))
        #expect(data.image.actualSize == Int64(8 * GiB))

        let cd = info[2]
        #expect(cd.removable && cd.locked == false && cd.trayOpen == false && cd.inserted == nil)

        #expect(
            block.nodeNames == [
                "virtio0-fmt", "virtio0-file", "virtio0-base-fmt", "virtio0-base-file", "virtio1-fmt", "virtio1-file",
            ])
    }

    @Test func defaultGuestIsBusy() {
        let block = BlockLayer(events: EventQueue())
        block.advance(to: seconds(10))
        let stats = block.queryBlockstats()
        #expect(stats.map(\.device) == ["virtio0", "virtio1", "ide1-cd0"])
        #expect(stats[0].stats.rdBytes == 41_943_040)
        #expect(stats[0].stats.wrBytes == 15_728_640)
        #expect(stats[0].stats.wrOperations == 960)
        #expect(stats[0].stats.flushOperations == 80)
        #expect(stats[1].stats.wrBytes == 0 && stats[1].stats.rdBytes == 10_485_760)
        #expect(stats[2].stats.rdOperations == 0 && stats[2].stats.idleTimeNs == nil)
    }
}
