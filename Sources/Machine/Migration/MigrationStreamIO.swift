#if canImport(Glibc)
import Glibc
#endif
import MigrationStream
import QAPI

/// RAM as an incoming migration delivered it.
public struct ReceivedRAM: Sendable, Hashable {
    public var blocks: [RAMBlock]
    public var digest: RAMDigest
    public var normalPages: UInt64
    public var zeroPages: UInt64
}

/// The model's own device sections: they carry what QEMU's sections do not (the guest
/// workload, the disks), described in the stream's JSON like any QEMU device.
enum ModelDevices {
    static let guest = DeviceDescription(
        name: "hmp-guest",
        vmstate: VMStateDescription(
            vmsdName: "hmp-guest", version: 1,
            fields: [
                VMStateField("ram_size", type: "uint64", size: 8),
                VMStateField("page_size", type: "uint32", size: 4),
                VMStateField("vcpus", type: "uint32", size: 4),
                VMStateField("dirty_rate", type: "uint64", size: 8),
                VMStateField("zero_percent", type: "uint8", size: 1),
                VMStateField("hot_set", type: "uint64", size: 8),
                VMStateField("pages_written", type: "uint64", size: 8),
            ]))

    static func drive(instance: UInt32) -> DeviceDescription {
        DeviceDescription(
            name: "hmp-drive", instanceID: instance,
            vmstate: VMStateDescription(
                vmsdName: "hmp-drive", version: 1,
                fields: [
                    VMStateField("device", type: "buffer", size: 32),
                    VMStateField("media", type: "buffer", size: 16),
                    VMStateField("size", type: "uint64", size: 8),
                ]))
    }

    /// What a destination of this configuration can read without the stream's JSON.
    static func known(disks: Int) -> [DeviceDescription] {
        StandardDevices.all + [guest] + (0..<UInt32(max(disks, 8))).map(drive(instance:))
    }
}

/// Section ids as QEMU `-M none` numbers them (timer 0, ram 2, globalstate 4); the model's
/// own sections follow.
private enum SectionID {
    static let timer: UInt32 = 0
    static let ram: UInt32 = 2
    static let globalState: UInt32 = 4
    static let firstModel: UInt32 = 5
}

extension VirtualMachine {
    /// Writes this VM's migration stream as QEMU 7.2 does: the configuration, RAM (the block
    /// list in START, every page in one PART, END), `timer`, `globalstate` with `runState`, the
    /// model's sections (not for `-M none`), EOF and the JSON description. `output` gets the
    /// bytes in pieces of about a MiB.
    public func writeMigrationStream(runState: RunState, output: ([UInt8]) throws -> Void) rethrows {
        let pump = StreamPump(machine: self)
        pump.finish(runState: runState)
        while let piece = pump.produce() {
            if !piece.isEmpty { try output(piece) }
        }
    }

    /// The device sections after RAM: `timer`, `globalstate`, then the model's own.
    func writeDeviceSections(_ w: inout StreamWriter, runState: RunState) {
        let config = configuration
        let ns = Int64(clamping: now.nanoseconds)
        w.device(StandardDevices.timer, id: SectionID.timer, values: StandardDevices.timerValues(ticksOffset: 0, clockOffset: ns))
        w.device(
            StandardDevices.globalState, id: SectionID.globalState, values: StandardDevices.globalStateValues(runState: runState.rawValue))
        guard !config.isMachineNone else { return }
        var guest = FieldEncoder()
        guest.uint64(config.ramSize)
        guest.uint32(UInt32(config.pageSize))
        guest.uint32(UInt32(config.vcpus))
        guest.uint64(workload.dirtyPagesPerSecond)
        guest.uint8(workload.zeroPercent)
        guest.uint64(workload.hotSetBytes)
        guest.uint64(pagesWritten)
        var id = SectionID.firstModel
        w.device(ModelDevices.guest, id: id, values: guest)
        for (i, disk) in config.disks.enumerated() {
            id += 1
            var d = FieldEncoder()
            d.buffer(disk.device, size: 32)
            d.buffer(disk.media.rawValue, size: 16)
            d.uint64(disk.size)
            w.device(ModelDevices.drive(instance: UInt32(i)), id: id, values: d)
        }
    }

    /// The device descriptions this VM reads when a stream brings none of its own.
    var knownDevices: [DeviceDescription] { ModelDevices.known(disks: configuration.disks.count) }
}

/// Applies a stream's records to a destination VM, checking what QEMU's loader checks.
struct StreamLoader {
    let machine: VirtualMachine
    var digest = RAMDigest()
    var blocks: [RAMBlock] = []
    var normalPages: UInt64 = 0
    var zeroPages: UInt64 = 0
    var runState: String?
    var guest: DeviceState?
    var sawEnd = false
    var sawDescription = false
    private var nameHashes: [String: UInt64] = [:]
    /// The hash each page has now, per block: pages sent again replace what they had.
    private var pageHashes: [String: [UInt64]] = [:]

    init(machine: VirtualMachine) { self.machine = machine }

