import Testing
import TestSupport

@testable import HMP

/// Help fitted to a terminal: lines broken between words, never inside one.
@Suite struct HelpWrappingTests {
    @Test func breaksBetweenWords() {
        let text = "set maximum speed for a background block operation"
        let wrapped = HelpWrapping.wrap(text, width: 20, indent: 4)
        #expect(wrapped == "set maximum speed\n    for a background\n    block operation")
        for line in wrapped.split(separator: "\n") { #expect(line.count <= 20) }
        // Nothing lost or split: the words are the same.
        #expect(wrapped.split(whereSeparator: { $0 == " " || $0 == "\n" }) == text.split(separator: " "))
    }

    @Test func aLongWordStaysWhole() {
        let wrapped = HelpWrapping.wrap("see x-vcpu-dirty-limit-period-and-more now", width: 20)
        #expect(wrapped == "see\nx-vcpu-dirty-limit-period-and-more\nnow")
    }

    @Test func wideCharactersCountAsTwoColumns() {
        let wrapped = HelpWrapping.wrap("日本語 日本語 日本語 日本語", width: 20)
        for line in wrapped.split(separator: "\n") { #expect(DisplayWidth.of(String(line)) <= 20) }
        #expect(wrapped == "日本語 日本語 日本語\n日本語")
    }

    @Test func shortTextAndTinyWidthsAreLeftAlone() {
        #expect(HelpWrapping.wrap("short", width: 80) == "short")
        #expect(
            HelpWrapping.wrap("a b c d e f g h i j k l m n o p q r s t u v w x y z", width: 5)
                == "a b c d e f g h i j k l m n o p q r s t u v w x y z")
    }

    @Test func argumentRowsWrapInTheirColumn() {
        let rows = [("parameter", "a migration parameter name"), ("value", "the new value; its unit depends on the parameter")]
        let text = HelpWrapping.keyValue(rows, width: 40)
        #expect(
            text == """
                parameter  a migration parameter name
                value      the new value; its unit
                           depends on the parameter

                """)
    }

    /// The session wraps only where it knows a terminal width, and never QEMU's text.
    @Test func onlyTheTableFormatOnATerminalWraps() {
        let terminal = ModelSession()
        terminal.session.terminalColumns = { 40 }
        let listing = terminal.run("help").output
        #expect(listing.contains("block_job_complete device -- complete an\n    active background block operation\n"))
        for line in listing.split(separator: "\n") { #expect(DisplayWidth.of(String(line)) <= 40, "\(line)") }

        let piped = ModelSession().run("help").output
        #expect(piped.contains("block_job_complete device -- complete an active background block operation\n"))

        let qemu = ModelSession(format: .qemu)
        qemu.session.terminalColumns = { 40 }
        #expect(qemu.run("help").output.contains("block_job_complete device -- complete an active background block operation\n"))
    }
}
