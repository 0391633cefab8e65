import Testing

@testable import QMPServer

@Suite struct QMPAddressTests {
    @Test func qemuSpellingsAreAccepted() throws {
        #expect(try QMPAddress.parse("unix:/tmp/vm.qmp") == QMPAddress(endpoint: .unix(path: "/tmp/vm.qmp")))
        #expect(try QMPAddress.parse("unix:/tmp/vm.qmp,server=on,wait=off").endpoint == .unix(path: "/tmp/vm.qmp"))
        #expect(try QMPAddress.parse("unix:/tmp/vm.qmp,server,nowait").waitsForClient == false)
        #expect(try QMPAddress.parse("unix:/tmp/vm.qmp,server=on,wait=on").waitsForClient == true)
        #expect(try QMPAddress.parse("tcp::4444").endpoint == .tcp(host: "127.0.0.1", port: 4444))
        #expect(try QMPAddress.parse("tcp:0.0.0.0:4444").endpoint == .tcp(host: "0.0.0.0", port: 4444))
        #expect(try QMPAddress.parse("tcp:[::1]:4444").endpoint == .tcp(host: "::1", port: 4444))
        #expect(try QMPAddress.parse("tcp:localhost:0,server=on").endpoint == .tcp(host: "localhost", port: 0))
    }

    @Test(arguments: [
        ("stdio", "not a transport"), ("unix:", "needs a socket path"), ("tcp:4444", "needs a port"),
        ("tcp:host:99999", "is not a number"), ("tcp:::1:4444", "brackets"), ("unix:/x,server=off", "only listens"),
        ("unix:/x,telnet=on", "unsupported flag 'telnet=on'"), ("unix:/x,,server", "empty flag"),
    ])
    func mistakesSayWhatIsWrong(text: String, words: String) {
        #expect(throws: QMPAddressError.self) { try QMPAddress.parse(text) }
        do {
            _ = try QMPAddress.parse(text)
        } catch {
            #expect(error.description.contains(words), "\(text): \(error.description)")
        }
    }
}
