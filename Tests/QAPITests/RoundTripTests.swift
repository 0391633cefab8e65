import SeededRandom
import Testing

@testable import QAPI

/// Makes random wire values for any schema type from the introspection data, so every
/// generated type is exercised without a hand-kept list of them.
struct InstanceMaker {
    let infos: [String: JSONObject]
    var rng: SeededGenerator

    init(seed: UInt64) {
        var infos: [String: JSONObject] = [:]
        for entry in QAPISchema.introspection.arrayValue ?? [] {
            if let o = entry.objectValue, let name = o["name"]?.stringValue { infos[name] = o }
        }
        self.infos = infos
        rng = SeededGenerator(seed: seed)
    }

    mutating func make(_ type: String, depth: Int = 0) -> JSONValue {
        guard let info = infos[type], let meta = info["meta-type"]?.stringValue else { preconditionFailure("unknown type \(type)") }
        switch meta {
        case "builtin": return builtin(type)
        case "enum":
            let values = info["values"]?.arrayValue ?? []
            return values[rng.below(values.count)]
        case "array":
            let element = info["element-type"]!.stringValue!
            return .array((0..<(depth > 3 ? 0 : rng.below(3))).map { _ in make(element, depth: depth + 1) })
        case "alternate":
            let members = info["members"]!.arrayValue!
            return make(members[rng.below(members.count)]["type"]!.stringValue!, depth: depth + 1)
        case "object":
            var object = JSONObject()
            var tagValue: String?
            for member in info["members"]?.arrayValue ?? [] {
                let name = member["name"]!.stringValue!
                let optional = member["default"] != nil
                if optional && (depth > 2 || rng.bool()) { continue }
                let value = make(member["type"]!.stringValue!, depth: depth + 1)
                if name == info["tag"]?.stringValue { tagValue = value.stringValue }
                object.append(name, value)
            }
            if let tagValue, let variants = info["variants"]?.arrayValue,
                let branch = variants.first(where: { $0["case"]?.stringValue == tagValue })?["type"]?.stringValue,
                case .object(let extra) = make(branch, depth: depth)
            {
                for m in extra { object.append(m.key, m.value) }
            }
            return .object(object)
        default:
            preconditionFailure("\(type) is a \(meta), not a type")
        }
    }

    mutating func builtin(_ name: String) -> JSONValue {
        switch name {
        case "str": return .string(randomString(&rng))
        case "int", "int64": return .int(Int64(bitPattern: rng.next()))
        case "int8": return .int(Int64(Int8(truncatingIfNeeded: rng.next())))
        case "int16": return .int(Int64(Int16(truncatingIfNeeded: rng.next())))
        case "int32": return .int(Int64(Int32(truncatingIfNeeded: rng.next())))
        case "uint8": return .int(Int64(UInt8(truncatingIfNeeded: rng.next())))
        case "uint16": return .int(Int64(UInt16(truncatingIfNeeded: rng.next())))
        case "uint32": return .int(Int64(UInt32(truncatingIfNeeded: rng.next())))
        case "uint64", "size": return QAPICodec.encode(rng.next())
        case "number": return .double(Double(rng.below(1_000_000)) / 8 + 0.25)
        case "bool": return .bool(rng.bool())
        case "null": return .null
        case "any": return randomJSON(&rng, depth: 2)
        default: preconditionFailure("unknown builtin \(name)")
        }
    }
}

@Suite struct RoundTripTests {
    /// decode(encode(x)) == x for every generated type, over random instances.
    @Test func everyGeneratedTypeRoundTrips() throws {
        var maker = InstanceMaker(seed: 2024)
        #expect(QAPISchema.typeDecoders.count > 100)
        for (name, decode) in QAPISchema.typeDecoders.sorted(by: { $0.key < $1.key }) {
            for _ in 0..<40 {
                let wire = maker.make(name)
                let decoded = try decode(wire)
                #expect(decoded.qapi == wire, "\(name): \(wire) came back as \(decoded.qapi)")
                #expect(try decode(decoded.qapi).qapi == decoded.qapi)
            }
        }
    }

    /// Removing a mandatory member, or adding an unknown one, is always refused.
    @Test func structsRefuseMissingAndUnexpectedMembers() throws {
        var maker = InstanceMaker(seed: 99)
        for (name, decode) in QAPISchema.typeDecoders.sorted(by: { $0.key < $1.key }) {
            guard maker.infos[name]?["meta-type"]?.stringValue == "object" else { continue }
            let wire = maker.make(name)
            guard case .object(var object) = wire else { continue }
            object.append("no-such-member", 1)
            #expect(throws: QAPIDecodingError(.unexpected, path: ["no-such-member"])) { try decode(.object(object)) }
            let mandatory = (maker.infos[name]?["members"]?.arrayValue ?? []).filter { $0["default"] == nil }
            if let first = mandatory.first?["name"]?.stringValue, case .object(var trimmed) = wire {
                trimmed[first] = nil
                #expect(throws: QAPIDecodingError(.missing, path: [first])) { try decode(.object(trimmed)) }
            }
        }
    }

    @Test func codableAgreesWithTheWireForm() throws {
        let status = MigrationCapabilityStatus(capability: .xbzrle, state: true)
        let json = try JSONParser.parse(#"{"capability": "xbzrle", "state": true}"#)
        #expect(status.qapi == json)
        #expect(MigrationStatus.postcopyActive.cName == "MIGRATION_STATUS_POSTCOPY_ACTIVE")
        #expect(MultiFDCompression.none.cName == "MULTIFD_COMPRESSION_NONE")
        #expect(MigrationStatus.wireNames.contains("pre-switchover"))
    }
}

@Suite struct SchemaExampleTests {
    /// Every `->`/`<-` example in the schema's doc comments is valid against the generated types.
    @Test func everyExampleDecodes() throws {
        #expect(QAPISchema.examples.count > 40)
        for example in QAPISchema.examples {
            var lastCommand: QAPICommandDescriptor?
            for message in example.messages {
                let value = try JSONParser.parse(message.json)
                let object = try #require(value.objectValue, "\(example.location): not an object")
                if message.isRequest {
                    let name = try #require((object["execute"] ?? object["exec-oob"])?.stringValue, "\(example.location)")
                    let command = try #require(QAPISchema.command(named: name), "\(example.location): unknown command \(name)")
                    let arguments = object["arguments"] ?? .object(JSONObject())
                    let decoded = try command.decodeArguments(arguments)
                    #expect(sameMembers(decoded.qapi, arguments), "\(example.location)")
                    lastCommand = command
                } else if let result = object["return"] {
                    let command = try #require(lastCommand, "\(example.location): a reply with no request")
                    let decoded = try command.decodeReturns(result)
                    #expect(sameMembers(decoded.qapi, result), "\(example.location)")
                } else if let name = object["event"]?.stringValue {
                    let event = try #require(QAPISchema.event(named: name), "\(example.location): unknown event \(name)")
                    _ = try event.decodeData(object["data"] ?? .object(JSONObject()))
                } else {
                    #expect(object["error"] != nil, "\(example.location): neither return, error nor event")
                }
            }
        }
    }
}

/// Equal JSON, ignoring the order of object members (examples need not follow schema order).
func sameMembers(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.object(let x), .object(let y)):
        return x.count == y.count && x.allSatisfy { m in y[m.key].map { sameMembers(m.value, $0) } ?? false }
    case (.array(let x), .array(let y)):
        return x.count == y.count && zip(x, y).allSatisfy { sameMembers($0, $1) }
    case (.int(let x), .double(let y)), (.double(let y), .int(let x)):
        return Double(x) == y
    default:
        return a == b
    }
}
