/// Reads a migration stream strictly, record by record, from bytes fed in any pieces (a
/// file read in chunks, a socket as data arrives).
///
/// `next()` answers the next complete record, nil when it needs more input, and throws a
/// `StreamError` naming the offset and what was expected for anything QEMU's loader
/// (`qemu_loadvm_state()`, `ram_load()`) would refuse, and for a stream that ends early once
/// `finish()` says no more input comes. Memory stays bounded: no record is larger than
/// `StreamLimits.maxRecordBytes`, and consumed input is dropped.
public struct StreamDecoder {
    private enum State: Equatable {
        case header, top, ram(section: UInt32), device(section: UInt32), footer(section: UInt32), afterEOF, done
    }

    private struct OpenSection {
        var name: String
        var instanceID: UInt32
        var version: UInt32
        var ended = false
    }

    private var buffer: [UInt8] = []
    private var position = 0
    /// Stream offset of `buffer[0]`.
    private var base: UInt64 = 0
    private var inputEnded = false
    private var state = State.header
    private var devices: [String: DeviceDescription] = [:]
    private var configurationDescription: VMStateDescription?
    private var sections: [UInt32: OpenSection] = [:]
    private var blocks: [String: UInt64] = [:]
    private var lastBlock: String?
    private var sawSection = false
    private var sawConfiguration = false
    private var valuesRead = 0

    /// Page size of the stream's RAM records.
    public private(set) var pageSize: Int
    /// Whether QEMU's end marker and the stream's end were both seen.
    public var isComplete: Bool { state == .done || (state == .afterEOF && inputEnded && position == buffer.count) }
    /// Offset of the next byte to read.
    public var offset: UInt64 { base + UInt64(position) }

    /// - Parameters:
    ///   - description: what the stream's devices are (from its trailing JSON, or what the
    ///     reader itself knows); sections it does not list are refused.
    public init(description: StreamDescription) {
        pageSize = description.pageSize
        configurationDescription = description.configuration
        for d in description.devices { devices[Self.key(d.name, d.instanceID)] = d }
    }

    private static func key(_ name: String, _ instance: UInt32) -> String { "\(name)\u{0}\(instance)" }

