import QAPI
import Testing

@testable import Machine

@Suite struct CapabilityRuleTests {
    @Test func allCapabilitiesStartOffInSchemaOrder() {
        let vm = makeVM()
        let list = vm.migration.capabilityList
        #expect(list.map(\.capability) == MigrationCapability.allCases)
        #expect(list.allSatisfy { !$0.state })
    }

    /// Every rule, with QEMU's text; the capability set is unchanged afterwards.
    @Test(arguments: [
        ([MigrationCapability.multifd, .xbzrle], "Multifd is not compatible with xbzrle"),
        ([.switchoverAck], "Capability 'switchover-ack' requires capability 'return-path'"),
        ([.postcopyPreempt], "Postcopy preempt requires postcopy-ram"),
        ([.postcopyRam, .multifd], "Postcopy is not yet compatible with multifd"),
        ([.postcopyRam, .xIgnoreShared], "Postcopy is not compatible with ignore-shared"),
        ([.zeroCopySend], "Zero copy only available for non-compressed non-TLS multifd migration"),
        // QEMU checks zero copy before the multifd/xbzrle pair.
        ([.zeroCopySend, .multifd, .xbzrle], "Zero copy only available for non-compressed non-TLS multifd migration"),
        ([.mappedRam, .xbzrle], "Mapped-ram migration is incompatible with xbzrle"),
        ([.mappedRam, .postcopyRam], "Mapped-ram migration is incompatible with postcopy"),
        ([.dirtyLimit, .autoConverge], "dirty-limit conflicts with auto-converge either of then available currently"),
        ([.dirtyLimit], "dirty-limit requires KVM with accelerator property 'dirty-ring-size' set"),
        ([.backgroundSnapshot, .autoConverge], "Background-snapshot is not compatible with auto-converge"),
        ([.backgroundSnapshot, .returnPath], "Background-snapshot is not compatible with return-path"),
    ])
    func rejectsIncompatibleSets(_ set: [MigrationCapability], _ text: String) {
        let vm = makeVM()
        let before = vm.migration.capabilityList
        expectError(text) { () throws(QMPError) in try vm.migration.setCapabilities(set.map { .init(capability: $0, state: true) }) }
        #expect(vm.migration.capabilityList == before)
    }

    /// Debian's QEMU has replication, so the default host does; a host without it refuses x-colo.
    @Test func xColoNeedsReplication() throws {
        let with = makeVM()
        try with.migration.setCapabilities([.init(capability: .xColo, state: true)])
        let without = makeVM(host: HostDescription(replication: false))
        expectError("QEMU compiled without replication module can't enable COLO") { () throws(QMPError) in
            try without.migration.setCapabilities([.init(capability: .xColo, state: true)])
        }
    }

    @Test func everyBackgroundSnapshotConflictIsNamed() {
        for conflict in CapabilityRules.backgroundSnapshotConflicts {
            var set = CapabilitySet([.backgroundSnapshot, conflict])
            // Give the conflicting capability what it needs on its own, so the background rule is the one hit.
            if conflict == .zeroCopySend { set[.multifd] = true }
            let context = CapabilityCheckContext(
                host: HostDescription(kvmDirtyRingSize: 4096, replication: true), settings: MigrationSettings(),
                inMigrate: false, incomingStarted: false, rdmaInUse: false)
            do throws(QMPError) {
                try CapabilityRules.check(old: CapabilitySet(), new: set, context: context)
                Issue.record("\(conflict) accepted")
            } catch {
                let expected =
                    conflict == .multifd || conflict == .zeroCopySend
                    ? "Background-snapshot is not compatible with multifd"
                    : "Background-snapshot is not compatible with \(conflict.rawValue)"
                #expect(error.desc == expected)
            }
        }
    }

    @Test func acceptsCompatibleSets() throws {
        let vm = makeVM(host: HostDescription(kvmDirtyRingSize: 4096))
        try vm.migration.setCapabilities(caps(.multifd, .zeroCopySend))
        try vm.migration.setCapabilities([.init(capability: .zeroCopySend, state: false), .init(capability: .multifd, state: false)])
        try vm.migration.setCapabilities(caps(.returnPath, .switchoverAck, .postcopyRam, .postcopyPreempt))
        try vm.migration.setCapabilities(caps(.dirtyLimit))
        #expect(vm.migration.capabilities[.dirtyLimit])
        #expect(vm.migration.capabilities[.postcopyPreempt])
    }

