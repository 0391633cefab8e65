import TestSupport
import Testing

@testable import HMP

/// Sizes in the table format also take the IEC spelling hmp prints; `--format qemu` keeps
/// qemu_strtosz()'s reading, which refuses it.
@Suite struct SizeIECInputTests {
    @Test func blockResizeReadsGiB() {
        let model = ModelSession()
        #expect(model.run("block_resize virtio0 30GiB").error == nil)
        #expect(model.sent("block_resize") == ["device": "virtio0", "size": 32_212_254_720])
    }

    @Test func qemuFormatKeepsQEMUsReading() {
        let model = ModelSession()
        let result = model.session(.qemu).execute("block_resize virtio0 30GiB")
        #expect(result.error != nil)
        #expect(model.sent("block_resize") == nil)
    }

    @Test func aBadIECWordIsRefused() {
        let model = ModelSession()
        #expect(model.run("block_resize virtio0 3xGiB").error != nil)
        #expect(model.sent("block_resize") == nil)
    }
}
