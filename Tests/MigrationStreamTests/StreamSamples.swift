import MigrationStream

/// Small streams built with the writer, for the reader's tests.
enum StreamSamples {
    static let pageSize = 4096

    /// A stream with two RAM blocks (zero pages, full pages, CONTINUE), the standard devices and
    /// one device with a struct, an array and a subsection.
    static func rich() -> [UInt8] {
        var w = StreamWriter(pageSize: pageSize)
        w.header(machine: "pc-i440fx-7.2")
        w.sectionStart(.start, id: 2, name: "ram", instanceID: 0, version: 4)
        w.ramBlocks([RAMBlock(name: "pc.ram", length: 8 * 4096), RAMBlock(name: "pc.bios", length: 2 * 4096)])
        w.ramEnd()
        w.sectionFooter(id: 2)
        w.sectionContinue(.part, id: 2)
        var page = [UInt8](repeating: 0, count: pageSize)
        for i in 0..<8 {
            if i % 3 == 0 {
                for j in 0..<pageSize { page[j] = UInt8(truncatingIfNeeded: i &* 31 &+ j) }
                page.withUnsafeBytes { w.page(block: "pc.ram", offset: UInt64(i * pageSize), data: $0) }
            } else {
                w.zeroPage(block: "pc.ram", offset: UInt64(i * pageSize))
            }
        }
        page.withUnsafeBytes { w.page(block: "pc.bios", offset: 4096, data: $0) }
        w.ramEnd()
        w.sectionFooter(id: 2)
        w.sectionContinue(.end, id: 2)
        w.ramEnd()
        w.sectionFooter(id: 2)
        w.device(StandardDevices.timer, id: 0, values: StandardDevices.timerValues(ticksOffset: -5, clockOffset: 123_456))
        w.device(StandardDevices.globalState, id: 4, values: StandardDevices.globalStateValues(runState: "running"))
        var v = FieldEncoder()
        v.uint32(7)  // count
        v.uint8(1); v.uint8(2); v.uint8(3)  // regs[3]
        v.int64(-2)  // inner.a
        v.bool(true)  // inner.b
        v.uint8(SectionType.subsection.rawValue)
        let name = Array("widget/extra".utf8)
        v.uint8(UInt8(name.count))
        for b in name { v.uint8(b) }
        v.uint32(1)
        v.uint64(0xDEAD_BEEF)
        w.device(widget, id: 5, values: v)
        w.finish()
        return w.takePending()
    }

    static let widget = DeviceDescription(
        name: "widget", instanceID: 0,
        vmstate: VMStateDescription(
            vmsdName: "widget", version: 3,
            fields: [
                VMStateField("count", type: "uint32", size: 4),
                VMStateField("regs", type: "uint8", size: 1, arrayLength: 3),
                VMStateField(
                    "inner", type: "struct", size: 9,
                    structure: VMStateDescription(
                        vmsdName: "widget/inner", version: 1,
                        fields: [VMStateField("a", type: "int64", size: 8), VMStateField("b", type: "bool", size: 1)])),
            ],
            subsections: [VMStateDescription(vmsdName: "widget/extra", version: 1, fields: [VMStateField("tag", type: "uint64", size: 8)])])
    )

    /// Every record of `bytes`, fed in pieces of `chunk` bytes.
    static func decode(_ bytes: [UInt8], chunk: Int = .max, description: StreamDescription? = nil) throws(StreamError) -> [DecodedRecord] {
        var decoder = StreamDecoder(description: description ?? StreamDescription(devices: StandardDevices.all + [widget]))
        var out: [DecodedRecord] = []
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + min(chunk, bytes.count - i))
            decoder.feed(bytes[i..<end])
            i = end
            while let r = try decoder.next() { out.append(r) }
        }
        decoder.finish()
        while let r = try decoder.next() { out.append(r) }
        guard decoder.isComplete else { throw StreamError(offset: decoder.offset, "incomplete") }
        return out
    }
}
