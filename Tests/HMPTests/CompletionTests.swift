import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@testable import HMP

@Suite("HMPCompleter")
struct CompletionTests {
    let completer = HMPCompleter(session: CompletionFixtures.session())

    func complete(_ line: String) -> [String] { completer.complete(line).candidates }

    @Test func commandNamesIncludeAliases() {
        #expect(complete("") == CompletionFixtures.table.allNames)
        #expect(complete("mig") == ["migrate", "migrate_set_capability", "migrate_set_parameter"])
        #expect(complete("q") == ["q", "qmp", "quit"])
        #expect(complete("?") == ["?"])
        #expect(complete("nosuch") == [])
    }

    @Test func infoSubcommands() {
        #expect(complete("info mi") == ["migrate", "migrate_capabilities", "migrate_parameters"])
        #expect(complete("info ").contains("status"))
        #expect(complete("info block ") == CompletionModel.blockNames)
        #expect(complete("info block -") == ["-v"])
        #expect(complete("info block -v vi") == ["virtio0", "virtio0-base-file", "virtio0-base-fmt", "virtio1"])
        #expect(complete("info nosuch ") == [])
    }

    @Test func helpCompletesACommandLine() {
        #expect(complete("help info mi") == ["migrate", "migrate_capabilities", "migrate_parameters"])
        #expect(complete("help block_r") == ["block_resize"])
        #expect(complete("? migrate_set_c") == ["migrate_set_capability"])
    }

    @Test func capabilitiesAndOnOff() {
        #expect(complete("migrate_set_capability xbz") == ["xbzrle"])
        #expect(complete("migrate_set_capability multifd ") == ["off", "on"])
        #expect(complete("migrate_set_capability multifd o") == ["off", "on"])
        #expect(complete("migrate_set_capability multifd on ") == [])
    }

    @Test func parameterNamesAndValues() {
        #expect(complete("migrate_set_parameter max-b") == ["max-bandwidth"])
        #expect(complete("migrate_set_parameter multifd-compression z") == ["zlib", "zstd"])
        #expect(complete("migrate_set_parameter multifd-compression ").contains("none"))
        #expect(complete("migrate_set_parameter zero-page-detection ") == ["legacy", "multifd", "none"])
        #expect(complete("migrate_set_parameter mode cpr") == ["cpr-reboot", "cpr-transfer"])
        #expect(complete("migrate_set_parameter direct-io ") == ["off", "on"])
    }

    @Test func waitCompletesEachWordOfItsCondition() {
        #expect(complete("wait ") == ["event", "job", "migration", "status"])
        #expect(complete("wait migration comp") == ["completed"])
        #expect(complete("wait migration ").contains("postcopy-active"))
        #expect(complete("wait status ").contains("running"))
        #expect(complete("wait status ").contains("inmigrate"))
        #expect(complete("wait status pa") == ["paused"])
        #expect(complete("wait event MIGR") == ["MIGRATION", "MIGRATION_PASS"])
        #expect(complete("wait event ").contains("JOB_STATUS_CHANGE"))
        #expect(complete("wait job ") == ["job-resync"])
        #expect(complete("wait job job-resync ") == ["concluded", "ready"])
        // Flags before the condition are stepped over, with their values.
        #expect(complete("wait -t 5s migration act") == ["active"])
        #expect(complete("wait --timeout 5s status r") == ["restore-vm", "running"])
        #expect(complete("wait migration completed ") == [])
        #expect(complete("wait nosuch ") == [])
        #expect(completer.complete("wait -t ").hint == "timeout: duration: 500ms, 2s, 1m; no suffix means seconds")
    }

    @Test func watchFlagValuesAndCommand() {
        #expect(completer.complete("watch -n ").hint == "interval: duration: 500ms, 2s, 1m; no suffix means seconds")
        #expect(complete("watch -n 1 -c 3 info mi") == ["migrate", "migrate_capabilities", "migrate_parameters"])
        #expect(complete("watch -") == ["-c", "-n", "-u"])
    }

    @Test func parameterValueHints() {
        let result = completer.complete("migrate_set_parameter max-bandwidth ")
        #expect(result.candidates.isEmpty)
        #expect(result.hint == "max-bandwidth: bytes/s; K M G T suffixes; no suffix means MiB/s")
        #expect(completer.complete("migrate_set_parameter downtime-limit 3").hint == "downtime-limit: milliseconds")
        #expect(completer.complete("migrate_set_parameter tls-creds ").hint?.contains("string") == true)
        #expect(completer.complete("block_resize virtio0 ").hint == "size: size; K M G T P E suffixes; no suffix means MiB")
    }

    @Test func deviceNodeJobAndSnapshotNames() {
        #expect(complete("block_resize ") == CompletionModel.blockNames)
        #expect(complete("block_resize virtio") == ["virtio0", "virtio0-base-file", "virtio0-base-fmt", "virtio1"])
        #expect(complete("block_job_cancel ") == ["job-resync"])
        #expect(complete("block_job_cancel -f j") == ["job-resync"])
        #expect(complete("loadvm ") == ["1", "2", "before-upgrade", "nightly"])
        #expect(complete("change ") == ["ide0-cd0", "virtio0", "virtio1"])  // `B` kind: devices only
    }

