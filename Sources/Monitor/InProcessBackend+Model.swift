import Machine
import QAPI

extension InProcessBackend {
    /// The model-only commands (schema/model.json).
    func registerModelCommands() {
        let machine = self.machine
        dispatcher.register(XQueryGuestCommand.self) { _ throws(QMPError) in
            let config = machine.configuration
            let workload = machine.workload
            return ModelGuestInfo(
                ramSize: config.ramSize, pageSize: config.pageSize, vcpus: Int64(config.vcpus),
                dirtyRate: workload.dirtyPagesPerSecond, zeroPercent: workload.zeroPercent,
                hotSetSize: workload.hotSetBytes, effectiveDirtyRate: UInt64(machine.effectiveDirtyRate.rounded()),
                cpuThrottlePercentage: Int64(machine.migration.throttlePercentage), ramDigest: machine.ramDigest)
        }
        dispatcher.register(XGuestSetWorkloadCommand.self) { arguments throws(QMPError) in
            var workload = machine.workload
            if let rate = arguments.dirtyRate { workload.dirtyPagesPerSecond = rate }
            if let zero = arguments.zeroPercent {
                guard zero <= 100 else {
                    throw QMPError.generic("Parameter 'zero-percent' expects a value between 0 and 100")
                }
                workload.zeroPercent = zero
            }
            if let hot = arguments.hotSetSize { workload.hotSetBytes = hot }
            machine.setWorkload(workload)
            return QAPIEmpty()
        }
        dispatcher.register(XQueryLinkCommand.self) { _ throws(QMPError) in
            let link = machine.link
            return ModelLinkInfo(
                bandwidth: link.bandwidthBitsPerSecond, latency: link.latencyMicroseconds,
                diskSpeed: link.diskBytesPerSecond, pipeSpeed: link.pipeBytesPerSecond,
                execAllowed: machine.configuration.allowExec,
                faults: machine.faults.map { fault in
                    switch fault {
                    case .refuseConnection(let host): ModelFaultInfo(fault: .refuseConnection, host: host)
                    case .dropLink(let time): ModelFaultInfo(fault: .dropLink, at: time.milliseconds)
                    }
                })
        }
        dispatcher.register(XLinkSetCommand.self) { arguments throws(QMPError) in
            for (name, value) in [
                ("bandwidth", arguments.bandwidth), ("disk-speed", arguments.diskSpeed),
                ("pipe-speed", arguments.pipeSpeed),
            ] where value == 0 {
                throw QMPError.generic("Parameter '\(name)' expects a value of at least 1")
            }
            var link = machine.link
            if let v = arguments.bandwidth { link.bandwidthBitsPerSecond = v }
            if let v = arguments.latency { link.latencyMicroseconds = v }
            if let v = arguments.diskSpeed { link.diskBytesPerSecond = v }
            if let v = arguments.pipeSpeed { link.pipeBytesPerSecond = v }
            machine.link = link
            return QAPIEmpty()
        }
        dispatcher.register(XInjectFaultCommand.self) { arguments throws(QMPError) in
            switch arguments.fault {
            case .refuseConnection:
                if arguments.delay != nil {
                    throw QMPError.generic("Parameter 'delay' is only used with fault 'drop-link'")
                }
                machine.injectFault(.refuseConnection(host: arguments.host))
            case .dropLink:
                if arguments.host != nil {
                    throw QMPError.generic("Parameter 'host' is only used with fault 'refuse-connection'")
                }
                let delay = ModelTime.milliseconds(arguments.delay ?? 0)
                machine.injectFault(.dropLink(at: machine.now + delay))
            case .clear:
                if arguments.host != nil || arguments.delay != nil {
                    throw QMPError.generic("Fault 'clear' takes no other parameters")
                }
                machine.clearFaults()
            }
            return QAPIEmpty()
        }
    }
}
