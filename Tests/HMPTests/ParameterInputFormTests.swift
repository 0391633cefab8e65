import Foundation
import Testing
import TestSupport

@testable import HMP

/// `help migrate_set_parameter` and the man page list the forms the table format reads, from
/// the descriptors; each example listed is read back.
@Suite struct ParameterInputFormTests {
    @Test func everyListedExampleIsAccepted() {
        var listed = 0
        for descriptor in MigrationParameterDescriptor.all {
            for example in descriptor.tableFormatExamples {
                listed += 1
                let session = ModelSession()
                let result = session.run("migrate_set_parameter \(descriptor.name) \(example)")
                #expect(result.succeeded, "\(descriptor.name) \(example): \(result.error ?? "")")
                // In QEMU's format they are QEMU's to judge: only the plain forms are taken.
                _ = session.session(.qemu).execute("migrate_set_parameter \(descriptor.name) \(example)")
            }
        }
        #expect(listed >= 12)
    }

    @Test func helpAndManPageListThem() {
        let help = ModelSession().run("help migrate_set_parameter").output
        let man = ManPage.render()
        for descriptor in MigrationParameterDescriptor.all {
            for example in descriptor.tableFormatExamples {
                #expect(help.contains(example), "help lacks \(example) for \(descriptor.name)")
            }
            // mdoc escapes the dashes of the examples: compare without them.
            let plain = man.replacingOccurrences(of: "\\-", with: "-").replacingOccurrences(of: "\n", with: " ")
            #expect(plain.contains(descriptor.inputForms), "man page lacks \(descriptor.name)'s \(descriptor.inputForms)")
        }
        #expect(help.contains("downtime-limit"))
        #expect(help.contains("500ms, 1s"))
        #expect(help.contains("64MiB/s, 1GiB/s"))
        #expect(help.contains("512MiB, 1GiB"))
    }
}
