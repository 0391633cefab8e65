/// A RAM block from the MEM_SIZE list.
public struct RAMBlock: Sendable, Hashable {
    public var name: String
    public var length: UInt64

    public init(name: String, length: UInt64) {
        self.name = name
        self.length = length
    }
}

/// The header of a section: `START`/`FULL` carry the name, instance and version; `PART`/`END`
/// only the id, and the reader fills in the rest from the section's start.
public struct SectionHeader: Sendable, Hashable {
    public var type: SectionType
    public var id: UInt32
    public var name: String
    public var instanceID: UInt32
    public var version: UInt32

    public init(type: SectionType, id: UInt32, name: String, instanceID: UInt32, version: UInt32) {
        self.type = type
        self.id = id
        self.name = name
        self.instanceID = instanceID
        self.version = version
    }
}

/// A device section's values, read as its description says.
public struct DeviceState: Sendable, Hashable {
    public var name: String
    public var instanceID: UInt32
    public var version: UInt32
    public var fields: [DecodedField]

    public func field(_ name: String) -> FieldValue? { fields.first { $0.name == name }?.value }
}

/// One record of the stream, in the order it appears.
public enum StreamRecord: Sendable {
    case header(version: UInt32)
    case configuration(machine: String)
    case sectionHeader(SectionHeader)
    /// RAM: the block list (MEM_SIZE).
    case ramBlocks(total: UInt64, blocks: [RAMBlock])
    /// RAM: a page whose bytes all equal `fill`.
    case zeroPage(block: String, offset: UInt64, fill: UInt8)
    /// RAM: a page in full.
    case page(block: String, offset: UInt64, data: ArraySlice<UInt8>)
    case multifdFlush
    /// RAM: end of this section's records (EOS).
    case ramEnd
    case device(DeviceState)
    case sectionFooter(id: UInt32)
    case command(type: UInt16, data: [UInt8])
    /// `QEMU_VM_EOF`: the device state is complete.
    case endOfState
    /// The JSON description after the end, verbatim, and what it says.
    case vmDescription(json: ArraySlice<UInt8>, description: StreamDescription)
}

/// A record with its place in the stream.
public struct DecodedRecord: Sendable {
    public var record: StreamRecord
    /// Offset of its first byte.
    public var offset: UInt64
    /// Its length in bytes.
    public var length: Int
}
