import Machine
import QAPI
import Testing
import TestSupport
@testable import HMP

/// The model's own commands on the in-process model: a 4 GiB guest with 4 vCPUs writing
/// 50000 pages/s into a 1 GiB hot set, 30% zero pages, on a 1 Gbit/s link.
@Suite("model commands")
struct ModelCommandTests {
    static let configuration = MachineConfiguration(
        ramSize: 4 << 30, vcpus: 4, workload: GuestWorkload(dirtyPagesPerSecond: 50_000, zeroPercent: 30, hotSetBytes: 1 << 30),
        link: NetworkLink(
            bandwidthBitsPerSecond: 1_000_000_000, latencyMicroseconds: 5000, diskBytesPerSecond: 500 << 20,
            pipeBytesPerSecond: 200 << 20))

    static func rig(format: OutputFormat = .table) -> ModelSession { ModelSession(format: format, configuration: configuration) }

    // MARK: info guest / info link in three formats

    @Test func infoGuest() throws {
        let digest = try #require(try Self.rig().query(XQueryGuestCommand.self, QAPIEmpty()).ramDigest)
        #expect(
            Self.rig().output("info guest") == """
                RAM             4 GiB (4294967296 bytes)
                vCPUs           4
                page size       4 KiB
                run state       running
                dirty rate      50000 pages/s (195 MiB/s)
                dirty rate now  50000 pages/s (195 MiB/s)
                zero pages      30% of RAM (1.2 GiB)
                hot set         1 GiB (1073741824 bytes)
                RAM digest      \(digest)

                """)
        #expect(
            Self.rig(format: .qemu).output("info guest") == """
                ram-size: 4294967296 bytes
                page-size: 4096 bytes
                vcpus: 4
                run-state: running
                dirty-rate: 50000 pages/second
                effective-dirty-rate: 50000 pages/second
                cpu-throttle-percentage: 0
                zero-percent: 30
                hot-set-size: 1073741824 bytes
                ram-digest: \(digest)

                """)
        #expect(
            Self.rig(format: .json).output("info guest") == """
                {"return": {"ram-size": 4294967296, "page-size": 4096, "vcpus": 4, "dirty-rate": 50000, "zero-percent": 30, "hot-set-size": 1073741824, "effective-dirty-rate": 50000, "cpu-throttle-percentage": 0, "ram-digest": "\(digest)"}}

                """)
    }

    /// A migration that cannot keep up on the 1 Gbit/s link, with auto-converge: once the guest
    /// is throttled, the line of the current rate says by how much. (A 256 MiB guest, so the
    /// passes are short.)
    @Test func infoGuestWhileThrottled() throws {
        var small = Self.configuration
        small.ramSize = 256 << 20
        small.workload.hotSetBytes = 128 << 20
        let rig = ModelSession(configuration: small)
        #expect(rig.run("migrate_set_capability auto-converge on").succeeded)
        #expect(rig.run("migrate -d tcp:10.0.0.2:4444").succeeded)
        var guest = try rig.query(XQueryGuestCommand.self, QAPIEmpty())
        var waited = 0
        while guest.cpuThrottlePercentage == 0 && waited < 120 {
            #expect(rig.run("sleep 1").succeeded)
            waited += 1
            guest = try rig.query(XQueryGuestCommand.self, QAPIEmpty())
        }
        let throttle = guest.cpuThrottlePercentage
        #expect(throttle > 0)
        #expect(guest.effectiveDirtyRate < 50_000)
        let line = rig.output("info guest").split(separator: "\n").first { $0.hasPrefix("dirty rate now") }.map(String.init) ?? ""
        #expect(line.hasPrefix("dirty rate now  \(guest.effectiveDirtyRate) pages/s ("))
        #expect(line.hasSuffix("), CPU throttled \(throttle)%"))
    }

    @Test func infoLink() {
        let rig = Self.rig()
        #expect(
            rig.output("info link") == """
                bandwidth      1 Gbit/s (119 MiB/s)
                latency        5 ms one way
                disk speed     500 MiB/s (file: migrations)
                pipe speed     200 MiB/s (exec: migrations)
                exec: allowed  no
                faults         none

                """)
        #expect(rig.run("inject_fault refuse-connection 10.0.0.2").succeeded)
        #expect(rig.run("inject_fault drop-link 1500ms").succeeded)
        #expect(rig.output("info link").hasSuffix("faults         refuse-connection to 10.0.0.2; drop-link at 1.500 s (model time)\n"))
        rig.session.format = .qemu
        #expect(
            rig.output("info link") == """
                bandwidth: 1000000000 bits/second
                latency: 5000 us
                disk-speed: 524288000 bytes/second
                pipe-speed: 209715200 bytes/second
                exec-allowed: off
                faults:
                  refuse-connection host=10.0.0.2
                  drop-link at=1500 ms

                """)
        rig.session.format = .json
        let link = try? rig.query(XQueryLinkCommand.self, QAPIEmpty())
        #expect(link?.faults.count == 2)
        #expect(jsonReply(rig.output("info link")) == .object(["return": link?.qapi ?? .null]))
    }

    // MARK: setters

    @Test(arguments: [
        (
            "guest_set dirty-rate 50000", #"x-guest-set-workload {"dirty-rate": 50000}"#,
            "guest dirty rate: 50000 pages/s (195 MiB/s) when unthrottled"
        ),
        (
            "guest_set dirty-rate 1.5k", #"x-guest-set-workload {"dirty-rate": 1500}"#,
            "guest dirty rate: 1500 pages/s (5.86 MiB/s) when unthrottled"
        ),
        ("guest_set zero-pages 30", #"x-guest-set-workload {"zero-percent": 30}"#, "guest zero pages: 30% of RAM"),
        ("guest_set zero-percent 0%", #"x-guest-set-workload {"zero-percent": 0}"#, "guest zero pages: 0% of RAM"),
        ("guest_set hot-set 2G", #"x-guest-set-workload {"hot-set-size": 2147483648}"#, "guest hot set: 2 GiB (2147483648 bytes)"),
        (
            "guest_set hot-set 512", #"x-guest-set-workload {"hot-set-size": 536870912}"#,
            "guest hot set: 512 MiB (536870912 bytes); no unit given, so MiB was assumed"
        ),
        ("link_set bandwidth 1G", #"x-link-set {"bandwidth": 1000000000}"#, "link bandwidth: 1 Gbit/s (119 MiB/s)"),
        ("link_set bandwidth 2.5M", #"x-link-set {"bandwidth": 2500000}"#, "link bandwidth: 2.5 Mbit/s (305 KiB/s)"),
        ("link_set latency 5ms", #"x-link-set {"latency": 5000}"#, "link latency: 5 ms one way (5000 us)"),
        ("link_set latency 250us", #"x-link-set {"latency": 250}"#, "link latency: 250 us one way (250 us)"),
        (
            "link_set latency 1", #"x-link-set {"latency": 1000000}"#,
            "link latency: 1 s one way (1000000 us); no unit given, so seconds were assumed"
        ),
        ("link_set disk-speed 1G", #"x-link-set {"disk-speed": 1073741824}"#, "disk speed: 1 GiB/s (1073741824 bytes/s)"),
        (
            "link_set pipe-speed 100", #"x-link-set {"pipe-speed": 104857600}"#,
            "pipe speed: 100 MiB/s (104857600 bytes/s); no unit given, so MiB/s was assumed"
        ),
        (
            "inject_fault refuse-connection", #"x-inject-fault {"fault": "refuse-connection"}"#,
            "fault armed: connections to every host are refused until inject_fault clear"
        ),
        (
            "inject_fault refuse-connection 10.0.0.2", #"x-inject-fault {"fault": "refuse-connection", "host": "10.0.0.2"}"#,
            "fault armed: connections to 10.0.0.2 are refused until inject_fault clear"
        ),
        ("inject_fault drop-link", #"x-inject-fault {"fault": "drop-link"}"#, "fault armed: the migration connection breaks now"),
        (
            "inject_fault drop-link 1500ms", #"x-inject-fault {"fault": "drop-link", "delay": 1500}"#,
            "fault armed: the migration connection breaks in 1.500 s of model time (1500 ms)"
        ),
        (
            "inject_fault drop-link 2", #"x-inject-fault {"fault": "drop-link", "delay": 2000}"#,
            "fault armed: the migration connection breaks in 2.000 s of model time (2000 ms); no unit given, so seconds were assumed"
        ),
        ("inject_fault clear", #"x-inject-fault {"fault": "clear"}"#, "all faults cleared"),
    ])
    func setters(line: String, qmp: String, confirmation: String) {
        let rig = Self.rig()
        #expect(rig.output(line) == confirmation + "\n")
        // The setters read the current settings first (x-query-*); only the change counts here.
        let changes = rig.recorder.actions.filter { !$0.name.hasPrefix("x-query-") }
        #expect(changes.map { "\($0.name) \($0.arguments)" } == [qmp])
        #expect(Self.rig(format: .qemu).output(line) == "")
        #expect(Self.rig(format: .json).output(line) == "{\"return\": {}}\n")
    }

    @Test func settingsShowUp() {
        let rig = Self.rig()
        _ = rig.run("sleep 10")
        _ = rig.run("guest_set zero-pages 50")
        _ = rig.run("link_set latency 20ms")
        _ = rig.run("inject_fault drop-link 500ms")
        #expect(rig.output("info guest").contains("zero pages      50% of RAM (2 GiB)"))
        #expect(rig.output("info link").contains("latency        20 ms one way"))
        #expect(rig.output("info link").contains("drop-link at 10.500 s (model time)"))
        _ = rig.run("inject_fault clear")
        #expect(rig.output("info link").hasSuffix("faults         none\n"))
    }

    // MARK: parsing and errors

    @Test(arguments: [
        ("guest_set", "guest_set: string expected"),
        ("guest_set dirty-rate", "guest_set: string expected"),
        ("guest_set speed 5", "guest_set: unknown key 'speed'; keys: dirty-rate, zero-pages, hot-set"),
        ("guest_set dirty-rate fast", "guest_set: dirty-rate expects pages per second, like 50000 or 50k"),
        ("guest_set dirty-rate 5KB", "guest_set: dirty-rate expects pages per second, like 50000 or 50k"),
        ("guest_set dirty-rate -5", "guest_set: dirty-rate expects pages per second, like 50000 or 50k"),
        ("guest_set zero-pages 101", "guest_set: zero-pages expects a percentage from 0 to 100, like 30 or 30%"),
        ("guest_set zero-pages 3.5", "guest_set: zero-pages expects a percentage from 0 to 100, like 30 or 30%"),
        ("guest_set hot-set lots", "guest_set: hot-set expects a size, like 512M or 2G"),
        ("guest_set hot-set 1G 2G", "guest_set: extraneous characters at the end of line"),
        ("link_set", "link_set: string expected"),
        ("link_set mtu 1500", "link_set: unknown key 'mtu'; keys: bandwidth, latency, disk-speed, pipe-speed"),
        ("link_set bandwidth 1Gbit", "link_set: bandwidth expects bits per second, like 1G (1 Gbit/s) or 100M"),
        ("link_set latency soon", "link_set: latency expects a duration, like 5ms or 200us"),
        ("link_set disk-speed x", "link_set: disk-speed expects bytes per second, like 500M or 1G"),
        ("inject_fault", "inject_fault: string expected"),
        ("inject_fault lightning", "inject_fault: unknown fault 'lightning'; faults: refuse-connection, drop-link, clear"),
        ("inject_fault drop-link later", "inject_fault: drop-link expects a delay, like 500ms or 2s"),
        ("inject_fault clear all", "inject_fault: clear takes no argument"),
        ("info guest now", "info guest: extraneous characters at the end of line"),
        ("info link -v", "info link: unsupported option -v"),
    ])
    func rejects(line: String, message: String) {
        let rig = Self.rig()
        let command =
            line.hasPrefix("info") ? String(line.split(separator: " ").prefix(2).joined(separator: " ")) : String(line.prefix { $0 != " " })
        #expect(rig.run(line).error == "Error: \(message)\nTry \"help \(command)\" for more information\n")
        #expect(rig.recorder.requests.isEmpty)
    }

    @Test func backendRefusalsPass() {
        let rig = Self.rig()
        #expect(rig.run("link_set bandwidth 0").error == "Error: Parameter 'bandwidth' expects a value of at least 1\n")
    }

    @Test func keysComplete() {
        let rig = Self.rig()
        let completer = HMPCompleter(session: rig.session)
        #expect(completer.complete("guest_set ").candidates == ["dirty-rate", "hot-set", "zero-pages"])
        #expect(completer.complete("link_set d").candidates == ["disk-speed"])
        #expect(completer.complete("inject_fault ").candidates == ["clear", "drop-link", "refuse-connection"])
        #expect(completer.complete("info gu").candidates == ["guest"])
    }
}
