import Backend
import QAPI

/// `print` (the monitor's calculator) and `cpu` (the default CPU): monitor state, no QMP.
enum CPUCommands {
    static let commands: [HMPCommand] = [
        HMPCommand(
            "print", aliases: ["p"], PrintArguments.self,
            help: "print expression value (use $reg for CPU register access)", qmp: "none (local)",
            details:
                "Evaluates an integer expression with QEMU's rules (+ - * / % & | ^ ~, parentheses, 'c' characters, 0x hex and 0 octal numbers, 64-bit arithmetic that wraps) and prints it: /x hexadecimal (the default at start), /d signed decimal, /u unsigned decimal, /o octal, /c a character. The format given stays the default for later lines. The model has no CPU registers, so $reg is refused; on a connected QEMU a line naming a register is answered by QEMU's own monitor.",
            handler: print),
        HMPCommand(
            "cpu", CPUArguments.self,
            help: "set the default CPU", qmp: "none (local; checked against x-query-guest's vcpus)",
            details:
                "The default CPU is the one register names refer to; on a connected QEMU, lines passed through to its monitor run with it as their CPU (human-monitor-command's cpu-index), so `info cpus` marks it and `info registers` shows it. An index the VM lacks is refused and the default stays.",
            handler: cpu),
    ]

    struct PrintArguments: HMPArgumentValues {
        var format: DisplayFormat?
        var value: Int64 = 0
        static let signature = HMPSignature<Self>(
            .argument("/fmt", .displayFormat, \.format, help: "how to print it"),
            .argument("expr", .int64, \.value, help: "an integer expression, e.g. 0x1000 + 4 * 512"))
    }

    struct CPUArguments: HMPArgumentValues {
        var index: Int64 = 0
        static let signature = HMPSignature<Self>(.argument("index", .int32, \.index, help: "a vCPU number, from 0"))
    }

    static func print(_ invocation: HMPInvocation, _ a: PrintArguments) throws(HMPError) -> HMPOutput {
        // monitor_parse_arguments(): a format given becomes the default; `i` prints as `d` here.
        if let format = a.format?.format { invocation.session.monitorDefaults.format = format }
        let text = formatted(UInt64(bitPattern: a.value), as: invocation.session.monitorDefaults.format) + "\n"
        return invocation.render(reply: .int(a.value), table: { text }, qemu: { text })
    }

    /// hmp_print(): `%#o`, `%#x`, `%u`, `%d`, or monitor_printc() for `c`.
    static func formatted(_ value: UInt64, as format: Character) -> String {
        switch format {
        case "o": value == 0 ? "0" : "0" + String(value, radix: 8)
        case "x": value == 0 ? "0" : "0x" + String(value, radix: 16)
        case "u": String(value)
        case "c": character(Int32(truncatingIfNeeded: value))
        default: String(Int64(bitPattern: value))
        }
    }

    /// monitor_printc(): quoted, with `\'`, `\\`, `\n`, `\r` and `\xNN` for the rest outside ASCII's printable range.
    static func character(_ c: Int32) -> String {
        let inner: String
        switch c {
        case 0x27: inner = "\\'"
        case 0x5C: inner = "\\\\"
        case 0x0A: inner = "\\n"
        case 0x0D: inner = "\\r"
        case 32...126: inner = String(Character(Unicode.Scalar(UInt8(c))))
        default:
            let hex = String(UInt32(bitPattern: c), radix: 16)
            inner = "\\x" + (hex.count < 2 ? "0" + hex : hex)
        }
        return "'" + inner + "'"
    }

    static func cpu(_ invocation: HMPInvocation, _ a: CPUArguments) throws(HMPError) -> HMPOutput {
        let session = invocation.session
        if let remote = session.backend as? any RemoteMonitorBackend {
            // QEMU knows its CPUs: its own `cpu` says whether the index exists (hmp_cpu()).
            let answer: String
            do {
                answer = try remote.passThrough("cpu \(a.index)", cpuIndex: nil)
            } catch {
                throw .command(error)
            }
            if answer.contains("invalid CPU index") { throw refusal(a.index, count: nil, format: invocation.format) }
        } else {
            let guest = try invocation.run(XQueryGuestCommand.self, QAPIEmpty())
            guard a.index >= 0, a.index < guest.vcpus else { throw refusal(a.index, count: guest.vcpus, format: invocation.format) }
        }
        session.monitorDefaults.cpuIndex = a.index
        return invocation.done("default CPU is now #\(a.index)")
    }

    /// QEMU prints `invalid CPU index` as plain text (hmp_cpu()); the table format says which exist.
    static func refusal(_ index: Int64, count: Int64?, format: OutputFormat) -> HMPError {
        guard format == .table else { return .plain("invalid CPU index") }
        guard let count else { return .command(.generic("invalid CPU index \(index): the VM has no such vCPU")) }
        let range = count == 1 ? "only vCPU 0" : "vCPUs 0 to \(count - 1)"
        return .command(.generic("invalid CPU index \(index): the VM has \(range)"))
    }
}
