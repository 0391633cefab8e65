import MigrationStream
import QAPI

/// Produces an outgoing migration's stream piece by piece as the engine sends pages: the
/// header and block list at once, the first pass of RAM as far as the engine has got, and at
/// switch-over the rest of RAM, the pages the guest wrote since they were sent, the device
/// sections and the description. Memory stays bounded: at most one piece is built at a time.
final class StreamPump {
    unowned let machine: VirtualMachine
    private var writer: StreamWriter
    private let pageSize: UInt64
    private let totalPages: UInt64
    /// Next page of the first pass.
    private var cursor: UInt64 = 0
    private var hotIndex: UInt64 = 0
    /// Pages the engine has sent in its first pass; the pump does not run ahead of it.
    var allowedPages: UInt64 = 0
    /// Guest writes when the first pass started: pages written later are sent again.
    private let writesAtStart: UInt64
    private var phase = Phase.firstPass
    private let page: UnsafeMutableRawBufferPointer
    private var runState: RunState = .running
    private(set) var bytesProduced: UInt64 = 0

    private enum Phase { case firstPass, resend(next: UInt64, hot: UInt64), tail, done }

    static let pieceBytes = 1 << 20
    /// How far (in pages, 16 MiB of 4 KiB pages) the engine may run ahead of the connection.
    static let maxBacklogPages: UInt64 = 4096

    init(machine: VirtualMachine) {
        self.machine = machine
        let config = machine.configuration
        pageSize = config.pageSize
        totalPages = config.totalPages
        writer = StreamWriter(pageSize: Int(config.pageSize))
        writesAtStart = machine.pagesWritten
        page = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(config.pageSize), alignment: 8)
        writer.header(machine: config.machineType)
        let blocks = config.ramSize > 0 ? [RAMBlock(name: GuestMemoryLayout.blockName, length: totalPages * pageSize)] : []
        writer.sectionStart(.start, id: 2, name: KnownSection.ram, instanceID: 0, version: StreamFormat.ramVersion)
        writer.ramBlocks(blocks)
        writer.ramEnd()
        writer.sectionFooter(id: 2)
        // Pages go in one PART; a machine without RAM has none (as QEMU's -M none).
        if totalPages > 0 { writer.sectionContinue(.part, id: 2) }
    }

    deinit { page.deallocate() }

    /// First-pass pages the engine counts as sent that have not gone out yet.
    var backlogPages: UInt64 { allowedPages > cursor ? allowedPages - cursor : 0 }

    /// Still sending the first pass (the engine's first round).
    var inFirstPass: Bool { cursor < totalPages && !finishing }

    /// Switch-over: everything left may go, with `runState` in `globalstate`.
    func finish(runState: RunState) {
        self.runState = runState
        allowedPages = totalPages
        finishing = true
    }

    private var finishing = false

    /// The next piece: empty when the engine has not got further, nil when all is produced.
    func produce() -> [UInt8]? {
        let layout = machine.memoryLayout
        let name = GuestMemoryLayout.blockName
        while writer.pending.count < Self.pieceBytes {
            switch phase {
            case .firstPass:
                if cursor >= totalPages || (cursor >= allowedPages && finishing) {
                    if !finishing { break }
                    phase = .resend(next: 0, hot: 0)
                    continue
                }
                if cursor >= allowedPages { return take() }
                emit(cursor, layout: layout, hotIndex: &hotIndex, name: name)
                cursor += 1
            case .resend(var p, var hot):
                // Hot pages the guest wrote after the first pass began.
                let written = layout.pagesWritten &- writesAtStart
                while p < totalPages && writer.pending.count < Self.pieceBytes {
                    if !layout.isZero(p) {
                        let j = hot
                        hot += 1
                        if j < layout.hotPages && written > 0 && (written >= layout.hotPages || touched(j, layout: layout)) {
                            var index = j
                            emit(p, layout: layout, hotIndex: &index, name: name)
                        }
                    }
                    p += 1
                }
                phase = p >= totalPages ? .tail : .resend(next: p, hot: hot)
            case .tail:
                if totalPages > 0 {
                    writer.ramEnd()
                    writer.sectionFooter(id: 2)
                }
                writer.sectionContinue(.end, id: 2)
                writer.ramEnd()
                writer.sectionFooter(id: 2)
                machine.writeDeviceSections(&writer, runState: runState)
                writer.finish()
                phase = .done
            case .done:
                let rest = take()
                return rest.isEmpty ? nil : rest
            }
            if case .firstPass = phase, cursor >= allowedPages, !finishing { break }
        }
        return take()
    }

    /// Whether hot page `j` was written since the first pass began (writes go round the hot set).
    private func touched(_ j: UInt64, layout: GuestMemoryLayout) -> Bool {
        let h = layout.hotPages
        let start = writesAtStart % h
        let count = layout.pagesWritten &- writesAtStart
        let offset = (j + h - start) % h
        return offset < count
    }

    private func emit(_ p: UInt64, layout: GuestMemoryLayout, hotIndex: inout UInt64, name: String) {
        if layout.isZero(p) {
            writer.zeroPage(block: name, offset: p * pageSize)
            return
        }
        let g = layout.generation(hotIndex: hotIndex)
        hotIndex += 1
        let words = GuestMemoryLayout.words(page: p, generation: g)
        GuestMemoryLayout.fill(page, a: words.a, b: words.b)
        writer.page(block: name, offset: p * pageSize, data: UnsafeRawBufferPointer(page))
    }

    private func take() -> [UInt8] {
        let bytes = writer.takePending()
        bytesProduced += UInt64(bytes.count)
        return bytes
    }
}
