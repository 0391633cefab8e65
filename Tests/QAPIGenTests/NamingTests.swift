import SeededRandom
import Testing

@testable import QAPIGenKit

@Suite struct CamelToUpperTests {
    @Test(arguments: [
        ("OneTwo", "ONE_TWO"),
        ("One2Three", "ONE2_THREE"),
        ("ACRONYMWord", "ACRONYM_WORD"),
        ("AbCd", "AB_CD"),
        ("QType", "QTYPE"),
        ("DisplayGLMode", "DISPLAY_GL_MODE"),
    ])
    func issueExamples(name: String, expected: String) {
        #expect(Naming.camelToUpper(name) == expected)
    }

    @Test(arguments: [
        ("MigrationStatus", "MIGRATION_STATUS"),
        ("XBZRLECacheStats", "XBZRLE_CACHE_STATS"),
        ("MigMode", "MIG_MODE"),
        ("BlockdevOnError", "BLOCKDEV_ON_ERROR"),
        ("VncInfo2", "VNC_INFO2"),
        ("QCryptoCipherAlgo", "QCRYPTO_CIPHER_ALGO"),
        ("X", "X"),
        ("lower", "LOWER"),
        ("ABC", "ABC"),
        ("Ab", "AB"),
        ("ABc", "ABC"),
        ("AbCD", "AB_CD"),
        ("AbCDe", "AB_C_DE"),
        ("Name2Name", "NAME2_NAME"),
        ("Name22", "NAME22"),
        ("IOThread", "IO_THREAD"),
        ("QKeyCode", "QKEY_CODE"),
    ])
    func constructedCases(name: String, expected: String) {
        #expect(Naming.camelToUpper(name) == expected)
    }

    /// Builds names from words whose boundaries the two rules must find, and checks the result
    /// is the words upper-cased and joined with '_'.
    @Test func randomCompositionsSplitAtWordBoundaries() {
        var rng = SeededGenerator(seed: 0x5EED)
        let capitalized = ["One", "Two", "Mode", "Display", "Cache", "Stats", "Migration", "Block", "Info", "Word"]
        let acronyms = ["GL", "IO", "XBZRLE", "CPU", "TLS", "RDMA"]
        for _ in 0..<2000 {
            var name = ""
            var expected: [String] = []
            var previousWasAcronym = false
            let count = Int(rng.next() % 4) + 1
            for i in 0..<count {
                // Two acronyms in a row have no visible boundary; a word must separate them.
                let useAcronym = !previousWasAcronym && i > 0 && rng.next() % 3 == 0 && i < count - 1
                var word =
                    useAcronym
                    ? acronyms[Int(rng.next() % UInt64(acronyms.count))]
                    : capitalized[Int(rng.next() % UInt64(capitalized.count))]
                if !useAcronym && rng.next() % 4 == 0 { word += String(rng.next() % 10) }
                name += word
                expected.append(word.uppercased())
                previousWasAcronym = useAcronym
            }
            #expect(Naming.camelToUpper(name) == expected.joined(separator: "_"), "\(name)")
        }
    }

    @Test func aSingleLeadingCapitalStaysWithTheFollowingRun() {
        for word in ["Type", "Crypto", "Key", "Dev"] {
            #expect(Naming.camelToUpper("Q" + word) == "Q" + word.uppercased())
        }
    }

    @Test func enumConstantsUsePrefixOrTypeName() {
        #expect(
            Naming.enumConstant(typeName: "MultiFDCompression", value: "none", prefix: "MULTIFD_COMPRESSION") == "MULTIFD_COMPRESSION_NONE")
        #expect(Naming.enumConstant(typeName: "MigrationStatus", value: "postcopy-active") == "MIGRATION_STATUS_POSTCOPY_ACTIVE")
        #expect(Naming.enumConstant(typeName: "QType", value: "qnull") == "QTYPE_QNULL")
        #expect(Naming.enumConstant(typeName: "MigMode", value: "cpr-transfer") == "MIG_MODE_CPR_TRANSFER")
    }

    @Test func cNameProtectsKeywordsAndLeadingDigits() {
        #expect(Naming.cName("default") == "q_default")
        #expect(Naming.cName("unix") == "q_unix")
        #expect(Naming.cName("8250") == "q_8250")
        #expect(Naming.cName("x-colo") == "x_colo")
        #expect(Naming.cName("__org.qemu_x-foo") == "__org_qemu_x_foo")
        #expect(Naming.cName("default", protect: false) == "default")
    }

    @Test func swiftNames() {
        #expect(Naming.swiftMember("cpu-throttle-initial") == "cpuThrottleInitial")
        #expect(Naming.swiftMember("x-checkpoint-delay") == "xCheckpointDelay")
        #expect(Naming.swiftMember("bps_rd") == "bpsRd")
        #expect(Naming.swiftMember("default") == "`default`")
        #expect(Naming.swiftMember("qapi") == "qapi_")
        #expect(Naming.swiftUpperCamel("query-migrate") == "QueryMigrate")
        #expect(Naming.swiftUpperCamel("MIGRATION_PASS") == "MigrationPass")
        #expect(Naming.swiftType("String") == "QAPIString")
    }
}
