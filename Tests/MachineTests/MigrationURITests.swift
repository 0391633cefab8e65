import QAPI
import Testing

@testable import Machine

@Suite struct MigrationURITests {
    @Test func parsesEveryScheme() throws {
        #expect(try MigrationURI.parse("tcp:10.0.0.2:4446") == .socket(.inet(InetSocketAddress(host: "10.0.0.2", port: "4446"))))
        #expect(try MigrationURI.parse("tcp::4446") == .socket(.inet(InetSocketAddress(host: "", port: "4446"))))
        #expect(try MigrationURI.parse("tcp:[::1]:4446") == .socket(.inet(InetSocketAddress(host: "::1", port: "4446"))))
        #expect(
            try MigrationURI.parse("tcp:dst:4446,to=4450,ipv4")
                == .socket(.inet(InetSocketAddress(host: "dst", port: "4446", to: 4450, ipv4: true))))
        #expect(try MigrationURI.parse("unix:/run/mig.sock") == .socket(.unix(UnixSocketAddress(path: "/run/mig.sock"))))
        #expect(try MigrationURI.parse("vsock:3:4446") == .socket(.vsock(VsockSocketAddress(cid: "3", port: "4446"))))
        #expect(try MigrationURI.parse("fd:migfd") == .socket(.fd(FdSocketAddress(str: "migfd"))))
        #expect(try MigrationURI.parse("rdma:192.168.0.2:4446") == .rdma(InetSocketAddress(host: "192.168.0.2", port: "4446")))
        #expect(
            try MigrationURI.parse("exec:gzip -c > /tmp/x") == .exec(MigrationExecCommand(args: ["/bin/sh", "-c", "gzip -c > /tmp/x"])))
        #expect(try MigrationURI.parse("file:/tmp/vm.mig") == .file(FileMigrationArgs(filename: "/tmp/vm.mig", offset: 0)))
        #expect(try MigrationURI.parse("file:/tmp/vm.mig,offset=0x1000") == .file(FileMigrationArgs(filename: "/tmp/vm.mig", offset: 4096)))
        #expect(try MigrationURI.parse("file:/tmp/vm.mig,offset=2M") == .file(FileMigrationArgs(filename: "/tmp/vm.mig", offset: 2 << 20)))
    }

    @Test(arguments: [
        ("http://x", "unknown migration protocol: http://x"),
        ("10.0.0.2:4446", "unknown migration protocol: 10.0.0.2:4446"),
        ("tcp:10.0.0.2", "error parsing address '10.0.0.2'"),
        ("tcp:", "error parsing address ''"),
        ("tcp::", "error parsing port in address ':'"),
        ("tcp:[::1]", "error parsing IPv6 address '[::1]'"),
        ("tcp:h:1,to=x", "error parsing to= argument"),
        ("unix:", "invalid Unix socket address"),
        ("fd:", "invalid file descriptor address"),
        ("vsock:x:1", "error parsing address 'x:1'"),
        ("vsock:3:1x", "trailing characters in address '3:1x'"),
        ("rdma:host", "error parsing address 'host'"),
        ("file:/x,offset=abc", "file URI has bad offset abc: Invalid argument"),
    ])
    func rejectsMalformedURIs(_ uri: String, _ text: String) {
        expectError(text) { () throws(QMPError) in _ = try MigrationURI.parse(uri) }
    }

    @Test func describesAddressesAsURIs() throws {
        for uri in ["tcp:10.0.0.2:4446", "unix:/run/m.sock", "vsock:3:4446", "fd:x", "rdma:h:1", "file:/tmp/a"] {
            #expect(try MigrationURI.parse(uri).uriDescription == uri)
        }
        #expect(try MigrationURI.parse("tcp:[::1]:5").uriDescription == "tcp:[::1]:5")
    }
}
