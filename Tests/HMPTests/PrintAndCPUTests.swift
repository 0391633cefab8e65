import Foundation
import Machine
import Testing
import TestSupport

@testable import HMP

/// `print` (the monitor's calculator, with its sticky /fmt) and `cpu` (the default CPU).
@Suite struct PrintAndCPUTests {
    @Test(arguments: [
        ("p 10", "0xa\n"),
        ("print 0", "0\n"),
        ("p -1", "0xffffffffffffffff\n"),
        ("p/d -1", "-1\n"),
        ("p/u -1", "18446744073709551615\n"),
        ("p/o 8", "010\n"),
        ("p/o 0", "0\n"),
        ("p/x 0x10 * 2 + (7 & 3)", "0x23\n"),
        ("p/i 12", "12\n"),
        ("p/3xw 1+2*3", "0x7\n"),
        ("p/c 65", "'A'\n"),
        ("p/c 39", "'\\''\n"),
        ("p/c 92", "'\\\\'\n"),
        ("p/c 10", "'\\n'\n"),
        ("p/c 13", "'\\r'\n"),
        ("p/c 7", "'\\x07'\n"),
        ("p/c 300", "'\\x12c'\n"),
        ("p/c -1", "'\\xffffffff'\n"),
        ("p/c 'z'", "'z'\n"),
    ])
    func printsAsQEMUDoes(line: String, expected: String) {
        for format in [OutputFormat.qemu, .table] {
            #expect(ModelSession(format: format).run(line).output == expected, "\(line) in \(format)")
        }
    }

    /// The format given stays the default for later lines (QEMU's default_fmt_format).
    @Test func formatIsSticky() {
        let session = ModelSession()
        #expect(session.run("p 255").output == "0xff\n")
        #expect(session.run("p/d 255").output == "255\n")
        #expect(session.run("p 254").output == "254\n")
        #expect(session.run("p/2b 16").output == "16\n")  // a count and size keep the format
        #expect(session.run("p/o 8").output == "010\n")
        #expect(session.run("p 9").output == "011\n")
    }

    @Test(arguments: [
        ("p/z 1", "invalid char in format: 'z'\nTry \"help p\" for more information"),
        ("p/xq 1", "invalid char in format: 'q'\nTry \"help p\" for more information"),
        ("p", "unexpected end of expression\nTry \"help p\" for more information"),
        ("p $pc", "unknown register\nTry \"help p\" for more information"),
        ("p 1/0", "division by zero\nTry \"help p\" for more information"),
        ("p/99999999999x 1", "count in format too large\nTry \"help p\" for more information"),
    ])
    func refusals(line: String, expected: String) {
        let session = ModelSession(format: .qemu)
        let result = session.run(line)
        #expect(result.error?.trimmingCharacters(in: .newlines) == expected)
        // A refused line leaves the default format alone.
        #expect(session.run("p 16").output == "0x10\n")
    }

    @Test func cpuSetsTheDefaultWithinTheVCPUs() {
        let table = ModelSession()
        #expect(table.run("cpu 1").output == "default CPU is now #1\n")
        #expect(table.session.monitorDefaults.cpuIndex == 1)
        #expect(table.run("cpu 2").error == "Error: invalid CPU index 2: the VM has vCPUs 0 to 1\n")
        #expect(table.session.monitorDefaults.cpuIndex == 1)

        let qemu = ModelSession(format: .qemu)
        #expect(qemu.run("cpu 0").output == "")
        #expect(qemu.run("cpu 2").error == "invalid CPU index\n")
        #expect(qemu.run("cpu -1").error == "'cpu' has failed: integer is for 32-bit values\nTry \"help cpu\" for more information\n")
        #expect(qemu.session.monitorDefaults.cpuIndex == 0)
    }

    @Test func cpuFollowsTheVCPUCount() {
        let session = ModelSession(configuration: MachineConfiguration(vcpus: 8))
        #expect(session.run("cpu 7").succeeded)
        #expect(session.run("cpu 8").error == "Error: invalid CPU index 8: the VM has vCPUs 0 to 7\n")
        let one = ModelSession(configuration: MachineConfiguration(vcpus: 1))
        #expect(one.run("cpu 1").error == "Error: invalid CPU index 1: the VM has only vCPU 0\n")
    }

    /// Help, the man page and completion read the rows.
    @Test func documented() {
        let listing = ModelSession().run("help").output
        #expect(listing.contains("cpu index -- set the default CPU\n"))
        #expect(listing.contains("print|p [/fmt] expr -- print expression value (use $reg for CPU register access)\n"))
        let man = ManPage.render()
        #expect(man.contains(".It Ic print Oo Ar /fmt Oc Ar expr"))
        #expect(man.contains(".It Ic cpu Ar index"))
    }
}
