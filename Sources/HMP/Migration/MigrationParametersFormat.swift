import QAPI

/// `info migrate_parameters` and `info migrate_capabilities` in the table and qemu formats.
enum MigrationParametersFormat {
    // MARK: qemu

    /// QEMU 10.2's `hmp_info_migrate_parameters`. Like QEMU it leaves out the multifd
    /// compression levels; the `cpr-exec-command` line is absent because the schema has no
    /// such parameter.
    static func qemu(_ p: MigrationParameters) -> String {
        var out = ""
        func line(_ name: MigrationParameter, _ value: String) { out += "\(name.rawValue): \(value)\n" }
        line(.announceInitial, "\(p.announceInitial ?? 0) ms")
        line(.announceMax, "\(p.announceMax ?? 0) ms")
        line(.announceRounds, "\(p.announceRounds ?? 0)")
        line(.announceStep, "\(p.announceStep ?? 0) ms")
        line(.throttleTriggerThreshold, "\(p.throttleTriggerThreshold ?? 0)")
        line(.cpuThrottleInitial, "\(p.cpuThrottleInitial ?? 0)")
        line(.cpuThrottleIncrement, "\(p.cpuThrottleIncrement ?? 0)")
        line(.cpuThrottleTailslow, onOff(p.cpuThrottleTailslow ?? false))
        line(.maxCpuThrottle, "\(p.maxCpuThrottle ?? 0)")
        line(.tlsCreds, "'\(p.tlsCreds ?? "")'")
        line(.tlsHostname, "'\(p.tlsHostname ?? "")'")
        line(.tlsAuthz, "'\(p.tlsAuthz ?? "")'")
        line(.maxBandwidth, "\(p.maxBandwidth ?? 0) bytes/second")
        line(.availSwitchoverBandwidth, "\(p.availSwitchoverBandwidth ?? 0) bytes/second")
        line(.maxPostcopyBandwidth, "\(p.maxPostcopyBandwidth ?? 0) bytes/second")
        line(.downtimeLimit, "\(p.downtimeLimit ?? 0) ms")
        line(.xCheckpointDelay, "\(p.xCheckpointDelay ?? 0) ms")
        line(.multifdChannels, "\(p.multifdChannels ?? 0)")
        line(.multifdCompression, (p.multifdCompression ?? .none).rawValue)
        line(.zeroPageDetection, (p.zeroPageDetection ?? .none).rawValue)
        line(.xbzrleCacheSize, "\(p.xbzrleCacheSize ?? 0) bytes")
        if let mapping = p.blockBitmapMapping {
            out += "\(MigrationParameter.blockBitmapMapping.rawValue):\n"
            for node in mapping {
                out += "  '\(node.nodeName)' -> '\(node.alias)'\n"
                for bitmap in node.bitmaps { out += "    '\(bitmap.name)' -> '\(bitmap.alias)'\n" }
            }
        }
        line(.xVcpuDirtyLimitPeriod, "\(p.xVcpuDirtyLimitPeriod ?? 0) ms")
        line(.vcpuDirtyLimit, "\(p.vcpuDirtyLimit ?? 0) MB/s")
        line(.mode, (p.mode ?? .normal).rawValue)
        if let directIO = p.directIo { line(.directIo, onOff(directIO)) }
        return out
    }

    /// QEMU's `hmp_info_migrate_capabilities`: `<name>: on|off`, in the order given.
    static func qemu(_ capabilities: [MigrationCapabilityStatus]) -> String {
        capabilities.map { "\($0.capability.rawValue): \(onOff($0.state))\n" }.joined()
    }

    // MARK: table

    /// QEMU's listing order, with the compression levels it hides next to the compression.
    static let displayOrder: [MigrationParameter] = {
        let order: [MigrationParameter] = [
            .announceInitial, .announceMax, .announceRounds, .announceStep, .throttleTriggerThreshold,
            .cpuThrottleInitial, .cpuThrottleIncrement, .cpuThrottleTailslow, .maxCpuThrottle, .tlsCreds, .tlsHostname,
            .tlsAuthz, .maxBandwidth, .availSwitchoverBandwidth, .maxPostcopyBandwidth, .downtimeLimit, .xCheckpointDelay,
            .multifdChannels, .multifdCompression, .multifdZlibLevel, .multifdZstdLevel, .zeroPageDetection,
            .xbzrleCacheSize, .blockBitmapMapping, .xVcpuDirtyLimitPeriod, .vcpuDirtyLimit, .mode, .directIo,
        ]
        // A parameter the schema gains later still shows, at the end.
        return order + MigrationParameter.allCases.filter { !order.contains($0) }
    }()