    @Test func flags() {
        #expect(complete("migrate -") == ["-d", "-r"])
        #expect(complete("migrate -d -") == ["-r"])
        #expect(complete("migrate -d tc") == ["tcp:"])
        #expect(complete("change -r ") == [])
        #expect(complete("change -r ro ide") == ["ide0-cd0"])
        #expect(complete("change -- ") == ["ide0-cd0", "virtio0", "virtio1"])
    }

    @Test func migrationURIs() {
        #expect(complete("migrate ") == ["exec:", "fd:", "file:", "rdma:", "tcp:", "unix:", "vsock:"])
        #expect(complete("migrate tcp:") == ["tcp:0.0.0.0:", "tcp:127.0.0.1:", "tcp:[::1]:", "tcp:[::]:", "tcp:localhost:"])
        #expect(complete("migrate tcp:loc") == ["tcp:localhost:"])
        #expect(complete("migrate tcp:dst.example") == ["tcp:dst.example:"])
        #expect(complete("migrate tcp:localhost:") == ["tcp:localhost:4444"])
        #expect(complete("migrate tcp:[::1]:4") == ["tcp:[::1]:4444"])
        #expect(complete("migrate tcp:localhost:5555") == [])
        #expect(completer.complete("migrate exec:").hint?.contains("allow-exec") == true)
    }

    @Test func fileNamesInURIsAndFilenameArguments() throws {
        let dir = try TemporaryDirectory(files: ["vm.img", "vm.state", ".hidden"], directories: ["images"])
        #expect(complete("migrate file:\(dir.path)/vm") == ["file:\(dir.path)/vm.img", "file:\(dir.path)/vm.state"])
        #expect(complete("migrate unix:\(dir.path)/im") == ["unix:\(dir.path)/images/"])
        #expect(complete("change ide0-cd0 \(dir.path)/") == ["\(dir.path)/images/", "\(dir.path)/vm.img", "\(dir.path)/vm.state"])
        #expect(complete("change ide0-cd0 \(dir.path)/.h") == ["\(dir.path)/.hidden"])
    }

    @Test func qmpCommandNamesFromTheSchema() {
        let names = complete("qmp query-mi")
        #expect(names.contains("query-migrate"))
        #expect(names.allSatisfy { $0.hasPrefix("query-mi") })
    }

    @Test func lastCommandOfALine() {
        let result = completer.complete("info status; info mi")
        #expect(result.candidates == ["migrate", "migrate_capabilities", "migrate_parameters"])
        #expect(result.wordStart == 18)
        #expect(complete("stop;block_resize v") == ["virtio0", "virtio0-base-file", "virtio0-base-fmt", "virtio1"])
        #expect(complete("qmp x \"a;b\" ") == [])
    }

    @Test func wordStartAndQuotes() {
        let result = completer.complete("block_resize  virt")
        #expect(result.wordStart == 14)
        #expect(result.word == "virt")
        let quoted = completer.complete("block_resize \"virt")
        #expect(quoted.word == "virt")
        #expect(quoted.wordStart == 13)
        #expect(quoted.candidates == ["virtio0", "virtio0-base-file", "virtio0-base-fmt", "virtio1"])
        #expect(HMPCompleter.words(Array("a \"b c\\\"\" d".utf8)).map(\.text) == ["a", "b c\"", "d"])
        #expect(HMPCompleter.words(Array("a ".utf8)).map(\.text) == ["a", ""])
    }

    @Test func tooManyArgumentsOfferNothing() {
        #expect(complete("block_resize virtio0 10G ") == [])
        #expect(complete("quit ") == [])
    }

    @Test func partialCandidates() {
        #expect(CompletionResult.isPartial("tcp:"))
        #expect(CompletionResult.isPartial("images/"))
        #expect(!CompletionResult.isPartial("virtio0"))
    }

    @Test("every row of the standard table completes by name, and its arguments without trapping")
    func standardTable() {
        let session = HMPSession(backend: CompletionModel.make().recorder)
        let completer = HMPCompleter(session: session)
        for command in session.table.commands {
            for name in [command.name] + command.aliases {
                #expect(completer.complete(name).candidates.contains(name))
            }
            var line = command.name
            for _ in 0...(command.flags.count + command.arguments.count) {
                line += " "
                _ = completer.complete(line)
                line += "x"
            }
        }
        for command in session.table.infoCommands {
            #expect(completer.complete("info \(command.name)").candidates.contains(command.name))
            _ = completer.complete("info \(command.name) ")
        }
    }
}

/// A directory under /tmp holding the given empty files and subdirectories; removed on deinit.
final class TemporaryDirectory {
    let path: String

    init(files: [String], directories: [String] = []) throws {
        var template = Array("/tmp/hmp-completion-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TemporaryDirectoryError() }
        path = String(cString: made)
        for d in directories { mkdir(path + "/" + d, 0o755) }
        for f in files {
            let fd = open(path + "/" + f, O_CREAT | O_WRONLY, 0o644)
            if fd >= 0 { close(fd) }
        }
    }

    deinit {
        // Only what init made: a flat tree.
        if let dir = opendir(path) {
            while let entry = readdir(dir) {
                let name = withUnsafePointer(to: &entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name != ".", name != ".." {
                    let child = path + "/" + name
                    if unlink(child) != 0 { rmdir(child) }
                }
            }
            closedir(dir)
        }
        rmdir(path)
    }
}

struct TemporaryDirectoryError: Error {}
