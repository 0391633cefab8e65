import Backend
import QMPClient
import Testing

@Suite struct QEMUAddressTests {
    @Test func addressesAndNames() throws {
        #expect(try QEMUAddress.parse("unix:/run/a.qmp") == QEMUAddress(.unix(path: "/run/a.qmp")))
        #expect(try QEMUAddress.parse("tcp:[::1]:4444") == QEMUAddress(.tcp(host: "::1", port: 4444)))
        let named = try QEMUAddress.parseNamed("src=tcp:localhost:4444", position: 1)
        #expect(named.name == "src" && named.address == QEMUAddress(.tcp(host: "localhost", port: 4444)))
        #expect(try QEMUAddress.parseNamed("unix:/x=y", position: 2).name == "vm2")
    }

    @Test func badAddressesSayWhatIsAccepted() {
        #expect(throws: QMPClientError.usage("'tcp:host' has no port; expected unix:PATH or tcp:HOST:PORT")) {
            try QEMUAddress.parse("tcp:host")
        }
        #expect(throws: QMPClientError.usage("'vnc:1' is not a QMP address; expected unix:PATH or tcp:HOST:PORT")) {
            try QEMUAddress.parse("vnc:1")
        }
        #expect(throws: (any Error).self) { try QEMUAddress.parseNamed("all=unix:/a", position: 1) }
        #expect(throws: (any Error).self) { try QEMUAddress.parse("tcp:h:70000") }
    }
}

@Suite struct RemoteExtraTests {
    @Test func elementsAreNamedByTheirTextMember() {
        let extra = RemoteExtra(path: ["[20]"], value: .object(["capability": "block", "state": false]), isElement: true)
        #expect(extra.name == "block")
        #expect(extra.shownValue == .bool(false))
        #expect(extra.isTopLevel)
        #expect(!RemoteExtra(path: ["ram", "skipped"], value: 1).isTopLevel)
    }
}
