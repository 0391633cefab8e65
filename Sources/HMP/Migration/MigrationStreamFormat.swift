import MigrationStream
import QAPI

/// What `info migration_stream` prints. QEMU has no such command; the fields and names follow
/// QEMU's stream format (section types, RAM block names, the JSON description's fields).
enum MigrationStreamFormat {
    static func text(_ s: StreamSummary, path: String, fileSize: UInt64, verbose: Bool) -> String {
        var out = TextTable.keyValue([
            ("file", path),
            ("size", "\(fileSize) bytes"),
            ("format", "QEVM version \(s.version)"),
            ("machine", s.machine ?? "(no configuration section)"),
            ("page size", "\(s.pageSize)"),
            ("end of state", s.endOffset.map { "offset \($0)" } ?? "-"),
            (
                "description",
                s.descriptionJSON.map { "\($0.utf8.count) bytes of JSON, \(s.description?.devices.count ?? 0) devices" } ?? "none"
            ),
        ])
        out += "\nSections (in stream order):\n"
        var sections = TextTable(
            headers: ["id", "name", "instance", "version", "records", "bytes", "offset"],
            alignments: [.right, .left, .right, .right, .left, .right, .right])
        for section in s.sections {
            sections.add([
                "\(section.id)", section.name, "\(section.instanceID)", "\(section.version)",
                recordsText(section.parts), "\(section.bytes)", "\(section.offset)",
            ])
        }
        out += sections.render()
        if !s.blocks.isEmpty {
            out += "\nRAM blocks:\n"
            var blocks = TextTable(
                headers: ["name", "size", "normal pages", "zero pages", "bytes"],
                alignments: [.left, .right, .right, .right, .right])
            for b in s.blocks {
                blocks.add([b.name, HumanUnits.bytes(b.length), "\(b.normalPages)", "\(b.zeroPages)", "\(b.bytes)"])
            }
            out += blocks.render()
        }
        if !s.commands.isEmpty { out += "\nCommands: " + s.commands.map { "0x" + String($0, radix: 16) }.joined(separator: ", ") + "\n" }
        out += "\nDevices:\n"
        var devices = TextTable(
            headers: ["name", "instance", "version", "vmsd", "fields"],
            alignments: [.left, .right, .right, .left, .right])
        for d in s.devices {
            let vmsd = s.description?.device(named: d.name, instance: d.instanceID)?.vmstate.vmsdName ?? d.name
            devices.add([d.name, "\(d.instanceID)", "\(d.version)", vmsd, "\(d.fields.count)"])
        }
        out += devices.render()
        if verbose {
            for d in s.devices {
                out += "\n\(d.name) (instance \(d.instanceID), version \(d.version)):\n"
                var fields = TextTable(headers: ["field", "type", "value"])
                for f in d.fields { fields.add(["  " + f.name, f.type, f.value.text]) }
                out += fields.render()
            }
        }
        return out
    }

    /// START, PART ×3, END
    static func recordsText(_ parts: [SectionType]) -> String {
        var out: [String] = []
        var i = 0
        while i < parts.count {
            var j = i
            while j < parts.count && parts[j] == parts[i] { j += 1 }
            out.append(j - i > 1 ? "\(parts[i].name) ×\(j - i)" : parts[i].name)
            i = j
        }
        return out.joined(separator: ", ")
    }

    static func json(_ s: StreamSummary, path: String, fileSize: UInt64) -> JSONValue {
        var o = JSONObject()
        o.append("file", .string(path))
        o.append("size", .uint(fileSize))
        o.append("version", .uint(UInt64(s.version)))
        if let m = s.machine { o.append("machine", .string(m)) }
        o.append("page-size", .int(Int64(s.pageSize)))
        o.append(
            "sections",
            .array(
                s.sections.map { sec in
                    [
                        "id": .uint(UInt64(sec.id)), "name": .string(sec.name), "instance-id": .uint(UInt64(sec.instanceID)),
                        "version": .uint(UInt64(sec.version)), "records": .array(sec.parts.map { .string($0.name) }),
                        "bytes": .uint(sec.bytes), "offset": .uint(sec.offset),
                    ]
                }))
        o.append(
            "ram-blocks",
            .array(
                s.blocks.map { b in
                    [
                        "name": .string(b.name), "size": .uint(b.length), "normal-pages": .uint(b.normalPages),
                        "zero-pages": .uint(b.zeroPages), "bytes": .uint(b.bytes),
                    ]
                }))
        o.append(
            "devices",
            .array(
                s.devices.map { d in
                    var dev = JSONObject()
                    dev.append("name", .string(d.name))
                    dev.append("instance-id", .uint(UInt64(d.instanceID)))
                    dev.append("version", .uint(UInt64(d.version)))
                    var fields = JSONObject()
                    for f in d.fields { fields.append(f.name, f.value.jsonValue) }
                    dev.append("fields", .object(fields))
                    return .object(dev)
                }))
        if let end = s.endOffset { o.append("end-offset", .uint(end)) }
        if let text = s.descriptionJSON, let value = try? JSONParser.parse(text) { o.append("description", value) }
        return .object(o)
    }
}
