import Foundation

/// A second reader of QEMU's migration stream, written for the tests from the format's facts
/// (magic "QEVM", version 3, section types 0x00-0x08 and 0x7e, RAM flags ZERO 0x02, MEM_SIZE
/// 0x04, PAGE 0x08, EOS 0x10, CONTINUE 0x20, the JSON description after EOF), sharing no code
/// with the product's reader. It walks a stream record by record and lists what it saw.
struct IndependentStreamWalker {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    var bytes: [UInt8]
    var at = 0
    /// One line per record.
    var records: [String] = []
    var normalPages = 0
    var zeroPages = 0
    /// Sum over full pages of a hash of (offset, bytes), to compare with the pages expected.
    var pageChecksum: UInt64 = 0
    var json: [String: Any] = [:]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func byte() throws -> UInt8 {
        guard at < bytes.count else { throw Failure(description: "ran out at \(at)") }
        defer { at += 1 }
        return bytes[at]
    }

    mutating func be(_ n: Int) throws -> UInt64 {
        var v: UInt64 = 0
        for _ in 0..<n { v = v << 8 | UInt64(try byte()) }
        return v
    }

    mutating func text(_ n: Int) throws -> String {
        guard at + n <= bytes.count else { throw Failure(description: "string past the end at \(at)") }
        defer { at += n }
        return String(decoding: bytes[at..<at + n], as: UTF8.self)
    }

    /// The JSON is located first, as QEMU's analyzer does: it ends the file.
    mutating func locateDescription() throws {
        var p = bytes.count - 5
        while p >= 0 {
            if bytes[p] == 0x06 {
                let n = bytes[p + 1..<p + 5].reduce(0) { $0 << 8 | Int($1) }
                if p + 5 + n == bytes.count {
                    let object = try JSONSerialization.jsonObject(with: Data(bytes[(p + 5)...]))
                    json = object as? [String: Any] ?? [:]
                    return
                }
            }
            p -= 1
        }
        throw Failure(description: "no VM description at the end")
    }

    func fields(of name: String, instance: Int) -> [[String: Any]]? {
        let devices = json["devices"] as? [[String: Any]] ?? []
        let device = devices.first { ($0["name"] as? String) == name && ($0["instance_id"] as? Int) == instance }
        return device?["fields"] as? [[String: Any]]
    }

    mutating func walk() throws {
        try locateDescription()
        let pageSize = json["page_size"] as? Int ?? 4096
        guard try be(4) == 0x5145_564D, try be(4) == 3 else { throw Failure(description: "not QEVM v3") }
        records.append("QEVM 3")
        var open: [UInt64: String] = [:]
        var lastBlock = ""
        while true {
            let type = try byte()
            switch type {
            case 0x07:
                let n = Int(try be(4))
                records.append("configuration \(try text(n))")
            case 0x01, 0x04, 0x02, 0x03:
                let id = try be(4)
                var name = open[id] ?? "?"
                if type == 0x01 || type == 0x04 {
                    name = try text(Int(try byte()))
                    let instance = try be(4)
                    let version = try be(4)
                    open[id] = name
                    records.append("\(type == 1 ? "start" : "full") \(id) \(name) \(instance) v\(version)")
                    if type == 0x04 {
                        guard let list = fields(of: name, instance: Int(instance)) else {
                            throw Failure(description: "\(name) not described")
                        }
                        let size = list.reduce(0) { $0 + ($1["size"] as? Int ?? 0) * ($1["array_len"] as? Int ?? 1) }
                        at += size
                        records.append("  \(list.count) fields, \(size) bytes")
                    }
                } else {
                    records.append("\(type == 2 ? "part" : "end") \(id) \(name)")
                }
                if name == "ram" && type != 0x04 {
                    ramLoop: while true {
                        let header = try be(8)
                        let flags = header & UInt64(pageSize - 1)
                        let address = header & ~UInt64(pageSize - 1)
                        if flags & 0x04 != 0 {
                            var left = address
                            var list: [String] = []
                            while left > 0 {
                                let blockName = try text(Int(try byte()))
                                let length = try be(8)
                                left -= length
                                list.append("\(blockName)=\(length)")
                            }
                            records.append("  blocks \(list.joined(separator: " "))")
                            continue
                        }
                        if flags & 0x10 != 0 { break ramLoop }
                        if flags & 0x20 == 0 { lastBlock = try text(Int(try byte())) }
                        if flags & 0x02 != 0 {
                            guard try byte() == 0 else { throw Failure(description: "zero page with a fill byte at \(at)") }
                            zeroPages += 1
                        } else if flags & 0x08 != 0 {
                            guard at + pageSize <= bytes.count else { throw Failure(description: "page past the end") }
                            var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ address
                            for b in bytes[at..<at + pageSize] { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
                            pageChecksum &+= h
                            at += pageSize
                            normalPages += 1
                        } else {
                            throw Failure(description: "RAM flags \(flags) at \(at - 8)")
                        }
                        _ = lastBlock
                    }
                    records.append("  eos")
                }
                guard try byte() == 0x7E, try be(4) == id else { throw Failure(description: "bad footer at \(at)") }
            case 0x00:
                records.append("eof")
                guard try byte() == 0x06 else { throw Failure(description: "no description after EOF") }
                let n = Int(try be(4))
                at += n
                guard at == bytes.count else { throw Failure(description: "bytes after the description") }
                records.append("description \(n) bytes")
                return
            default:
                throw Failure(description: "section type \(type) at \(at - 1)")
            }
        }
    }
}
