import QAPI
import TestSupport
import Testing

@testable import HMP

/// qcow2's "Format specific information" carries compression-type and extended-l2 with
/// QEMU's defaults for an image qemu-img creates (zlib, no subclusters), and `info block -v`
/// prints them where QEMU's dump of the QDict puts them: the lines below are what QEMU 7.2's
/// `qemu-img info` and `info block -v` print for such an image.
@Suite("qcow2 format-specific information")
struct Qcow2SpecificInfoTests {
    static let qemuLines = """
        Format specific information:
            compat: 1.1
            compression type: zlib
            lazy refcounts: false
            refcount bits: 16
            corrupt: false
            extended l2: false

        """

    @Test func theModelReportsQEMUsDefaults() throws {
        let vm = ModelSession()
        let top = try #require(vm.query(QueryBlockCommand.self, QAPIEmpty()).first { $0.device == "virtio0" }?.inserted)
        guard case .qcow2(let wrapper)? = top.image.formatSpecific else {
            Issue.record("no qcow2 details")
            return
        }
        #expect(wrapper.data.compressionType == .zlib && wrapper.data.extendedL2 == false)
        let wire = top.image.formatSpecific?.qapi["data"]
        #expect(wire?["compression-type"]?.stringValue == "zlib" && wire?["extended-l2"] == .bool(false))
    }

    @Test func infoBlockVerbosePrintsThemInQEMUsOrder() {
        let vm = ModelSession(format: .qemu)
        let text = vm.run("info block -v virtio0").output
        // Once for the image, once for its backing file.
        #expect(text.components(separatedBy: Self.qemuLines).count == 3)
    }
}
