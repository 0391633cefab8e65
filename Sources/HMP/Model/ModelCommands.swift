import QAPI

/// Commands of the in-process model (ours, no QEMU counterpart): the simulated guest
/// workload, the simulated network link, and fault injection. They call the `x-` schema
/// commands, which a real QEMU does not have.
enum ModelCommands {
    struct GuestSetArguments: HMPArgumentValues {
        var key = ""
        var value = ""
        static let signature = HMPSignature<Self>(
            .argument(
                "key", .string, \.key, completion: .values(ModelSettings.guestKeys.map(\.name)),
                help: "what to change: \(ModelSettings.guestKeys.map(\.name).joined(separator: ", "))"),
            .argument(
                "value", .string, \.value, help: "dirty-rate: pages/s (k M G = 1000s); zero-pages: percent; hot-set: a size (no unit = MiB)"
            ))
    }

    struct LinkSetArguments: HMPArgumentValues {
        var key = ""
        var value = ""
        static let signature = HMPSignature<Self>(
            .argument(
                "key", .string, \.key, completion: .values(ModelSettings.linkKeys.map(\.name)),
                help: "what to change: \(ModelSettings.linkKeys.map(\.name).joined(separator: ", "))"),
            .argument(
                "value", .string, \.value,
                help: "bandwidth: bits/s (k M G = 1000s); latency: a duration (5ms); disk-speed, pipe-speed: bytes/s (no unit = MiB/s)"))
    }

    struct FaultArguments: HMPArgumentValues {
        var fault = ""
        var argument: String?
        static let signature = HMPSignature<Self>(
            .argument("fault", .string, \.fault, completion: .values(ModelFault.wireNames), help: "refuse-connection, drop-link, or clear"),
            .argument(
                "argument", .string, \.argument,
                help: "refuse-connection: the host to refuse (default: every host); drop-link: delay in model time (500ms)"))
    }

    static let commands: [HMPCommand] = [
        HMPCommand(
            "guest_set", GuestSetArguments.self,
            help: "change the simulated guest's memory workload", qmp: "x-guest-set-workload",
            details:
                "dirty-rate is the pages the guest writes per second when unthrottled (50000 or 50k); zero-pages is the share of RAM that holds only zeros, in percent (30 or 30%); hot-set is how much RAM the writes fall into (1G; no unit means MiB). The confirmation repeats the value with its unit.",
            handler: ModelHandlers.guestSet),
        HMPCommand(
            "link_set", LinkSetArguments.self,
            help: "change the simulated network link, disk or pipe speed", qmp: "x-link-set",
            details:
                "bandwidth is in bits per second with metric suffixes, so `link_set bandwidth 1G` is 1 Gbit/s; latency is one-way (5ms, 200us; a bare number means seconds); disk-speed and pipe-speed are bytes per second for file: and exec: migrations (no unit means MiB/s). A running migration sees the change at once.",
            handler: ModelHandlers.linkSet),
        HMPCommand(
            "inject_fault", FaultArguments.self,
            help: "make the simulated link fail", qmp: "x-inject-fault",
            details:
                "refuse-connection makes new connections fail until the faults are cleared (to one host, or to every host); drop-link breaks the running migration's connection now or after a delay, so a precopy migration fails and a postcopy one pauses; clear removes every fault.",
            handler: ModelHandlers.injectFault),
    ]

    static let infoCommands: [HMPCommand] = [
        HMPCommand(
            "guest", help: "show the simulated guest: RAM, vCPUs, run state and memory workload",
            qmp: "x-query-guest, query-status", handler: ModelHandlers.infoGuest),
        HMPCommand(
            "link", help: "show the simulated network link, disk and pipe speeds and armed faults",
            qmp: "x-query-link", handler: ModelHandlers.infoLink),
    ]
}
