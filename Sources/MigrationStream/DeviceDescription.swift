import QAPI

/// One field of a VMState description, as QEMU's JSON writer describes it
/// (`vmsd_desc_field_start()` / `vmsd_desc_field_end()` in migration/vmstate.c).
public struct VMStateField: Sendable, Hashable {
    public var name: String
    /// `int64`, `uint32`, `buffer`, `unused_buffer`, `bool`, `struct`, ... (QEMU's `VMStateInfo` names).
    public var type: String
    /// Bytes of one element on the wire.
    public var size: Int
    /// Elements of an array field, nil for a single value.
    public var arrayLength: Int?
    /// The nested description of a `struct` field.
    public var structure: VMStateDescription?

    public init(_ name: String, type: String, size: Int, arrayLength: Int? = nil, structure: VMStateDescription? = nil) {
        self.name = name
        self.type = type
        self.size = size
        self.arrayLength = arrayLength
        self.structure = structure
    }
}

/// A VMState description: the fields in order, then the subsections that were sent.
public struct VMStateDescription: Sendable, Hashable {
    public var vmsdName: String
    public var version: UInt32
    public var fields: [VMStateField]
    public var subsections: [VMStateDescription]

    public init(vmsdName: String, version: UInt32, fields: [VMStateField], subsections: [VMStateDescription] = []) {
        self.vmsdName = vmsdName
        self.version = version
        self.fields = fields
        self.subsections = subsections
    }
}

/// A device section as the stream's JSON lists it: section name (idstr), instance, and its
/// VMState description.
public struct DeviceDescription: Sendable, Hashable {
    public var name: String
    public var instanceID: UInt32
    public var vmstate: VMStateDescription

    public init(name: String, instanceID: UInt32 = 0, vmstate: VMStateDescription) {
        self.name = name
        self.instanceID = instanceID
        self.vmstate = vmstate
    }
}

/// The JSON appended after the end of the stream (`QEMU_VM_VMDESCRIPTION`): the page size and
/// every device section's description, in the order the sections were written.
public struct StreamDescription: Sendable, Hashable {
    public var pageSize: Int
    public var devices: [DeviceDescription]
    /// A `configuration` entry (QEMU 8.2 and later describe the configuration section too).
    public var configuration: VMStateDescription?

    public init(pageSize: Int = StreamFormat.defaultPageSize, devices: [DeviceDescription], configuration: VMStateDescription? = nil) {
        self.pageSize = pageSize
        self.devices = devices
        self.configuration = configuration
    }

    public func device(named name: String, instance: UInt32) -> DeviceDescription? {
        devices.first { $0.name == name && $0.instanceID == instance }
    }

    // MARK: - JSON

    /// The JSON text QEMU writes: one line, `": "` and `", "` separators, keys in QEMU's order.
    public var json: String { JSONWriter(style: .compact).string(jsonValue) }

    public var jsonValue: JSONValue {
        var root = JSONObject()
        root.append("page_size", .int(Int64(pageSize)))
        root.append("devices", .array(devices.map(Self.json(device:))))
        return .object(root)
    }

    private static func json(device: DeviceDescription) -> JSONValue {
        var object = JSONObject()
        object.append("name", .string(device.name))
        object.append("instance_id", .int(Int64(device.instanceID)))
        appendBody(of: device.vmstate, to: &object)
        return .object(object)
    }

    private static func appendBody(of vmstate: VMStateDescription, to object: inout JSONObject) {
        object.append("vmsd_name", .string(vmstate.vmsdName))
        object.append("version", .int(Int64(vmstate.version)))
        object.append("fields", .array(vmstate.fields.map(json(field:))))
        if !vmstate.subsections.isEmpty {
            object.append(
                "subsections",
                .array(
                    vmstate.subsections.map { sub in
                        var o = JSONObject()
                        appendBody(of: sub, to: &o)
                        return .object(o)
                    }))
        }
    }

    private static func json(field: VMStateField) -> JSONValue {
        var object = JSONObject()
        object.append("name", .string(field.name))
        if let n = field.arrayLength { object.append("array_len", .int(Int64(n))) }
        object.append("type", .string(field.type))
        if let s = field.structure {
            var o = JSONObject()
            appendBody(of: s, to: &o)
            object.append("struct", .object(o))
        }
        object.append("size", .int(Int64(field.size)))
        return .object(object)
    }

