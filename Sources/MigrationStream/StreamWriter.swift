/// Writes a migration stream the way QEMU 7.2 and later do (`qemu_savevm_state_header()`,
/// `save_section_header()`, `save_section_footer()`, `ram_save_setup()`,
/// `save_zero_page()`, `save_normal_page()`).
///
/// Bytes collect in `pending`; whoever owns the writer takes them (`takePending()`) to a
/// file or socket, so a stream of any size needs only as much memory as is not yet sent.
public struct StreamWriter {
    public private(set) var pending: [UInt8] = []
    /// Bytes written so far, taken or not.
    public private(set) var bytesWritten: UInt64 = 0
    public let pageSize: Int
    private var lastBlock: String?
    private var descriptions: [DeviceDescription] = []

    public init(pageSize: Int = StreamFormat.defaultPageSize) {
        self.pageSize = pageSize
        pending.reserveCapacity(1 << 16)
    }

    /// Hands over the bytes written since the last call.
    public mutating func takePending() -> [UInt8] {
        defer { pending.removeAll(keepingCapacity: true) }
        return pending
    }

    // MARK: - Primitives

    public mutating func put8(_ v: UInt8) {
        pending.append(v)
        bytesWritten += 1
    }

    public mutating func put16(_ v: UInt16) {
        pending.append(UInt8(v >> 8))
        pending.append(UInt8(truncatingIfNeeded: v))
        bytesWritten += 2
    }

    public mutating func put32(_ v: UInt32) {
        withUnsafeBytes(of: v.bigEndian) { pending.append(contentsOf: $0) }
        bytesWritten += 4
    }

    public mutating func put64(_ v: UInt64) {
        withUnsafeBytes(of: v.bigEndian) { pending.append(contentsOf: $0) }
        bytesWritten += 8
    }

    public mutating func putBytes<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        pending.append(contentsOf: bytes)
        bytesWritten += UInt64(bytes.count)
    }

    /// A name with its one-byte length (section idstr, RAM block name).
    private mutating func putShortString(_ s: String) {
        let utf8 = Array(s.utf8)
        precondition(utf8.count <= 255, "name longer than 255 bytes: \(s)")
        put8(UInt8(utf8.count))
        putBytes(utf8)
    }

    // MARK: - Stream structure

    /// Magic, version, and the configuration section with the machine name (nil: none, as
    /// for machines that skip it).
    public mutating func header(machine: String?) {
        put32(StreamFormat.magic)
        put32(StreamFormat.version)
        if let machine {
            put8(SectionType.configuration.rawValue)
            let utf8 = Array(machine.utf8)
            put32(UInt32(utf8.count))
            putBytes(utf8)
        }
    }

    /// START or FULL: id, name, instance, version.
    public mutating func sectionStart(_ type: SectionType, id: UInt32, name: String, instanceID: UInt32, version: UInt32) {
        precondition(type == .start || type == .full)
        put8(type.rawValue)
        put32(id)
        putShortString(name)
        put32(instanceID)
        put32(version)
    }

    /// PART or END: the id only.
    public mutating func sectionContinue(_ type: SectionType, id: UInt32) {
        precondition(type == .part || type == .end)
        put8(type.rawValue)
        put32(id)
        lastBlock = nil
    }

    public mutating func sectionFooter(id: UInt32) {
        put8(SectionType.footer.rawValue)
        put32(id)
    }

    /// A whole device section (FULL, values, footer); its description joins the JSON written
    /// by `finish(...)`.
    public mutating func device(_ description: DeviceDescription, id: UInt32, values: FieldEncoder) {
        sectionStart(.full, id: id, name: description.name, instanceID: description.instanceID, version: description.vmstate.version)
        putBytes(values.bytes)
        sectionFooter(id: id)
        descriptions.append(description)
    }

    /// QEMU_VM_EOF, then the JSON description of the device sections written.
    public mutating func finish(withDescription: Bool = true) {
        put8(SectionType.eof.rawValue)
        guard withDescription else { return }
        let json = Array(StreamDescription(pageSize: pageSize, devices: descriptions).json.utf8)
        put8(SectionType.vmDescription.rawValue)
        put32(UInt32(json.count))
        putBytes(json)
    }

    // MARK: - RAM records

    /// MEM_SIZE: the total, then each block's name and length.
    public mutating func ramBlocks(_ blocks: [RAMBlock]) {
        put64(blocks.reduce(0) { $0 + $1.length } | RAMFlag.memSize)
        for block in blocks {
            putShortString(block.name)
            put64(block.length)
        }
        lastBlock = nil
    }

    private mutating func pageHeader(block: String, offset: UInt64, flag: UInt64) {
        if block == lastBlock {
            put64(offset | flag | RAMFlag.continuePage)
        } else {
            put64(offset | flag)
            putShortString(block)
            lastBlock = block
        }
    }

    public mutating func zeroPage(block: String, offset: UInt64) {
        pageHeader(block: block, offset: offset, flag: RAMFlag.zero)
        put8(0)
    }

    public mutating func page(block: String, offset: UInt64, data: UnsafeRawBufferPointer) {
        precondition(data.count == pageSize)
        pageHeader(block: block, offset: offset, flag: RAMFlag.page)
        pending.append(contentsOf: data)
        bytesWritten += UInt64(pageSize)
    }

    /// EOS: end of the RAM records of this section.
    public mutating func ramEnd() {
        put64(RAMFlag.eos)
        lastBlock = nil
    }
}