    /// More input.
    public mutating func feed<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        if position > 0 && (position >= 1 << 20 || position == buffer.count) {
            buffer.removeSubrange(0..<position)
            base += UInt64(position)
            position = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// No more input comes: a record cut short is now an error.
    public mutating func finish() { inputEnded = true }

    /// The next record; nil when more input is needed, or at the end of a complete stream.
    public mutating func next() throws(StreamError) -> DecodedRecord? {
        let start = position
        // Reading a record may change the reader's state before it finds the record cut
        // short; the state it had is put back then, and the record read again later.
        let before = self
        var cursor = Cursor(bytes: buffer, position: position, base: base)
        let failure: ReadFailure
        do {
            guard let record = try read(&cursor) else { return nil }
            position = cursor.position
            return DecodedRecord(record: record, offset: base + UInt64(start), length: cursor.position - start)
        } catch {
            failure = error
        }
        switch failure {
        case .needMore(let expected):
            self = before
            if inputEnded {
                throw StreamError(offset: base + UInt64(buffer.count), "the stream ends early: expected \(expected)")
            }
            if buffer.count - start > StreamLimits.maxRecordBytes + 65_536 {
                throw StreamError(offset: base + UInt64(start), "record larger than \(StreamLimits.maxRecordBytes) bytes")
            }
            return nil
        case .stream(let error):
            throw error
        }
    }

    // MARK: - Records

    private mutating func read(_ c: inout Cursor) throws(ReadFailure) -> StreamRecord? {
        switch state {
        case .header:
            let magic = try c.u32("the magic \"QEVM\"")
            guard magic == StreamFormat.magic else {
                throw c.fail(at: c.position - 4, "bad magic 0x\(String(magic, radix: 16)): expected 0x5145564d (\"QEVM\")")
            }
            let version = try c.u32("the stream version")
            if version == StreamFormat.obsoleteVersion {
                throw c.fail(at: c.position - 4, "stream version 2 is obsolete (SaveVM v2 format): expected 3")
            }
            guard version == StreamFormat.version else {
                throw c.fail(at: c.position - 4, "unsupported stream version \(version): expected 3")
            }
            state = .top
            return .header(version: version)
        case .top:
            return try readTop(&c)
        case .ram(let id):
            return try readRAM(&c, section: id)
        case .device(let id):
            guard let open = sections[id], let device = devices[Self.key(open.name, open.instanceID)] else { return nil }
            let fields = try readFields(&c, device.vmstate, context: "'\(open.name)'", depth: 0)
            state = .footer(section: id)
            return .device(DeviceState(name: open.name, instanceID: open.instanceID, version: open.version, fields: fields))
        case .footer(let id):
            let at = c.position
            let marker = try c.u8("the footer of section \(id)")
            guard marker == SectionType.footer.rawValue else {
                throw c.fail(
                    at: at, "missing footer for section \(id) (\(sections[id]?.name ?? "?")): expected 0x7e, found 0x\(Self.hex(marker))")
            }
            let read = try c.u32("the section id in the footer")
            guard read == id else {
                throw c.fail(at: at + 1, "mismatched section id in footer: read \(read), expected \(id)")
            }
            state = .top
            return .sectionFooter(id: id)
        case .afterEOF:
            if c.remaining == 0 {
                if inputEnded { state = .done }
                return nil
            }
            let at = c.position
            let type = try c.u8("the VM description")
            guard type == SectionType.vmDescription.rawValue else {
                throw c.fail(at: at, "expected the VM description (0x06) or the end after EOF, found 0x\(Self.hex(type))")
            }
            let length = try c.u32("the VM description's length")
            guard length <= StreamLimits.maxRecordBytes else {
                throw c.fail(at: at + 1, "VM description of \(length) bytes: expected at most \(StreamLimits.maxRecordBytes)")
            }
            let textOffset = c.offset
            let json = try c.take(Int(length), "\(length) bytes of VM description")
            let (description, _) = try Self.wrap { () throws(StreamError) in try StreamDescription.parse(json, offset: textOffset) }
            state = .done
            return .vmDescription(json: json, description: description)
        case .done:
            guard c.remaining == 0 else {
                throw c.fail(at: c.position, "\(c.remaining) bytes after the VM description: expected the end of the stream")
            }
            return nil
        }
    }

    private mutating func readTop(_ c: inout Cursor) throws(ReadFailure) -> StreamRecord? {
        let at = c.position
        let byte = try c.u8("a section type")
        guard let type = SectionType(rawValue: byte) else {
            throw c.fail(at: at, "unknown section type 0x\(Self.hex(byte)): expected 0x00 to 0x08")
        }
        switch type {
        case .configuration:
            guard !sawSection && !sawConfiguration else {
                throw c.fail(at: at, "configuration section after other sections: expected it right after the header")
            }
            sawConfiguration = true
            if let configurationDescription {
                let fields = try readFields(&c, configurationDescription, context: "configuration", depth: 0)
                var name = ""
                if case .bytes(let b)? = fields.first(where: { $0.name == "name" })?.value { name = String(decoding: b, as: UTF8.self) }
                return .configuration(machine: name)
            }
            let length = try c.u32("the machine name's length")
            guard length <= StreamLimits.maxMachineNameBytes else {
                throw c.fail(at: at + 1, "machine name of \(length) bytes: expected at most \(StreamLimits.maxMachineNameBytes)")
            }
            let name = try c.take(Int(length), "the machine name")
            return .configuration(machine: String(decoding: name, as: UTF8.self))
        case .start, .full:
            sawSection = true
            let id = try c.u32("a section id")
            let nameLength = Int(try c.u8("the section name's length"))
            let name = String(decoding: try c.take(nameLength, "the section name"), as: UTF8.self)
            let instance = try c.u32("the instance id of '\(name)'")
            let version = try c.u32("the version of '\(name)'")
            if sections[id] != nil {
                throw c.fail(at: at + 1, "section id \(id) used twice: expected a new id for '\(name)'")
            }
            let header = SectionHeader(type: type, id: id, name: name, instanceID: instance, version: version)
            if name == KnownSection.ram && instance == 0 {
                guard version == StreamFormat.ramVersion else {
                    throw c.fail(at: c.position - 4, "RAM section version \(version): expected 4")
                }
                guard type == .start else { throw c.fail(at: at, "RAM sent as a FULL section: expected START") }
                sections[id] = OpenSection(name: name, instanceID: instance, version: version)
                state = .ram(section: id)
                return .sectionHeader(header)
            }
            guard let device = devices[Self.key(name, instance)] else {
                throw c.fail(at: at + 5, "unknown section '\(name)' instance \(instance): expected a section the VM description lists")
            }
            guard type == .full else {
                throw c.fail(at: at, "section '\(name)' is iterative (START): only RAM is read in parts")
            }
            guard version <= device.vmstate.version else {
                throw c.fail(at: c.position - 4, "unsupported version \(version) for '\(name)': expected at most \(device.vmstate.version)")
            }
            sections[id] = OpenSection(name: name, instanceID: instance, version: version, ended: true)
            state = .device(section: id)
            return .sectionHeader(header)
        case .part, .end:
            sawSection = true
            let id = try c.u32("a section id")
            guard var open = sections[id], !open.ended else {
                throw c.fail(
                    at: at + 1,
                    sections[id] == nil
                        ? "\(type.name) for section \(id), which was never started: expected the id of a START section"
                        : "\(type.name) for section \(id) (\(sections[id]!.name)), which has ended")
            }
            if type == .end { open.ended = true }
            sections[id] = open
            state = .ram(section: id)
            return .sectionHeader(SectionHeader(type: type, id: id, name: open.name, instanceID: open.instanceID, version: open.version))
        case .eof:
            state = .afterEOF
            return .endOfState
        case .command:
            let command = try c.u16("the command type")
            let length = try c.u16("the command length")
            if command == 8 { throw c.fail(at: at + 1, "postcopy packaged command: expected a precopy stream") }
            let data = try c.take(Int(length), "\(length) bytes of command data")
            return .command(type: command, data: Array(data))
        case .subsection, .footer, .vmDescription:
            throw c.fail(at: at, "\(type.name) (0x\(Self.hex(byte))) where a section was expected")
        }
    }

    private mutating func readRAM(_ c: inout Cursor, section: UInt32) throws(ReadFailure) -> StreamRecord? {
        let at = c.position
        let header = try c.u64("a RAM record header")
        let mask = UInt64(pageSize - 1)
        var flags = header & mask
        let address = header & ~mask
        if flags & RAMFlag.memSize != 0 {
            guard flags == RAMFlag.memSize else {
                throw c.fail(at: at, "RAM flags 0x\(String(flags, radix: 16)) with MEM_SIZE: expected MEM_SIZE alone")
            }
            guard blocks.isEmpty else { throw c.fail(at: at, "a second RAM block list: expected one per stream") }
            var remaining = address
            var list: [RAMBlock] = []
            while remaining > 0 {
                guard list.count < StreamLimits.maxRAMBlocks else {
                    throw c.fail(at: c.position, "more than \(StreamLimits.maxRAMBlocks) RAM blocks")
                }
                let nameAt = c.position
                let length = Int(try c.u8("a RAM block name's length"))
                guard length > 0 else { throw c.fail(at: nameAt, "RAM block with an empty name") }
                let name = String(decoding: try c.take(length, "a RAM block name"), as: UTF8.self)
                let size = try c.u64("the length of RAM block '\(name)'")
                guard size > 0, size <= remaining else {
                    throw c.fail(
                        at: c.position - 8, "RAM block '\(name)' of \(size) bytes: expected 1 to the \(remaining) bytes the total leaves")
                }
                guard blocks[name] == nil else { throw c.fail(at: nameAt, "RAM block '\(name)' listed twice") }
                blocks[name] = size
                list.append(RAMBlock(name: name, length: size))
                remaining -= size
            }
            return .ramBlocks(total: address, blocks: list)
        }
        if flags & RAMFlag.eos != 0 {
            guard flags == RAMFlag.eos else {
                throw c.fail(at: at, "RAM flags 0x\(String(flags, radix: 16)) with EOS: expected EOS alone")
            }
            // QEMU's loader remembers the block across sections (`ram_block_from_stream()`).
            state = .footer(section: section)
            return .ramEnd
        }
        if flags == RAMFlag.multifdFlush { return .multifdFlush }
        let isZero = flags & RAMFlag.zero != 0
        let isPage = flags & RAMFlag.page != 0
        let continues = flags & RAMFlag.continuePage != 0
        flags &= ~(RAMFlag.zero | RAMFlag.page | RAMFlag.continuePage)
        guard isZero != isPage, flags == 0 else {
            let all = header & mask
            let why =
                all & (RAMFlag.xbzrle | RAMFlag.compressPage | RAMFlag.hook | RAMFlag.full) != 0
                ? "XBZRLE, compressed and hook records are not read" : "unknown combination of RAM flags"
            throw c.fail(at: at, "RAM flags 0x\(String(all, radix: 16)): \(why); expected ZERO or PAGE, with CONTINUE, MEM_SIZE or EOS")
        }
        let block: String
        if continues {
            guard let last = lastBlock else {
                throw c.fail(at: at, "CONTINUE page with no previous page in this section: expected the block name")
            }
            block = last
        } else {
            let length = Int(try c.u8("a RAM block name's length"))
            block = String(decoding: try c.take(length, "a RAM block name"), as: UTF8.self)
        }
        guard let blockLength = blocks[block] else {
            throw c.fail(at: at + 8, "page for unknown RAM block '\(block)': expected one of the MEM_SIZE list")
        }
        guard address < blockLength, blockLength - address >= UInt64(pageSize) else {
            throw c.fail(
                at: at, "page at 0x\(String(address, radix: 16)) outside RAM block '\(block)' of 0x\(String(blockLength, radix: 16)) bytes")
        }
        lastBlock = block
        if isZero {
            let fill = try c.u8("the fill byte of a zero page")
            return .zeroPage(block: block, offset: address, fill: fill)
        }
        let data = try c.take(pageSize, "\(pageSize) bytes of page data")
        return .page(block: block, offset: address, data: data)
    }

    // MARK: - Device fields

    private mutating func readFields(
        _ c: inout Cursor, _ vmstate: VMStateDescription, context: String, depth: Int
    ) throws(ReadFailure) -> [DecodedField] {
        var out: [DecodedField] = []
        out.reserveCapacity(vmstate.fields.count)
        for field in vmstate.fields {
            if let count = field.arrayLength {
                var values: [FieldValue] = []
                for _ in 0..<count { values.append(try readValue(&c, field, context: context, depth: depth)) }
                out.append(DecodedField(name: field.name, type: field.type, value: .array(values)))
            } else {
                out.append(
                    DecodedField(name: field.name, type: field.type, value: try readValue(&c, field, context: context, depth: depth)))
            }
        }
        for sub in vmstate.subsections {
            let at = c.position
            let marker = try c.u8("subsection '\(sub.vmsdName)' of \(context)")
            guard marker == SectionType.subsection.rawValue else {
                throw c.fail(at: at, "subsection '\(sub.vmsdName)' of \(context) not found: expected 0x05, found 0x\(Self.hex(marker))")
            }
            let length = Int(try c.u8("a subsection name's length"))
            let name = String(decoding: try c.take(length, "a subsection name"), as: UTF8.self)
            guard name == sub.vmsdName else {
                throw c.fail(at: at + 2, "subsection '\(name)' in \(context): expected '\(sub.vmsdName)'")
            }
            _ = try c.u32("the version of subsection '\(name)'")
            let fields = try readFields(&c, sub, context: "subsection '\(name)'", depth: depth + 1)
            out.append(DecodedField(name: name, type: "subsection", value: .structure(fields)))
        }
        return out
    }

    private mutating func readValue(
        _ c: inout Cursor, _ field: VMStateField, context: String, depth: Int
    ) throws(ReadFailure) -> FieldValue {
        valuesRead += 1
        guard valuesRead <= 1 << 20 else { throw c.fail(at: c.position, "more than 1048576 values in the device sections") }
        let what = "field '\(field.name)' of \(context)"
        switch field.type {
        case "struct":
            guard let s = field.structure, depth < 32 else { throw c.fail(at: c.position, "\(what) has no structure") }
            return .structure(try readFields(&c, s, context: what, depth: depth + 1))
        case "capability":
            let length = Int(try c.u8(what))
            return .capability(String(decoding: try c.take(length, what), as: UTF8.self))
        default:
            let bytes = try c.take(field.size, "\(field.size) bytes of \(what)")
            switch field.type {
            case "bool":
                return .bool(bytes.contains { $0 != 0 })
            case "nullptr":
                guard bytes.count == 1, bytes.first == 0x30 else {
                    throw c.fail(at: c.position - field.size, "\(what): expected the NULL pointer marker '0'")
                }
                return .nullPointer
            case "int8", "int16", "int32", "int64", "int32 equal", "int64 equal", "int32 le":
                guard [1, 2, 4, 8].contains(bytes.count) else { return .bytes(Array(bytes)) }
                let raw = field.type == "int32 le" ? Self.littleEndian(bytes) : Self.bigEndian(bytes)
                let shift = UInt64(64 - 8 * bytes.count)
                return .int(Int64(bitPattern: raw << shift) >> Int64(shift))
            case "uint8", "uint16", "uint32", "uint64", "uint32 equal", "uint8 equal", "uint16 equal":
                guard [1, 2, 4, 8].contains(bytes.count) else { return .bytes(Array(bytes)) }
                return .uint(Self.bigEndian(bytes))
            default:
                return .bytes(Array(bytes))
            }
        }
    }

    private static func bigEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 { bytes.reduce(0) { $0 << 8 | UInt64($1) } }
    private static func littleEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 { bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) } }

    static func hex(_ byte: UInt8) -> String { byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }

    private static func wrap<T>(_ body: () throws(StreamError) -> T) throws(ReadFailure) -> T {
        do { return try body() } catch { throw .stream(error) }
    }
}