    /// Reads the description from the JSON text; `offset` is where the text starts in the
    /// stream, for error messages.
    public static func parse(_ bytes: ArraySlice<UInt8>, offset: UInt64) throws(StreamError) -> (StreamDescription, JSONValue) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes: Array(bytes))
        } catch {
            throw StreamError(offset: offset + UInt64(max(0, error.offset)), "VM description is not valid JSON (\(error.detail))")
        }
        return (try parse(value, offset: offset), value)
    }

    public static func parse(_ value: JSONValue, offset: UInt64) throws(StreamError) -> StreamDescription {
        func fail(_ text: String) -> StreamError { StreamError(offset: offset, "VM description: \(text)") }
        guard case .object(let root) = value else { throw fail("expected a JSON object") }
        var pageSize = StreamFormat.defaultPageSize
        if let p = root["page_size"] {
            guard let n = p.int64Value, n >= 512, n <= 1 << 16, n & (n - 1) == 0 else {
                throw fail("page_size must be a power of two from 512 to 65536")
            }
            pageSize = Int(n)
        }
        guard let list = root["devices"]?.arrayValue else { throw fail("expected a \"devices\" list") }
        var devices: [DeviceDescription] = []
        var configuration: VMStateDescription?
        for (index, entry) in list.enumerated() {
            guard case .object(let o) = entry, let name = o["name"]?.stringValue else {
                throw fail("device \(index) has no \"name\"")
            }
            guard let instance = o["instance_id"]?.int64Value, instance >= 0, instance <= Int64(UInt32.max) else {
                throw fail("device '\(name)' has no valid \"instance_id\"")
            }
            let vmstate = try body(o, context: "device '\(name)'", depth: 0, fail: fail)
            if name == "configuration" {
                configuration = vmstate
            } else {
                devices.append(DeviceDescription(name: name, instanceID: UInt32(instance), vmstate: vmstate))
            }
        }
        return StreamDescription(pageSize: pageSize, devices: devices, configuration: configuration)
    }

    private static func body(
        _ o: JSONObject, context: String, depth: Int, fail: (String) -> StreamError
    ) throws(StreamError) -> VMStateDescription {
        guard depth < 32 else { throw fail("\(context) nests structures more than 32 deep") }
        guard let fieldList = o["fields"]?.arrayValue else { throw fail("\(context) has no \"fields\"") }
        var fields: [VMStateField] = []
        for (i, f) in fieldList.enumerated() {
            guard case .object(let fo) = f, let name = fo["name"]?.stringValue, let type = fo["type"]?.stringValue else {
                throw fail("\(context) field \(i) needs a \"name\" and a \"type\"")
            }
            guard let size = fo["size"]?.int64Value, size >= 0, size <= Int64(StreamLimits.maxRecordBytes) else {
                throw fail("\(context) field '\(name)' needs a \"size\" from 0 to \(StreamLimits.maxRecordBytes)")
            }
            var arrayLength: Int?
            if let a = fo["array_len"] {
                guard let n = a.int64Value, n >= 0, n <= Int64(StreamLimits.maxRecordBytes) else {
                    throw fail("\(context) field '\(name)' has a bad \"array_len\"")
                }
                arrayLength = Int(n)
            }
            var structure: VMStateDescription?
            if type == "struct" {
                guard case .object(let so)? = fo["struct"] else {
                    throw fail("\(context) field '\(name)' is a struct without a \"struct\" description")
                }
                structure = try body(so, context: "\(context) field '\(name)'", depth: depth + 1, fail: fail)
            }
            fields.append(VMStateField(name, type: type, size: Int(size), arrayLength: arrayLength, structure: structure))
        }
        var subsections: [VMStateDescription] = []
        if let subs = o["subsections"]?.arrayValue {
            for (i, s) in subs.enumerated() {
                guard case .object(let so) = s else { throw fail("\(context) subsection \(i) is not an object") }
                subsections.append(try body(so, context: "\(context) subsection \(i)", depth: depth + 1, fail: fail))
            }
        }
        let vmsdName = o["vmsd_name"]?.stringValue ?? ""
        let version = o["version"]?.int64Value ?? 0
        return VMStateDescription(
            vmsdName: vmsdName, version: UInt32(clamping: max(0, version)), fields: fields, subsections: subsections)
    }
}

/// Bounds on what a reader accepts, so that no stream can make it allocate without limit.
public enum StreamLimits {
    /// The largest single record (a device section, a VM description): 64 MiB.
    public static let maxRecordBytes = 64 << 20
    /// Blocks in one MEM_SIZE list.
    public static let maxRAMBlocks = 4096
    /// Longest machine name in the configuration section.
    public static let maxMachineNameBytes = 256
}
