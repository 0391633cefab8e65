import Foundation
import Testing

@testable import HMP

/// The repository root, found from this file's path.
enum RepositoryRoot {
    static var path: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }

    static func read(_ relative: String) -> String? { try? String(contentsOfFile: path + "/" + relative, encoding: .utf8) }
}

@Suite("Completion scripts")
struct CompletionScriptTests {
    static let files: [(CompletionScripts.Shell, String)] = [(.bash, "hmp.bash"), (.zsh, "_hmp"), (.fish, "hmp.fish")]

    @Test("the committed scripts are what `make docs` would write", arguments: files.map(\.0))
    func fresh(shell: CompletionScripts.Shell) {
        let file = "completions/" + Self.files.first { $0.0 == shell }!.1
        let committed = RepositoryRoot.read(file)
        #expect(committed == CompletionScripts.render(shell), "\(file) is stale: run `make docs`")
    }

    @Test func scriptsCallTheEngineAndNameTheCommand() {
        for shell in CompletionScripts.Shell.allCases {
            let script = CompletionScripts.render(shell)
            #expect(script.contains("--complete --"))
            #expect(!script.contains("\r"))
        }
        #expect(CompletionScripts.render(.bash).contains("complete -F _hmp hmp"))
        #expect(CompletionScripts.render(.zsh).hasPrefix("#compdef hmp\n"))
        #expect(CompletionScripts.render(.fish).contains("complete -c hmp "))
    }

    @Test func optionDescriptionsLeaveHiddenOptionsOut() {
        let words = CompletionScripts.optionDescriptions(CommandLineOptions.all).map(\.word)
        #expect(words.contains("--format"))
        #expect(words.contains("-c"))
        #expect(!words.contains("--complete"))
        #expect(!words.contains("--generate-completion-script"))
        #expect(words.count == Set(words).count)
    }

    @Test func quotingForZshAndFish() {
        #expect(CompletionScripts.singleQuoted("QEMU's") == "'QEMU'\\''s'")
        #expect(CompletionScripts.fishQuoted("a\\b'c") == "'a\\\\b\\'c'")
        #expect("a-b-c".replacingAll("-", with: "--") == "a--b--c")
    }

    @Test func installPaths() {
        #expect(CompletionScripts.installPath(.bash) == "share/bash-completion/completions/hmp")
        #expect(CompletionScripts.installPath(.zsh) == "share/zsh/site-functions/_hmp")
        #expect(CompletionScripts.installPath(.fish) == "share/fish/vendor_completions.d/hmp.fish")
    }
}
