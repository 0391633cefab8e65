import Backend
import QAPI

/// `use NAME` and `connect NAME`: choosing among the QEMUs given with `--connect`. On the model
/// there is one VM and nothing to choose, so both refuse and say how to get VMs.
enum VMCommands {
    static let commands: [HMPCommand] = [
        HMPCommand(
            "use", VMNameArgument.self,
            help: "send the following commands to VM NAME (one of those given with --connect)", qmp: "none (local: chooses the VM)",
            details: "The prompt shows the VM commands go to. '@NAME LINE' runs one line on another VM, '@all LINE' on each.",
            handler: { invocation, arguments throws(HMPError) in
                guard let group = try vms(invocation, arguments.name, verb: "use") else { return .empty }
                _ = group.select(arguments.name)
                switch invocation.format {
                case .table: return HMPOutput("Commands now go to VM '\(arguments.name)'\n")
                case .qemu: return .empty
                case .json: return HMPOutput(JSONValue.object(["return": .object(["vm": .string(arguments.name)])]).description + "\n")
                }
            }),
        HMPCommand(
            "connect", VMNameArgument.self,
            help: "connect to VM NAME again and say what changed while it was away", qmp: "none (local: qmp_capabilities, then queries)",
            details:
                "Events the VM sent while it was disconnected are lost; what changed is found by comparing its state before and after.",
            handler: { invocation, arguments throws(HMPError) in
                guard let group = try vms(invocation, arguments.name, verb: "connect") else { return .empty }
                let name = arguments.name
                let changes: [String]
                do throws(QMPError) {
                    changes = try group.reconnect(name)
                } catch {
                    throw .command(error)
                }
                switch invocation.format {
                case .json:
                    let reply = JSONValue.object(["return": .object(["vm": .string(name), "changes": .array(changes.map { .string($0) })])])
                    return HMPOutput(reply.description + "\n")
                case .table, .qemu:
                    var text = "Connected to VM '\(name)' again; events sent while it was disconnected were lost\n"
                    text += changes.isEmpty ? "Nothing changed meanwhile\n" : changes.map { "changed: \($0)\n" }.joined()
                    return HMPOutput(text)
                }
            }),
    ]

    struct VMNameArgument: HMPArgumentValues {
        var name = ""
        static let signature = HMPSignature<Self>(
            .argument("name", .string, \.name, completion: .vmName, help: "a VM's name, as given with --connect NAME=ADDRESS"))
    }

    /// The VMs to choose from, once `name` is known to be one of them; nil while the line is
    /// only explained (the name is checked, nothing is chosen or connected).
    private static func vms(_ invocation: HMPInvocation, _ name: String, verb: String) throws(HMPError) -> (any VMSelecting)? {
        let explaining = invocation.backend as? ExplainingBackend
        guard let group = (explaining?.real ?? invocation.backend) as? any VMSelecting else {
            throw .plain(
                "\(verb): there are no VMs to choose from: hmp drives its built-in model; "
                    + "start it with --connect NAME=unix:PATH (or tcp:HOST:PORT) to drive QEMUs by name")
        }
        guard group.vmNames.contains(name) else {
            throw .plain("unknown VM '\(name)'; the VMs are: \(group.vmNames.joined(separator: ", "))")
        }
        return explaining == nil ? group : nil
    }
}