    @Test func hostDependentRulesSaySoInTheHint() {
        let noRing = makeVM()
        do throws(QMPError) {
            try noRing.migration.setCapabilities(caps(.dirtyLimit))
        } catch {
            #expect(error.hint?.contains("host description") == true)
        }
        let noTracking = makeVM(host: HostDescription(writeTracking: .absent))
        expectError("Background-snapshot is not supported by host kernel") { () throws(QMPError) in
            try noTracking.migration.setCapabilities(caps(.backgroundSnapshot))
        }
        let incompatible = makeVM(host: HostDescription(writeTracking: .available))
        expectError("Background-snapshot is not compatible with guest memory configuration") { () throws(QMPError) in
            try incompatible.migration.setCapabilities(caps(.backgroundSnapshot))
        }
        let noUffd = makeVM(host: HostDescription(postcopySupported: false), startState: .inmigrate)
        expectError("Postcopy is not supported: Userfaultfd not available: Operation not permitted") { () throws(QMPError) in
            try noUffd.migration.setCapabilities(caps(.postcopyRam))
        }
        // Only the destination needs userfaultfd.
        let source = makeVM(host: HostDescription(postcopySupported: false))
        #expect(throws: Never.self) { try source.migration.setCapabilities(caps(.postcopyRam)) }
    }

    @Test func zeroCopyDependsOnParameters() throws {
        let vm = makeVM()
        try vm.migration.setParameters(MigrateSetParameters(tlsCreds: .s("tls0")))
        expectError("Zero copy only available for non-compressed non-TLS multifd migration") { () throws(QMPError) in
            try vm.migration.setCapabilities(caps(.multifd, .zeroCopySend))
        }
        try vm.migration.setParameters(MigrateSetParameters(tlsCreds: .n))
        try vm.migration.setCapabilities(caps(.multifd, .zeroCopySend))
        expectError("Zero copy only available for non-compressed non-TLS multifd migration") { () throws(QMPError) in
            try vm.migration.setParameters(MigrateSetParameters(multifdCompression: .zlib))
        }
    }

    @Test func incomingStartedFreezesMultifdAndPreempt() throws {
        let vm = makeVM(startState: .inmigrate)
        try vm.migration.migrateIncoming(uri: "tcp:0:4446", channels: nil, exitOnError: nil)
        expectError("Multifd must be set before incoming starts") { () throws(QMPError) in
            try vm.migration.setCapabilities(caps(.multifd))
        }
        expectError("Postcopy preempt must be set before incoming starts") { () throws(QMPError) in
            try vm.migration.setCapabilities(caps(.postcopyRam, .postcopyPreempt))
        }
    }

    @Test func rdmaLimitsApplyOnceRDMAIsUsed() throws {
        let vm = makeVM(startState: .inmigrate)
        try vm.migration.migrateIncoming(uri: "rdma:0:4446", channels: nil, exitOnError: nil)
        expectError("RDMA and XBZRLE can't be used together") { () throws(QMPError) in
            try vm.migration.setCapabilities(caps(.xbzrle))
        }
        expectError("RDMA and multifd can't be used together") { () throws(QMPError) in
            try vm.migration.setCapabilities(caps(.multifd))
        }
        expectError("RDMA and postcopy-ram can't be used together") { () throws(QMPError) in
            try vm.migration.setCapabilities(caps(.postcopyRam))
        }
        // On the source, the transport rule comes first: RDMA is a single channel.
        let source = makeVM()
        try source.migration.setCapabilities(caps(.multifd))
        expectError("Migration requires multi-channel URIs (e.g. tcp)") { () throws(QMPError) in
            try source.migration.migrate(uri: "rdma:10.0.0.2:4446", channels: nil)
        }
        let xbzrleSource = makeVM()
        try xbzrleSource.migration.setCapabilities(caps(.xbzrle))
        expectError("RDMA and XBZRLE can't be used together") { () throws(QMPError) in
            try xbzrleSource.migration.migrate(uri: "rdma:10.0.0.2:4446", channels: nil)
        }
    }

    @Test func refusedWhileMigrating() throws {
        let vm = makeVM()
        try vm.migration.migrate(uri: "tcp:10.0.0.2:4446", channels: nil)
        expectError("There's a migration process in progress") { () throws(QMPError) in
            try vm.migration.setCapabilities(caps(.xbzrle))
        }
    }
}
