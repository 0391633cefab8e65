import QAPI
import Testing

@testable import Machine

@Suite struct MigrationLifecycleTests {
    func started(
        workload: GuestWorkload = GuestWorkload(), caps list: [MigrationCapability] = [.events],
        uri: String = "tcp:10.0.0.2:4446", link: NetworkLink = NetworkLink(), allowExec: Bool = false
    ) throws -> VirtualMachine {
        let vm = makeVM(workload: workload, link: link, allowExec: allowExec)
        try vm.migration.setCapabilities(list.map { .init(capability: $0, state: true) })
        try vm.migration.migrate(uri: uri, channels: nil)
        return vm
    }

    @Test func nothingToReportBeforeTheFirstMigration() {
        let vm = makeVM()
        #expect(vm.migration.info() == MigrationInfo())
        #expect(vm.migration.threads.isEmpty)
    }

    @Test func precopyStatesEventsAndSourceRunState() throws {
        let vm = try started()
        #expect(vm.migration.info().status == .setup)
        #expect(vm.migration.info().ram == nil && vm.migration.info().totalTime == nil)
        vm.advance(to: .seconds(1))
        let active = vm.migration.info()
        #expect(active.status == .active)
        #expect(active.expectedDowntime == 300 && active.downtime == nil)
        #expect(try #require(active.ram?.remaining) > 0)
        #expect(vm.migration.threads.map(\.name) == ["live_migration"])
        let info = runMigration(vm)
        #expect(info.status == .completed)
        #expect(vm.runState == .postmigrate)
        let names = eventNames(vm)
        #expect(
            names.filter { $0.hasPrefix("MIGRATION:") } == [
                "MIGRATION:setup", "MIGRATION:active", "MIGRATION:device", "MIGRATION:completed",
            ])
        #expect(names.filter { $0 == "MIGRATION_PASS" }.count == Int(try #require(info.ram?.dirtySyncCount)))
        #expect(names.contains("STOP") && !names.contains("RESUME"))
        #expect(vm.migration.threads.isEmpty)
        // The source stays paused; QEMU refuses to migrate it again until it runs.
        expectError("Can't migrate the vm that was paused due to previous migration") { () throws(QMPError) in
            try vm.migration.migrate(uri: "tcp:10.0.0.3:4446", channels: nil)
        }
        try vm.cont()
        #expect(vm.runState == .running)
        try vm.migration.migrate(uri: "tcp:10.0.0.3:4446", channels: nil)
        #expect(vm.migration.info().errorDesc == nil)
    }

    @Test func noEventsWithoutTheEventsCapability() throws {
        let vm = try started(caps: [])
        runMigration(vm)
        #expect(eventNames(vm) == ["STOP"])
    }

    @Test func channelsFormWorksLikeTheURI() throws {
        let vm = makeVM()
        let main = MigrationChannel(channelType: .main, addr: .socket(.inet(InetSocketAddress(host: "10.0.0.2", port: "4446"))))
        try vm.migration.migrate(uri: nil, channels: [main])
        #expect(runMigration(vm).status == .completed)
        let other = makeVM()
        expectError("need either 'uri' or 'channels' argument") { () throws(QMPError) in
            try other.migration.migrate(uri: "tcp:a:1", channels: [main])
        }
        expectError("need either 'uri' or 'channels' argument") { () throws(QMPError) in
            try other.migration.migrate(uri: nil, channels: nil)
        }
        expectError("Channel list has more than one main entry") { () throws(QMPError) in
            try other.migration.migrate(uri: nil, channels: [main, main])
        }
        let cpr = MigrationChannel(channelType: .cpr, addr: .socket(.unix(UnixSocketAddress(path: "/run/cpr.sock"))))
        expectError("Channel list has no main entry") { () throws(QMPError) in
            try other.migration.migrate(uri: nil, channels: [cpr])
        }
    }

    @Test func migrateRefusals() throws {
        let vm = try started()
        expectError("There's a migration process in progress") { () throws(QMPError) in
            try vm.migration.migrate(uri: "tcp:10.0.0.3:4446", channels: nil)
        }
        let incoming = makeVM(startState: .inmigrate)
        expectError("Guest is waiting for an incoming migration") { () throws(QMPError) in
            try incoming.migration.migrate(uri: "tcp:10.0.0.3:4446", channels: nil)
        }
        let bad = makeVM()
        expectError("unknown migration protocol: ftp:x") { () throws(QMPError) in
            try bad.migration.migrate(uri: "ftp:x", channels: nil)
        }
        #expect(bad.migration.status == .none)
        try bad.migration.setCapabilities(caps(.mappedRam))
        expectError("Migration requires seekable transport (e.g. file)") { () throws(QMPError) in
            try bad.migration.migrate(uri: "tcp:10.0.0.3:4446", channels: nil)
        }
        try bad.migration.setCapabilities([.init(capability: .mappedRam, state: false)] + caps(.multifd))
        expectError("Migration requires multi-channel URIs (e.g. tcp)") { () throws(QMPError) in
            try bad.migration.migrate(uri: "exec:cat", channels: nil)
        }
        try bad.migration.setParameters(MigrateSetParameters(directIo: true))
        expectError("Migration requires a transport that allows for extra fds (e.g. file)") { () throws(QMPError) in
            try bad.migration.migrate(uri: "tcp:10.0.0.3:4446", channels: nil)
        }
        #expect(bad.migration.status == .none)
    }

    @Test func mappedRamToAFile() throws {
        let vm = makeVM(workload: .idle(zeroPercent: 30))
        try vm.migration.setCapabilities(caps(.mappedRam, .multifd))
        try vm.migration.migrate(uri: "file:/var/lib/vm.img", channels: nil)
        #expect(runMigration(vm).status == .completed)
        let tls = makeVM()
        try tls.migration.setParameters(MigrateSetParameters(tlsCreds: .s("tls0")))
        try tls.migration.setCapabilities(caps(.mappedRam))
        expectError("Cannot use TLS with mapped-ram") { () throws(QMPError) in
            try tls.migration.migrate(uri: "file:/var/lib/vm.img", channels: nil)
        }
    }

    @Test func cancelReturnsTheGuestToWhereItWas() throws {
        let vm = try started()
        vm.advance(to: .seconds(2))
        try vm.migration.cancel()
        #expect(vm.migration.status == .cancelling)
        vm.advance(to: .seconds(3))
        #expect(vm.migration.info().status == .cancelled)
        #expect(vm.runState == .running)
        #expect(eventNames(vm).suffix(2) == ["MIGRATION:cancelling", "MIGRATION:cancelled"])
        // Cancelling when nothing runs is not an error.
        try vm.migration.cancel()
        #expect(vm.migration.status == .cancelled)
    }

    @Test func pauseBeforeSwitchoverWaitsForContinue() throws {
        let vm = try started(workload: .idle(), caps: [.events, .pauseBeforeSwitchover])
        runMigration(vm, limit: .seconds(60))
        #expect(vm.migration.status == .preSwitchover)
        #expect(vm.runState == .finishMigrate)
        expectError("Migration is not finalized yet") { () throws(QMPError) in try vm.cont() }
        expectError("Migration not in expected state: pre-switchover") { () throws(QMPError) in
            try vm.migration.continueMigration(expecting: .active)
        }
        vm.advance(to: vm.now + .seconds(5))  // downtime keeps counting while paused
        try vm.migration.continueMigration(expecting: .preSwitchover)
        #expect(vm.migration.status == .device)
        let info = runMigration(vm)
        #expect(info.status == .completed)
        #expect(try #require(info.downtime) >= 5000)
        #expect(eventNames(vm).contains("MIGRATION:pre-switchover"))
    }

    @Test func anEarlyContinueReleasesTheNextPause() throws {
        let vm = try started(workload: .idle(), caps: [.pauseBeforeSwitchover])
        vm.advance(to: .seconds(1))
        try vm.migration.continueMigration(expecting: .active)
        #expect(runMigration(vm).status == .completed)
    }

    @Test func postcopySwitchesRunsAndCompletes() throws {
        let busy = GuestWorkload(dirtyPagesPerSecond: 50_000, hotSetBytes: 512 << 20)
        let vm = try started(workload: busy, caps: [.events, .postcopyRam])
        vm.advance(to: .seconds(3))
        try vm.migration.startPostcopy()
        vm.advance(to: .milliseconds(3_100))
        let info = vm.migration.info()
        #expect(info.status == .postcopyActive)
        #expect(info.downtime != nil && info.expectedDowntime == nil)
        #expect(vm.runState == .finishMigrate)
        expectError("Postcopy migration in progress, cannot cancel.") { () throws(QMPError) in try vm.migration.cancel() }
        vm.advance(to: .milliseconds(3_300))
        let later = vm.migration.info()
        #expect(try #require(later.ram?.postcopyBytes) > 0)
        #expect(try #require(later.ram?.postcopyRequests) > 0)
        let end = runMigration(vm)
        #expect(end.status == .completed)
        #expect(end.ram?.remaining == 0)
        #expect(vm.runState == .postmigrate)
        let ram = try #require(end.ram)
        #expect(ram.transferred == Int64(ram.precopyBytes + ram.downtimeBytes + ram.postcopyBytes))
    }

    @Test func postcopyNeedsTheCapabilityAndAMigration() throws {
        let vm = makeVM()
        expectError("Enable postcopy with migrate_set_capability before the start of migration") { () throws(QMPError) in
            try vm.migration.startPostcopy()
        }
        try vm.migration.setCapabilities(caps(.postcopyRam))
        expectError("Postcopy must be started after migration has been started") { () throws(QMPError) in
            try vm.migration.startPostcopy()
        }
        expectError("migrate-pause is currently only supported during postcopy-active or postcopy-recover state") {
            () throws(QMPError) in try vm.migration.pause()
        }
        expectError("Cannot resume if there is no paused migration") { () throws(QMPError) in
            try vm.migration.migrate(uri: "tcp:10.0.0.2:4446", channels: nil, resume: true)
        }
    }

    @Test func refusedConnectionFailsAndTheSourceRunsOn() throws {
        let vm = makeVM()
        vm.injectFault(.refuseConnection(host: "10.0.0.2"))
        try vm.migration.setCapabilities(caps(.events))
        try vm.migration.migrate(uri: "tcp:10.0.0.2:4446", channels: nil)
        vm.advance(to: .seconds(1))
        let info = vm.migration.info()
        #expect(info.status == .failed)
        #expect(info.errorDesc == "Failed to connect to '10.0.0.2:4446': Connection refused")
        #expect(info.ram == nil)
        #expect(vm.runState == .running)
        // Other destinations are still reachable.
        try vm.migration.migrate(uri: "tcp:10.0.0.3:4446", channels: nil)
        #expect(runMigration(vm).status == .completed)
    }

    @Test func connectionProblemsInQEMUsWords() throws {
        for (uri, text) in [
            ("tcp:10.0.0.2:0", "Failed to connect to '10.0.0.2:0': Connection refused"),
            ("tcp::4446", "address resolution failed for :4446: Name or service not known"),
            ("tcp:h:http-alt", "address resolution failed for h:http-alt: Servname not supported for ai_socktype"),
        ] {
            let vm = makeVM()
            try vm.migration.migrate(uri: uri, channels: nil)
            vm.advance(to: .seconds(1))
            #expect(vm.migration.info().errorDesc == text)
        }
        let fd = makeVM()
        expectError("File descriptor named 'migfd' has not been found") { () throws(QMPError) in
            try fd.migration.migrate(uri: "fd:migfd", channels: nil)
        }
        #expect(fd.migration.info().status == .failed)
    }

    @Test func droppedLinkFailsPrecopy() throws {
        let vm = try started()
        vm.injectFault(.dropLink(at: .seconds(2)))
        vm.advance(to: .seconds(3))
        let info = vm.migration.info()
        #expect(info.status == .failed)
        #expect(info.errorDesc == "Unable to write to socket: Connection reset by peer")
        #expect(vm.runState == .running)
        #expect(vm.faults.isEmpty)
    }

    @Test func droppedLinkPausesPostcopyAndRecoveryResumesIt() throws {
        let vm = try started(workload: GuestWorkload(dirtyPagesPerSecond: 20_000), caps: [.events, .postcopyRam])
        vm.advance(to: .seconds(2))
        try vm.migration.startPostcopy()
        vm.advance(to: .milliseconds(2_010))
        vm.injectFault(.dropLink(at: vm.now))
        vm.advance(to: .milliseconds(2_020))
        #expect(vm.migration.status == .postcopyPaused)
        #expect(vm.migration.info().errorDesc == "Unable to write to socket: Connection reset by peer")
        let remaining = vm.migration.info().ram?.remaining
        vm.advance(to: .seconds(10))
        #expect(vm.migration.info().ram?.remaining == remaining)  // nothing moves while paused

        // A refused reconnect goes back to paused.
        vm.injectFault(.refuseConnection(host: nil))
        try vm.migration.migrate(uri: "tcp:10.0.0.2:4447", channels: nil, resume: true)
        #expect(vm.migration.status == .postcopyRecoverSetup)
        vm.advance(to: .seconds(11))
        #expect(vm.migration.status == .postcopyPaused)
        #expect(vm.migration.info().errorDesc == "Failed to connect to '10.0.0.2:4447': Connection refused")

        vm.clearFaults()
        try vm.migration.migrate(uri: "tcp:10.0.0.2:4447", channels: nil, resume: true)
        vm.advance(to: vm.now + .milliseconds(5))
        #expect(vm.migration.status == .postcopyActive)
        #expect(vm.migration.info().errorDesc == nil)
        #expect(runMigration(vm).status == .completed)
        let names = eventNames(vm).filter { $0.hasPrefix("MIGRATION:") }
        #expect(names.contains("MIGRATION:postcopy-paused"))
        #expect(names.contains("MIGRATION:postcopy-recover-setup"))
        #expect(names.contains("MIGRATION:postcopy-recover"))
    }

    @Test func userPauseOfPostcopy() throws {
        let vm = try started(workload: GuestWorkload(dirtyPagesPerSecond: 20_000), caps: [.postcopyRam, .releaseRam])
        vm.advance(to: .seconds(2))
        try vm.migration.startPostcopy()
        vm.advance(to: .milliseconds(2_010))
        try vm.migration.pause()
        #expect(vm.migration.info().status == .postcopyPaused)
        #expect(vm.migration.info().errorDesc == "Postcopy migration is paused by the user")
        expectError("Postcopy recovery cannot work when release-ram capability is set") { () throws(QMPError) in
            try vm.migration.migrate(uri: "tcp:10.0.0.2:4446", channels: nil, resume: true)
        }
    }

    @Test func execNeedsPermission() throws {
        let vm = makeVM()
        do throws(QMPError) {
            try vm.migration.migrate(uri: "exec:cat > /dev/null", channels: nil)
            Issue.record("exec accepted")
        } catch {
            #expect(error.desc.contains("exec"))
        }
        #expect(vm.migration.info().status == .failed)
        #expect(vm.migration.info().errorDesc?.contains("exec") == true)
        let allowed = makeVM(allowExec: true)
        try allowed.migration.migrate(uri: "exec:cat > /dev/null", channels: nil)
        #expect(runMigration(allowed).status == .completed)
    }

    @Test func fileMigrationGoesAtDiskSpeed() throws {
        let vm = makeVM(ram: 1 << 30, workload: .idle(), link: NetworkLink(diskBytesPerSecond: 100_000_000))
        try vm.migration.setParameters(MigrateSetParameters(maxBandwidth: 0))
        try vm.migration.migrate(uri: "file:/tmp/vm.mig", channels: nil)
        let info = runMigration(vm, step: .milliseconds(100))
        #expect(info.status == .completed)
        let seconds = Double(try #require(info.totalTime)) / 1000
        #expect(seconds > 10 && seconds < 11.5)  // ~1.08 GB at 100 MB/s
    }

    @Test func tlsWithoutCredentialsObjectFails() throws {
        let vm = makeVM()
        try vm.migration.setParameters(MigrateSetParameters(tlsCreds: .s("tls0")))
        try vm.migration.migrate(uri: "tcp:10.0.0.2:4446", channels: nil)
        vm.advance(to: .seconds(1))
        #expect(vm.migration.info().errorDesc == "No TLS credentials with id 'tls0'")
    }

    @Test func cprRebootStopsTheGuestFirst() throws {
        let vm = makeVM(workload: GuestWorkload(dirtyPagesPerSecond: 50_000))
        try vm.migration.setParameters(MigrateSetParameters(mode: .cprReboot))
        try vm.migration.migrate(uri: "file:/var/lib/vm.cpr", channels: nil)
        #expect(vm.runState == .finishMigrate)
        let info = runMigration(vm)
        #expect(info.status == .completed)
        #expect(info.ram?.dirtySyncCount == 3)  // nothing gets dirty: setup, one round, the final sync
        #expect(info.downtime == info.totalTime)
        try vm.migration.setCapabilities(caps(.postcopyRam))
        try vm.cont()
        expectError("Cannot use postcopy with CPR") { () throws(QMPError) in
            try vm.migration.migrate(uri: "file:/var/lib/vm.cpr", channels: nil)
        }
    }

    @Test func cprTransferRules() throws {
        let vm = makeVM()
        try vm.migration.setParameters(MigrateSetParameters(mode: .cprTransfer))
        expectError("missing 'cpr' migration channel") { () throws(QMPError) in
            try vm.migration.migrate(uri: "unix:/run/main.sock", channels: nil)
        }
        expectError("Migration requires streamable transport (eg unix)") { () throws(QMPError) in
            try vm.migration.migrate(uri: "file:/tmp/x", channels: nil)
        }
        expectError("cpr-transfer needs a fixed port: port 0 is not supported") { () throws(QMPError) in
            try vm.migration.migrate(uri: "tcp:localhost:0", channels: nil)
        }
        let main = MigrationChannel(channelType: .main, addr: .socket(.unix(UnixSocketAddress(path: "/run/main.sock"))))
        let badCpr = MigrationChannel(channelType: .cpr, addr: .socket(.inet(InetSocketAddress(host: "h", port: "1"))))
        expectError("bad cpr channel address; must be unix") { () throws(QMPError) in
            try vm.migration.migrate(uri: nil, channels: [main, badCpr])
        }
        #expect(vm.migration.info().status == .failed)
        try vm.cont()
        let cpr = MigrationChannel(channelType: .cpr, addr: .socket(.unix(UnixSocketAddress(path: "/run/cpr.sock"))))
        try vm.migration.migrate(uri: nil, channels: [main, cpr])
        let info = runMigration(vm, step: .milliseconds(10))
        #expect(info.status == .completed)
        // RAM stays in place: only device state moves.
        #expect(info.ram?.transferred == Int64(vm.configuration.deviceStateBytes))
        #expect(vm.runState == .postmigrate)
    }

    @Test func backgroundSnapshotKeepsTheGuestRunning() throws {
        let vm = makeVM(workload: GuestWorkload(dirtyPagesPerSecond: 50_000))
        try vm.migration.setCapabilities(caps(.backgroundSnapshot, .events))
        try vm.migration.migrate(uri: "file:/var/lib/snap.img", channels: nil)
        #expect(vm.migration.threads.map(\.name) == ["bg_snapshot"])
        let info = runMigration(vm)
        #expect(info.status == .completed)
        #expect(vm.runState == .running)
        // One copy of RAM as it was, however busy the guest.
        let ram = try #require(info.ram)
        #expect(ram.normal + ram.duplicate == Int64(vm.configuration.totalPages))
        #expect(eventNames(vm).contains("RESUME"))
    }

    @Test func parametersTakeEffectDuringMigration() throws {
        let vm = try started(workload: .idle())
        vm.advance(to: .seconds(1))
        #expect(abs(try #require(vm.migration.info().ram?.mbps) - 1073.9) < 1)
        try vm.migration.setParameters(MigrateSetParameters(maxBandwidth: 32 << 20))
        vm.advance(to: .seconds(2))
        #expect(abs(try #require(vm.migration.info().ram?.mbps) - 268.6) < 1)
    }

    @Test func multifdThreadsAndBytes() throws {
        let vm = makeVM()
        try vm.migration.setCapabilities(caps(.multifd))
        try vm.migration.setParameters(MigrateSetParameters(multifdChannels: 4))
        try vm.migration.migrate(uri: "tcp:10.0.0.2:4446", channels: nil)
        #expect(
            vm.migration.threads.map(\.name) == ["live_migration", "mig/src/send_0", "mig/src/send_1", "mig/src/send_2", "mig/src/send_3"])
        let info = runMigration(vm)
        #expect(try #require(info.ram?.multifdBytes) > 0)
    }

    @Test func xbzrleReportsCacheStatistics() throws {
        let vm = makeVM(ram: 2 << 30, workload: GuestWorkload(dirtyPagesPerSecond: 20_000, hotSetBytes: 128 << 20))
        try vm.migration.setCapabilities(caps(.xbzrle))
        try vm.migration.migrate(uri: "tcp:10.0.0.2:4446", channels: nil)
        let info = runMigration(vm)
        let cache = try #require(info.xbzrleCache)
        #expect(cache.cacheSize == 64 << 20)
        #expect(cache.pages > 0 && cache.bytes > 0 && cache.cacheMiss > 0 && cache.overflow > 0)
        #expect(cache.encodingRate > 1)
        #expect(cache.cacheMissRate > 0 && cache.cacheMissRate < 1)
    }

    @Test func dirtyLimitCapabilityLimitsVCPUsDuringMigration() throws {
        let vm = makeVM(
            ram: 4 << 30, workload: GuestWorkload(dirtyPagesPerSecond: 100_000, zeroPercent: 0, hotSetBytes: 2 << 30),
            host: HostDescription(kvmDirtyRingSize: 4096), link: NetworkLink(bandwidthBitsPerSecond: 1_000_000_000))
        try vm.migration.setCapabilities(caps(.dirtyLimit))
        try vm.migration.setParameters(MigrateSetParameters(maxBandwidth: 0, vcpuDirtyLimit: 8))
        try vm.migration.migrate(uri: "tcp:10.0.0.2:4446", channels: nil)
        var sawLimit = false
        var t = ModelTime.zero
        while vm.migration.isRunning && t < .seconds(3600) {
            t = t + .seconds(5)
            vm.advance(to: t)
            let info = vm.migration.info()
            if info.dirtyLimitRingFullTime != nil {
                sawLimit = true
                #expect(try #require(info.dirtyLimitThrottleTimePerRound) > 0)
            }
        }
        #expect(sawLimit)
        #expect(vm.migration.status == .completed)
        #expect(vm.dirtyLimits.allSatisfy { $0 == nil })
        expectError("can't set dirty page rate limit while migration is running") { () throws(QMPError) in
            let other = makeVM(host: HostDescription(kvmDirtyRingSize: 4096))
            try other.migration.migrate(uri: "tcp:10.0.0.2:4446", channels: nil)
            try other.setVcpuDirtyLimit(cpuIndex: nil, dirtyRate: 10)
        }
    }

    @Test func incomingSide() throws {
        let running = makeVM()
        expectError("'-incoming' was not specified on the command line") { () throws(QMPError) in
            try running.migration.migrateIncoming(uri: "tcp:0:4446", channels: nil, exitOnError: nil)
        }
        let vm = makeVM(startState: .inmigrate)
        try vm.migration.setCapabilities(caps(.events))
        try vm.migration.migrateIncoming(uri: "tcp:0:0", channels: nil, exitOnError: false)
        let info = vm.migration.info()
        #expect(info.status == .setup)
        #expect(info.socketAddress == [.inet(InetSocketAddress(host: "0", port: "49152"))])
        expectError("The incoming migration has already been started") { () throws(QMPError) in
            try vm.migration.migrateIncoming(uri: "tcp:0:4446", channels: nil, exitOnError: nil)
        }
        expectError("Migrate recover can only be run when postcopy is paused.") { () throws(QMPError) in
            try vm.migration.recover(uri: "tcp:0:4447")
        }
        #expect(eventNames(vm) == ["MIGRATION:setup"])
        // An incoming VM waits; cont only arms autostart.
        try vm.cont()
        #expect(vm.runState == .inmigrate && vm.autostart)
        vm.stop()
        #expect(!vm.autostart)

        let launched = makeVM(startState: .inmigrate, incomingURI: "unix:/run/in.sock")
        #expect(launched.migration.info().socketAddress == [.unix(UnixSocketAddress(path: "/run/in.sock"))])
        expectError("The incoming migration has already been started") { () throws(QMPError) in
            try launched.migration.migrateIncoming(uri: "tcp:0:4446", channels: nil, exitOnError: nil)
        }
        let deferred = makeVM(startState: .inmigrate, incomingURI: "defer")
        #expect(deferred.migration.info().status == nil)
        expectError("Channel list must have only one entry, for type 'main'") { () throws(QMPError) in
            let main = MigrationChannel(channelType: .main, addr: .socket(.unix(UnixSocketAddress(path: "/a"))))
            try deferred.migration.migrateIncoming(uri: nil, channels: [main, main], exitOnError: nil)
        }
    }
}
