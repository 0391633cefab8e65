import QAPI

/// QEMU's `dump_qdict`/`dump_qlist` (block/qapi.c), used for "Format specific information".
/// QEMU walks a QDict bucket by bucket, so the keys come out in hash order, not schema order;
/// the `qemu` format reproduces that order exactly.
enum QDictDump {
    /// QDICT_BUCKET_MAX
    static let buckets: UInt32 = 512

    /// QEMU's tdb_hash (qobject/qdict.c).
    static func tdbHash(_ key: String) -> UInt32 {
        let bytes = Array(key.utf8)
        var value = 0x238F_13AF &* UInt32(truncatingIfNeeded: bytes.count)
        for (i, byte) in bytes.enumerated() {
            value = value &+ (UInt32(byte) << UInt32((i * 5) % 24))
        }
        return 1_103_515_243 &* value &+ 12345
    }

    /// Members in QDict iteration order: by bucket; within a bucket the later insertion first.
    static func ordered(_ members: [JSONMember]) -> [JSONMember] {
        members.enumerated()
            .map { (bucket: tdbHash($0.element.key) % buckets, index: $0.offset, member: $0.element) }
            .sorted { $0.bucket != $1.bucket ? $0.bucket < $1.bucket : $0.index > $1.index }
            .map(\.member)
    }

    /// True when dumping `value` prints nothing (an empty dict or list).
    static func isEmptyDump(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let o): o.isEmpty
        case .array(let a): a.isEmpty
        default: false
        }
    }

    static func dump(_ value: JSONValue, indentation: Int) -> String {
        switch value {
        case .object(let object): dumpDict(object, indentation: indentation)
        case .array(let array): dumpList(array, indentation: indentation)
        case .int(let i): String(i)
        case .uint(let u): String(u)
        case .double(let d): CFloatFormat.general(d, precision: 17)
        case .string(let s): s
        case .bool(let b): b ? "true" : "false"
        case .null: ""
        }
    }

    private static func isComposite(_ value: JSONValue) -> Bool {
        switch value {
        case .object, .array: true
        default: false
        }
    }

    private static func dumpDict(_ object: JSONObject, indentation: Int) -> String {
        var out = ""
        let pad = String(repeating: " ", count: indentation * 4)
        for member in ordered(object.members) {
            // Dashes in key names become spaces.
            let key = String(member.key.map { $0 == "-" ? " " : $0 })
            let composite = isComposite(member.value)
            out += pad + key + ":" + (composite ? "\n" : " ")
            out += dump(member.value, indentation: indentation + 1)
            if !composite { out += "\n" }
        }
        return out
    }

    private static func dumpList(_ array: [JSONValue], indentation: Int) -> String {
        var out = ""
        let pad = String(repeating: " ", count: indentation * 4)
        for (i, element) in array.enumerated() {
            let composite = isComposite(element)
            out += pad + "[\(i)]:" + (composite ? "\n" : " ")
            out += dump(element, indentation: indentation + 1)
            if !composite { out += "\n" }
        }
        return out
    }
}
