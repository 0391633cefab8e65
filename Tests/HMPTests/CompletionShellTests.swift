import Testing

@testable import HMP

@Suite("ShellCompletion: the words after `hmp`")
struct CompletionShellTests {
    let session = CompletionFixtures.session()

    func complete(_ words: String...) -> [String] { ShellCompletion.candidates(words: words, session: session) }

    @Test func optionNames() {
        let all = complete("-")
        #expect(all.contains("--format"))
        #expect(all.contains("-c"))
        #expect(!all.contains("--complete"))  // hidden
        #expect(!all.contains("--generate-man-page"))
        #expect(complete("--fo") == ["--format"])
        #expect(complete("--c") == ["--command", "--clock", "--connect"])
    }

    @Test func optionValues() {
        #expect(complete("--format", "") == ["table", "qemu", "json"])
        #expect(complete("--format", "j") == ["json"])
        #expect(complete("--clock", "") == ["real", "virtual"])
        #expect(complete("--format=") == ["--format=table", "--format=qemu", "--format=json"])
        #expect(complete("--clock=v") == ["--clock=virtual"])
        #expect(complete("--generate-completion-script", "") == ["bash", "zsh", "fish"])
        #expect(complete("--ram", "") == [])
        #expect(complete("--incoming", "").contains("defer"))
        #expect(complete("--incoming", "tcp:0.0") == ["tcp:0.0.0.0:"])
    }

    @Test func usedOptionsAreNotOfferedAgain() {
        #expect(!complete("--format", "json", "--").contains("--format"))
        #expect(complete("--disk", "a:raw:1G", "--dis") == ["--disk"])  // repeatable
    }

    @Test func hmpLineAfterOptions() {
        #expect(complete("").contains("migrate"))
        #expect(!complete("").contains("--format"))
        #expect(complete("info", "mi") == ["migrate", "migrate_capabilities", "migrate_parameters"])
        #expect(complete("--format", "json", "info", "mi") == ["migrate", "migrate_capabilities", "migrate_parameters"])
        #expect(
            complete("--format=json", "--clock", "virtual", "block_resize", "") == CompletionModel.blockNames)
        #expect(complete("--no-history", "migrate_set_parameter", "max-b") == ["max-bandwidth"])
        #expect(complete("--", "info", "mi") == ["migrate", "migrate_capabilities", "migrate_parameters"])
    }

    @Test func hmpFlagsAreNotOptions() {
        #expect(complete("migrate", "-") == ["-d", "-r"])
        #expect(complete("migrate", "-d", "tcp:localhost:4") == ["tcp:localhost:4444"])
    }

    @Test func parameterValueAfterItsName() {
        #expect(complete("migrate_set_parameter", "multifd-compression", "z") == ["zlib", "zstd"])
        #expect(complete("migrate_set_capability", "xbz") == ["xbzrle"])
    }

    @Test func commandOptionValueIsAnHMPLine() {
        #expect(complete("-c", "info mi") == ["info migrate", "info migrate_capabilities", "info migrate_parameters"])
        #expect(
            complete("--command", "stop; block_resize vir") == [
                "stop; block_resize virtio0", "stop; block_resize virtio0-base-file", "stop; block_resize virtio0-base-fmt",
                "stop; block_resize virtio1",
            ])
    }

    @Test func noWordsMeansTheFirstWord() {
        #expect(ShellCompletion.candidates(words: [], session: session) == complete(""))
    }

    @Test func wordsWithBlanksAreQuotedForTheHMPScanner() throws {
        let dir = try TemporaryDirectory(files: ["my disk.iso"])
        #expect(complete("change", "ide0-cd0", "\(dir.path)/my d") == ["\(dir.path)/my disk.iso"])
        #expect(ShellCompletion.quoted("a b") == "\"a b\"")
        #expect(ShellCompletion.quoted("a\"b") == "\"a\\\"b\"")
        #expect(ShellCompletion.quoted("plain") == "plain")
    }
}
