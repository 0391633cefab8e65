import QAPI
import Testing

@testable import Machine

@Suite struct BlockEjectTests {
    @Test func ejectingAnEmptyDriveOpensTheTray() throws {
        let block = BlockLayer(events: EventQueue())
        try block.eject(device: "ide1-cd0", id: nil)
        #expect(block.queryBlock()[2].trayOpen == true && block.queryBlock()[2].inserted == nil)
    }

    @Test func ejectTakesTheMediumOut() throws {
        let (block, _) = try blockLayer(["ide1-cd0:cdrom:file=/isos/a.iso"])
        #expect(block.queryBlock()[0].inserted?.file == "/isos/a.iso")
        try block.eject(device: nil, id: "/machine/unattached/device[0]")
        let info = block.queryBlock()[0]
        #expect(info.inserted == nil && info.trayOpen == true && info.locked == false)
        #expect(block.closedImageFiles == ["/isos/a.iso"])
        try block.insertMedium(device: "ide1-cd0", filename: "/isos/a.iso")
        #expect(block.queryBlock()[0].inserted?.image.virtualSize == Int64(GiB) && block.queryBlock()[0].trayOpen == false)
    }

    @Test func lockedTrayOpensWhenTheGuestAgrees() throws {
        let (block, _) = try blockLayer(["ide1-cd0:cdrom:file=/isos/a.iso"])
        try block.setMediumLocked(device: "ide1-cd0", true)
        let error = failure { try block.eject(device: "ide1-cd0", id: nil) }
        #expect(error?.desc == "Device 'ide1-cd0' is locked and force was not specified, wait for tray to open and try again")
        #expect(block.queryBlock()[0].inserted != nil && block.queryBlock()[0].locked)
        block.advance(to: .milliseconds(999))
        #expect(block.queryBlock()[0].trayOpen == false)
        block.advance(to: seconds(1))
        let info = block.queryBlock()[0]
        #expect(info.trayOpen == true && !info.locked && info.inserted != nil)
        try block.eject(device: "ide1-cd0", id: nil)
        #expect(block.queryBlock()[0].inserted == nil)
    }

    @Test func forceDoesNotWait() throws {
        let (block, _) = try blockLayer(["ide1-cd0:cdrom:file=/isos/a.iso"])
        try block.setMediumLocked(device: "ide1-cd0", true)
        try block.eject(device: "ide1-cd0", id: nil, force: true)
        #expect(block.queryBlock()[0].inserted == nil && !block.queryBlock()[0].locked)
    }

    @Test func refusals() {
        let block = BlockLayer(events: EventQueue())
        #expect(failure { try block.eject(device: "virtio0", id: nil) }?.desc == "Device 'virtio0' is not removable")
        #expect(failure { try block.eject(device: nil, id: nil) }?.desc == "Need exactly one of 'device' and 'id'")
        #expect(failure { try block.eject(device: "a", id: "b") }?.desc == "Need exactly one of 'device' and 'id'")
        let missing = failure { try block.eject(device: "cd9", id: nil) }
        #expect(missing?.desc == "Device 'cd9' not found" && missing?.errorClass == .deviceNotFound)
        #expect(block.queryBlock()[2].trayOpen == false)
    }
}