    /// Every parameter (the compression levels QEMU hides included), with the value and its
    /// unit in separate columns. Sizes are shown in the largest unit that is exact.
    static func table(_ p: MigrationParameters) -> String {
        var table = TextTable(headers: ["Parameter", "Value", "Unit"])
        for name in displayOrder {
            for row in rows(name, p) { table.add(row) }
        }
        return table.render()
    }

    private static func rows(_ name: MigrationParameter, _ p: MigrationParameters) -> [[String]] {
        func number<T: BinaryInteger>(_ value: T?, _ unit: String = "") -> [[String]] {
            guard let value else { return [] }
            return [[name.rawValue, "\(value)", unit]]
        }
        func size(_ value: UInt64?, perSecond: Bool) -> [[String]] {
            guard let value else { return [] }
            let exact = MigrationUnits.exactSize(value)
            return [[name.rawValue, exact.number, exact.unit + (perSecond ? "/s" : "")]]
        }
        func text(_ value: String?) -> [[String]] { value.map { [[name.rawValue, $0, ""]] } ?? [] }

        switch name {
        case .announceInitial: return number(p.announceInitial, "ms")
        case .announceMax: return number(p.announceMax, "ms")
        case .announceRounds: return number(p.announceRounds)
        case .announceStep: return number(p.announceStep, "ms")
        case .throttleTriggerThreshold: return number(p.throttleTriggerThreshold, "%")
        case .cpuThrottleInitial: return number(p.cpuThrottleInitial, "%")
        case .cpuThrottleIncrement: return number(p.cpuThrottleIncrement, "%")
        case .cpuThrottleTailslow: return text(p.cpuThrottleTailslow.map(onOff))
        case .tlsCreds: return text(p.tlsCreds.map { "'\($0)'" })
        case .tlsHostname: return text(p.tlsHostname.map { "'\($0)'" })
        case .tlsAuthz: return text(p.tlsAuthz.map { "'\($0)'" })
        case .maxBandwidth: return size(p.maxBandwidth, perSecond: true)
        case .availSwitchoverBandwidth: return size(p.availSwitchoverBandwidth, perSecond: true)
        case .downtimeLimit: return number(p.downtimeLimit, "ms")
        case .xCheckpointDelay: return number(p.xCheckpointDelay, "ms")
        case .multifdChannels: return number(p.multifdChannels)
        case .xbzrleCacheSize: return size(p.xbzrleCacheSize, perSecond: false)
        case .maxPostcopyBandwidth: return size(p.maxPostcopyBandwidth, perSecond: true)
        case .maxCpuThrottle: return number(p.maxCpuThrottle, "%")
        case .multifdCompression: return text(p.multifdCompression?.rawValue)
        case .multifdZlibLevel: return number(p.multifdZlibLevel)
        case .multifdZstdLevel: return number(p.multifdZstdLevel)
        case .blockBitmapMapping:
            guard let mapping = p.blockBitmapMapping else { return [] }
            var rows: [[String]] = []
            for node in mapping {
                rows.append([rows.isEmpty ? name.rawValue : "", "'\(node.nodeName)' -> '\(node.alias)'", ""])
                for bitmap in node.bitmaps { rows.append(["", "  '\(bitmap.name)' -> '\(bitmap.alias)'", ""]) }
            }
            return rows.isEmpty ? [[name.rawValue, "(empty)", ""]] : rows
        case .xVcpuDirtyLimitPeriod: return number(p.xVcpuDirtyLimitPeriod, "ms")
        case .vcpuDirtyLimit: return number(p.vcpuDirtyLimit, "MB/s")
        case .mode: return text(p.mode?.rawValue)
        case .zeroPageDetection: return text(p.zeroPageDetection?.rawValue)
        case .directIo: return text(p.directIo.map(onOff))
        }
    }

    /// A capability / state table, in the order given (the schema's).
    static func table(_ capabilities: [MigrationCapabilityStatus]) -> String {
        var table = TextTable(headers: ["Capability", "State"])
        for c in capabilities { table.add([c.capability.rawValue, onOff(c.state)]) }
        return table.render()
    }
}
