import Backend
import HMP
import Machine
import MigrationSockets
import Monitor
import QAPI

/// Builds the in-process model VM from the machine options, and the backend over it.
enum BackendFactory {
    static func make(_ settings: MachineSettings, transport: (any MigrationTransport)? = nil) throws(UsageError) -> InProcessBackend {
        var configuration = MachineConfiguration(
            name: settings.name, ramSize: settings.ramBytes, vcpus: settings.vcpus,
            workload: GuestWorkload(dirtyPagesPerSecond: settings.dirtyPagesPerSecond, zeroPercent: UInt8(settings.zeroPagePercent)),
            host: HostDescription(kvmDirtyRingSize: settings.dirtyRingSize, replication: settings.replication),
            allowExec: settings.allowExec, startState: settings.paused ? .prelaunch : .running)
        if settings.noDisks { configuration.disks = [] }
        if settings.machineNone {
            var none = MachineConfiguration.machineNone(vcpus: settings.vcpus)
            none.name = settings.name
            none.allowExec = settings.allowExec
            none.host = configuration.host
            none.startState = configuration.startState
            configuration = none
        }
        if !settings.disks.isEmpty {
            var disks: [DiskSpec] = []
            for text in settings.disks {
                do {
                    disks.append(try DiskSpec.parse(text))
                } catch {
                    throw UsageError("invalid --disk: \(error.description)")
                }
            }
            configuration.disks = disks
        }
        if let incoming = settings.incoming {
            if incoming != "defer" {
                do {
                    _ = try MigrationURI.parse(incoming)
                } catch {
                    throw UsageError("invalid --incoming '\(incoming)': \(error.desc); expected e.g. tcp:0:4444, unix:PATH or defer")
                }
            }
            configuration.startState = .inmigrate
            configuration.incomingURI = incoming == "defer" ? nil : incoming
        }
        let machine: VirtualMachine
        do {
            machine = try VirtualMachine(validating: configuration, transport: settings.clock == .real ? transport : nil)
        } catch {
            throw UsageError("the VM cannot be built: \(error.desc)")
        }
        return InProcessBackend(machine: machine, clock: settings.clock == .virtual ? .virtual() : .real())
    }

    /// `human-monitor-command` runs HMP lines in a session of its own, with QEMU's text, as
    /// QEMU's monitor does. A line that calls it again is refused past a few levels.
    static func installHumanMonitor(on backend: InProcessBackend) {
        var depth = 0
        backend.humanMonitorHook = { [unowned backend] arguments throws(QMPError) in
            guard depth < 4 else { throw QMPError.generic("human-monitor-command nested too deeply") }
            depth += 1
            defer { depth -= 1 }
            let session = HMPSession(backend: backend, format: .qemu)
            session.mayWait = false
            // qmp_human_monitor_command(): the line runs with that CPU as the monitor's default.
            if let index = arguments.cpuIndex {
                guard session.execute("cpu \(index)").succeeded else {
                    throw QMPError.generic("Parameter 'cpu-index' expects a CPU number")
                }
            }
            let result = session.execute(arguments.commandLine)
            return crlf(result.output + (result.error ?? ""))
        }
    }

    /// QEMU's monitor prints every "\n" as "\r\n" (monitor_puts()), and the string
    /// `human-monitor-command` returns is that printout.
    static func crlf(_ text: String) -> String {
        guard text.utf8.contains(0x0A) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            if scalar == "\n" { out.unicodeScalars.append("\r") }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}

/// The version `--version`, the greeting and the man page show: the one `query-version` reports.
enum HMPVersion {
    static let string = "\(ProductVersion.major).\(ProductVersion.minor).\(ProductVersion.micro)"
}