    mutating func apply(_ decoded: DecodedRecord) throws(StreamError) {
        let config = machine.configuration
        switch decoded.record {
        case .ramBlocks(_, let list):
            for block in list {
                if config.ramSize == 0 {
                    throw StreamError(offset: decoded.offset, "Unknown ramblock \"\(block.name)\", cannot accept migration")
                }
                if block.name == GuestMemoryLayout.blockName, block.length != config.totalPages * config.pageSize {
                    throw StreamError(
                        offset: decoded.offset,
                        "Length mismatch: \(block.name): 0x\(String(block.length, radix: 16)) in != 0x\(String(config.totalPages * config.pageSize, radix: 16)): Invalid argument"
                    )
                }
                nameHashes[block.name] = RAMDigest.nameHash(block.name)
            }
            // QEMU's ROM blocks come on top of RAM; more than that is not a stream for this VM.
            let total = list.reduce(0) { $0 + $1.length }
            let allowed = config.totalPages * config.pageSize + (64 << 20)
            if total > allowed {
                throw StreamError(offset: decoded.offset, "RAM blocks of \(total) bytes: expected at most \(allowed) for this VM's RAM")
            }
            for block in list { pageHashes[block.name] = [UInt64](repeating: 0, count: Int(block.length / config.pageSize)) }
            blocks = list
        case .page(let block, let offset, let data):
            let hash = data.withUnsafeBytes { RAMDigest.pageHash($0) }
            store(block: block, offset: offset, hash: hash)
            normalPages += 1
        case .zeroPage(let block, let offset, let fill):
            let word = UInt64(fill) &* 0x0101_0101_0101_0101
            let n = config.pageSize / 8
            store(block: block, offset: offset, hash: word &* (n &* n))
            zeroPages += 1
        case .device(let device):
            switch device.name {
            case KnownSection.globalState: runState = StandardDevices.runState(from: device)
            case ModelDevices.guest.name: guest = device
            default: break  // read and checked against its description; nothing to apply
            }
        case .endOfState:
            sawEnd = true
        case .vmDescription:
            sawDescription = true
        default:
            break
        }
    }

    private mutating func store(block: String, offset: UInt64, hash: UInt64) {
        let index = Int(offset / machine.configuration.pageSize)
        let old = pageHashes[block]?[index] ?? 0
        pageHashes[block]?[index] = hash
        digest.replace(nameHash: nameHashes[block] ?? RAMDigest.nameHash(block), offset: offset, old: old, new: hash)
    }
}

extension MigrationEngine {
    /// Loads the stream in the file at `path` from `offset` into this (incoming) VM, as
    /// QEMU's `qemu_loadvm_state()` does; on success the VM leaves `inmigrate`.
    func loadStream(path: String, offset: UInt64) {
        var loader = StreamLoader(machine: machine)
        do throws(StreamError) {
            try StreamFile.read(path: path, offset: offset, fallback: machine.knownDevices) { (record) throws(StreamError) in
                try loader.apply(record)
            }
        } catch {
            incoming.status = .failed
            setError("load of migration failed: \(error.description)")
            if capabilities[.events] { machine.events.emit(MigrationEvent(status: .failed), at: machine.now) }
            return
        }
        finishIncoming(loader)
    }

    /// QEMU's `process_incoming_migration_bh()`: the received run state decides whether the
    /// guest runs.
    func finishIncoming(_ loader: StreamLoader) {
        machine.receivedRAM = ReceivedRAM(
            blocks: loader.blocks, digest: loader.digest, normalPages: loader.normalPages, zeroPages: loader.zeroPages)
        if let guest = loader.guest {
            var workload = machine.workload
            if case .uint(let v)? = guest.field("dirty_rate") { workload.dirtyPagesPerSecond = v }
            if case .uint(let v)? = guest.field("zero_percent") { workload.zeroPercent = UInt8(min(v, 100)) }
            if case .uint(let v)? = guest.field("hot_set") { workload.hotSetBytes = v }
            machine.setWorkload(workload)
            if case .uint(let v)? = guest.field("pages_written") { machine.pagesWritten = v }
        }
        incoming.status = .completed
        if capabilities[.events] { machine.events.emit(MigrationEvent(status: .completed), at: machine.now) }
        let received = loader.runState.flatMap(RunState.init(rawValue:))
        if received == nil || received == .running {
            machine.setRunState(machine.autostart ? .running : .paused)
        } else if let received {
            machine.setRunState(received)
        }
    }
}

/// A file the outgoing stream goes to (`file:PATH[,offset=N]`), opened when the migration
/// starts as QEMU's `file_start_outgoing_migration()` does.
final class StreamOutputFile {
    let fd: Int32
    let path: String

    init(path: String, offset: UInt64) throws(QMPError) {
        self.path = path
        let flags = O_CREAT | O_WRONLY | O_CLOEXEC | (offset == 0 ? O_TRUNC : 0)
        fd = open(path, flags, 0o600)
        guard fd >= 0 else { throw QMPError.generic("Unable to open \(path): \(String(cString: strerror(errno)))") }
        if offset > 0, lseek(fd, off_t(offset), SEEK_SET) < 0 {
            let text = String(cString: strerror(errno))
            Glibc.close(fd)
            throw QMPError.generic("Unable to seek to offset \(offset) in \(path): \(text)")
        }
    }

    struct WriteError: Error { var text: String }

    func write(_ bytes: [UInt8]) throws(WriteError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw WriteError(text: String(cString: strerror(errno)))
            }
            done += n
        }
    }

    func close() { Glibc.close(fd) }
}
