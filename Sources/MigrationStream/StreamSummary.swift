#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a whole stream holds: the decipherer's view of it.
public struct StreamSummary: Sendable {
    public struct Section: Sendable, Hashable {
        public var id: UInt32
        public var name: String
        public var instanceID: UInt32
        public var version: UInt32
        /// START, PART, END, FULL in the order they came (PARTs counted).
        public var parts: [SectionType]
        /// Bytes of its headers, payloads and footers.
        public var bytes: UInt64
        /// Offset of its first byte.
        public var offset: UInt64
    }

    public struct Block: Sendable, Hashable {
        public var name: String
        public var length: UInt64
        public var normalPages: UInt64 = 0
        public var zeroPages: UInt64 = 0
        /// Bytes of its page records.
        public var bytes: UInt64 = 0
    }

    public var version: UInt32 = 0
    public var machine: String?
    public var pageSize = StreamFormat.defaultPageSize
    public var sections: [Section] = []
    public var blocks: [Block] = []
    public var devices: [DeviceState] = []
    public var commands: [UInt16] = []
    public var totalBytes: UInt64 = 0
    /// Where QEMU_VM_EOF was.
    public var endOffset: UInt64?
    /// The VM description verbatim, and what it says.
    public var descriptionJSON: String?
    public var description: StreamDescription?
    public var multifdFlushes = 0

    public init() {}

    /// Adds a record to the summary.
    public mutating func add(_ decoded: DecodedRecord) {
        let length = UInt64(decoded.length)
        switch decoded.record {
        case .header(let v):
            version = v
        case .configuration(let m):
            machine = m
        case .sectionHeader(let h):
            if let i = sections.firstIndex(where: { $0.id == h.id }) {
                sections[i].parts.append(h.type)
            } else {
                sections.append(
                    Section(
                        id: h.id, name: h.name, instanceID: h.instanceID, version: h.version, parts: [h.type], bytes: 0,
                        offset: decoded.offset))
            }
            currentSection = sections.firstIndex { $0.id == h.id }
        case .ramBlocks(_, let list):
            blocks = list.map { Block(name: $0.name, length: $0.length) }
        case .zeroPage(let block, _, _):
            if let i = blockIndex(block) {
                blocks[i].zeroPages += 1
                blocks[i].bytes += length
            }
        case .page(let block, _, _):
            if let i = blockIndex(block) {
                blocks[i].normalPages += 1
                blocks[i].bytes += length
            }
        case .multifdFlush:
            multifdFlushes += 1
        case .device(let d):
            devices.append(d)
        case .command(let type, _):
            commands.append(type)
        case .endOfState:
            endOffset = decoded.offset
        case .vmDescription(let json, let d):
            descriptionJSON = String(decoding: json, as: UTF8.self)
            description = d
            pageSize = d.pageSize
        case .ramEnd, .sectionFooter:
            break
        }
        if let i = currentSection { sections[i].bytes += length }
        if case .sectionFooter = decoded.record { currentSection = nil }
        totalBytes = decoded.offset + length
    }

    private var currentSection: Int?
    private var lastBlockIndex = 0

    private mutating func blockIndex(_ name: String) -> Int? {
        if lastBlockIndex < blocks.count, blocks[lastBlockIndex].name == name { return lastBlockIndex }
        guard let i = blocks.firstIndex(where: { $0.name == name }) else { return nil }
        lastBlockIndex = i
        return i
    }
}

/// Reads stream files.
public enum StreamFile {
    /// Reads the file at `path` from `offset` to its end and summarises it; the device
    /// sections are read as the description at the end of the file says (or, without one,
    /// as `fallback` says).
    public static func summarize(
        path: String, offset: UInt64 = 0, fallback: [DeviceDescription] = StandardDevices.all
    ) throws(StreamError) -> StreamSummary {
        var summary = StreamSummary()
        try read(path: path, offset: offset, fallback: fallback) { record in summary.add(record) }
        return summary
    }

    /// Decodes the file at `path` and hands each record to `body`.
    public static func read(
        path: String, offset: UInt64 = 0, fallback: [DeviceDescription] = StandardDevices.all,
        _ body: (DecodedRecord) throws(StreamError) -> Void
    ) throws(StreamError) {
        let file = try InputFile(path: path)
        defer { file.close() }
        guard offset <= file.size else {
            throw StreamError(offset: 0, "offset \(offset) is past the end of \(path) (\(file.size) bytes)")
        }
        let description = try trailingDescription(file, from: offset) ?? StreamDescription(devices: fallback)
        var decoder = StreamDecoder(description: description)
        var position = offset
        let chunk = 4 << 20
        while true {
            let bytes = try file.read(at: position, count: chunk)
            position += UInt64(bytes.count)
            if bytes.isEmpty { decoder.finish() } else { decoder.feed(bytes) }
            // The decoder counts offsets from the start of the stream, not of the file.
            while let record = try decoder.next() { try body(record) }
            if bytes.isEmpty { break }
        }
        guard decoder.isComplete else {
            throw StreamError(offset: decoder.offset, "the stream ends before QEMU_VM_EOF: expected more sections or the end marker")
        }
    }

    /// The description QEMU appends after the end marker: found by its type byte and a
    /// length that reaches exactly to the end of the file.
    static func trailingDescription(_ file: InputFile, from start: UInt64) throws(StreamError) -> StreamDescription? {
        for window in [UInt64(1 << 20), UInt64(StreamLimits.maxRecordBytes + 5)] {
            let available = file.size - start
            let count = min(window, available)
            let tailStart = file.size - count
            let tail = try file.read(at: tailStart, count: Int(count))
            var p = tail.count - 5
            while p >= 0 {
                if tail[p] == SectionType.vmDescription.rawValue {
                    let length = tail[p + 1..<p + 5].reduce(0) { $0 << 8 | Int($1) }
                    if length == tail.count - p - 5, length > 0, tail[p + 5] == UInt8(ascii: "{") {
                        // Offsets in errors are relative to where the stream starts.
                        let textOffset = tailStart + UInt64(p + 5) - start
                        return try StreamDescription.parse(tail[(p + 5)...], offset: textOffset).0
                    }
                }
                p -= 1
            }
            if count == available { break }
        }
        return nil
    }
}

extension StandardDevices {
    /// Timer and global state.
    public static var all: [DeviceDescription] { [timer, globalState] }
}

/// A file opened for reading with pread(2).
final class InputFile {
    let fd: Int32
    let size: UInt64
    let path: String

    init(path: String) throws(StreamError) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StreamError(offset: 0, "cannot open \(path): \(String(cString: strerror(errno)))") }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let text = String(cString: strerror(errno))
            Glibc.close(fd)
            throw StreamError(offset: 0, "cannot read \(path): \(text)")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            Glibc.close(fd)
            throw StreamError(offset: 0, "cannot read \(path): Is a directory")
        }
        size = UInt64(st.st_size)
    }

    func read(at offset: UInt64, count: Int) throws(StreamError) -> [UInt8] {
        let wanted = Int(min(UInt64(count), size > offset ? size - offset : 0))
        guard wanted > 0 else { return [] }
        var done = 0
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: wanted) { buffer, initialized in
            while done < wanted {
                let n = pread(fd, buffer.baseAddress! + done, wanted - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if n == 0 { break }
                done += n
            }
            initialized = done
        }
        if failure != 0 { throw StreamError(offset: offset, "cannot read \(path): \(String(cString: strerror(failure)))") }
        return bytes
    }

    func close() { Glibc.close(fd) }
}