enum ReadFailure: Error {
    case needMore(String)
    case stream(StreamError)
}

/// Bounds-checked big-endian reads over the decoder's buffer.
struct Cursor {
    let bytes: [UInt8]
    var position: Int
    let base: UInt64

    var remaining: Int { bytes.count - position }
    var offset: UInt64 { base + UInt64(position) }

    func fail(at index: Int, _ message: String) -> ReadFailure {
        .stream(StreamError(offset: base + UInt64(index), message))
    }

    mutating func take(_ count: Int, _ what: @autoclosure () -> String) throws(ReadFailure) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            if count > StreamLimits.maxRecordBytes {
                throw fail(at: position, "\(count) bytes of \(what()): expected at most \(StreamLimits.maxRecordBytes)")
            }
            throw .needMore(what())
        }
        defer { position += count }
        return bytes[position..<position + count]
    }

    mutating func u8(_ what: @autoclosure () -> String) throws(ReadFailure) -> UInt8 {
        guard remaining >= 1 else { throw .needMore(what()) }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u16(_ what: @autoclosure () -> String) throws(ReadFailure) -> UInt16 {
        UInt16(truncatingIfNeeded: try fixed(2, what()))
    }

    mutating func u32(_ what: @autoclosure () -> String) throws(ReadFailure) -> UInt32 {
        UInt32(truncatingIfNeeded: try fixed(4, what()))
    }

    mutating func u64(_ what: @autoclosure () -> String) throws(ReadFailure) -> UInt64 { try fixed(8, what()) }

    private mutating func fixed(_ n: Int, _ what: @autoclosure () -> String) throws(ReadFailure) -> UInt64 {
        guard remaining >= n else { throw .needMore(what()) }
        var v: UInt64 = 0
        for i in position..<position + n { v = v << 8 | UInt64(bytes[i]) }
        position += n
        return v
    }
}
