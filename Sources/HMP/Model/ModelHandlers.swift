import QAPI

/// guest_set, link_set, inject_fault, info guest, info link.
enum ModelHandlers {
    static func usage(_ invocation: HMPInvocation, _ message: String) -> HMPError {
        .usage("\(invocation.command.name): \(message)", command: invocation.command.name)
    }

    /// True when a typed duration or size ends in a digit, i.e. has no unit.
    static func unitless(_ text: String) -> Bool { text.last.map { $0.isNumber || $0 == "." } ?? false }

    static func guestSet(_ invocation: HMPInvocation, _ arguments: ModelCommands.GuestSetArguments) throws(HMPError) -> HMPOutput {
        let typed = arguments.key
        let text = arguments.value
        guard let key = ModelSettings.key(typed, in: ModelSettings.guestKeys) else {
            throw usage(invocation, "unknown key '\(typed)'; keys: \(ModelSettings.guestKeys.map(\.name).joined(separator: ", "))")
        }
        switch key {
        case "dirty-rate":
            guard let rate = ModelSettings.metric(text) else {
                throw usage(invocation, "dirty-rate expects pages per second, like 50000 or 50k")
            }
            let guest = try invocation.run(XQueryGuestCommand.self, QAPIEmpty())
            _ = try invocation.run(XGuestSetWorkloadCommand.self, XGuestSetWorkloadArguments(dirtyRate: rate))
            return invocation.done("guest dirty rate: \(ModelFormat.pages(rate, pageSize: guest.pageSize)) when unthrottled")
        case "zero-pages":
            guard let percent = ModelSettings.percent(text) else {
                throw usage(invocation, "zero-pages expects a percentage from 0 to 100, like 30 or 30%")
            }
            _ = try invocation.run(XGuestSetWorkloadCommand.self, XGuestSetWorkloadArguments(zeroPercent: percent))
            return invocation.done("guest zero pages: \(percent)% of RAM")
        default:
            guard let size = try? SizeParser.parse(text, as: .mebibytes) else {
                throw usage(invocation, "hot-set expects a size, like 512M or 2G")
            }
            _ = try invocation.run(XGuestSetWorkloadCommand.self, XGuestSetWorkloadArguments(hotSetSize: size.bytes))
            return invocation.done("guest hot set: \(SizeEcho.describe(size))")
        }
    }

    static func linkSet(_ invocation: HMPInvocation, _ arguments: ModelCommands.LinkSetArguments) throws(HMPError) -> HMPOutput {
        let typed = arguments.key
        let text = arguments.value
        guard let key = ModelSettings.key(typed, in: ModelSettings.linkKeys) else {
            throw usage(invocation, "unknown key '\(typed)'; keys: \(ModelSettings.linkKeys.map(\.name).joined(separator: ", "))")
        }
        switch key {
        case "bandwidth":
            guard let bits = ModelSettings.metric(text) else {
                throw usage(invocation, "bandwidth expects bits per second, like 1G (1 Gbit/s) or 100M")
            }
            _ = try invocation.run(XLinkSetCommand.self, XLinkSetArguments(bandwidth: bits))
            return invocation.done("link bandwidth: \(ModelSettings.linkRate(bits))")
        case "latency":
            guard let ns = try? DurationParser.parse(text) else { throw usage(invocation, "latency expects a duration, like 5ms or 200us") }
            let micros = (ns + 500) / 1000
            _ = try invocation.run(XLinkSetCommand.self, XLinkSetArguments(latency: micros))
            let note = unitless(text) ? "; no unit given, so seconds were assumed" : ""
            return invocation.done("link latency: \(ModelSettings.micros(micros)) one way (\(micros) us)\(note)")
        default:
            guard let size = try? SizeParser.parse(text, as: .mebibytes) else {
                throw usage(invocation, "\(key) expects bytes per second, like 500M or 1G")
            }
            let arguments = key == "disk-speed" ? XLinkSetArguments(diskSpeed: size.bytes) : XLinkSetArguments(pipeSpeed: size.bytes)
            _ = try invocation.run(XLinkSetCommand.self, arguments)
            return invocation.done("\(key == "disk-speed" ? "disk" : "pipe") speed: \(SizeEcho.rate(size))")
        }
    }

    static func injectFault(_ invocation: HMPInvocation, _ arguments: ModelCommands.FaultArguments) throws(HMPError) -> HMPOutput {
        let typed = arguments.fault
        let argument = arguments.argument
        guard let fault = ModelFault(rawValue: typed) else {
            throw usage(invocation, "unknown fault '\(typed)'; faults: \(ModelFault.wireNames.joined(separator: ", "))")
        }
        switch fault {
        case .refuseConnection:
            _ = try invocation.run(XInjectFaultCommand.self, XInjectFaultArguments(fault: fault, host: argument))
            return invocation.done("fault armed: connections to \(argument ?? "every host") are refused until inject_fault clear")
        case .dropLink:
            var delay: UInt64?
            var note = ""
            if let argument {
                guard let ns = try? DurationParser.parse(argument) else {
                    throw usage(invocation, "drop-link expects a delay, like 500ms or 2s")
                }
                delay = ns / 1_000_000
                if unitless(argument) { note = "; no unit given, so seconds were assumed" }
            }
            _ = try invocation.run(XInjectFaultCommand.self, XInjectFaultArguments(fault: fault, delay: delay))
            let when =
                delay.map { $0 == 0 ? "now" : "in \(HumanUnits.milliseconds(Int64(clamping: $0))) of model time (\($0) ms)" } ?? "now"
            return invocation.done("fault armed: the migration connection breaks \(when)\(note)")
        case .clear:
            if argument != nil { throw usage(invocation, "clear takes no argument") }
            _ = try invocation.run(XInjectFaultCommand.self, XInjectFaultArguments(fault: fault))
            return invocation.done("all faults cleared")
        }
    }

    static func infoGuest(_ invocation: HMPInvocation) throws(HMPError) -> HMPOutput {
        let guest = try invocation.run(XQueryGuestCommand.self, QAPIEmpty())
        let status = try invocation.run(QueryStatusCommand.self, QAPIEmpty())
        return invocation.render(
            reply: guest.qapi,
            table: { ModelFormat.guestTable(guest, runState: status.status) },
            qemu: { ModelFormat.guestQEMU(guest, runState: status.status) })
    }

    static func infoLink(_ invocation: HMPInvocation) throws(HMPError) -> HMPOutput {
        let link = try invocation.run(XQueryLinkCommand.self, QAPIEmpty())
        return invocation.render(reply: link.qapi, table: { ModelFormat.linkTable(link) }, qemu: { ModelFormat.linkQEMU(link) })
    }
}
