import MigrationStream
import Testing

@Suite struct StrictReaderTests {
    @Test func readsWhatTheWriterWrites() throws {
        let bytes = StreamSamples.rich()
        let records = try StreamSamples.decode(bytes)
        var summary = StreamSummary()
        for r in records { summary.add(r) }
        #expect(summary.machine == "pc-i440fx-7.2")
        #expect(summary.sections.map(\.name) == ["ram", "timer", "globalstate", "widget"])
        #expect(summary.sections[0].parts == [.start, .part, .end])
        #expect(summary.blocks.map(\.normalPages) == [3, 1])
        #expect(summary.blocks.map(\.zeroPages) == [5, 0])
        #expect(summary.totalBytes == UInt64(bytes.count))
        #expect(
            summary.sections.reduce(0) { $0 + $1.bytes } + 4 + 4 + 5 + 13 + 1 + 5 + UInt64(summary.descriptionJSON!.utf8.count)
                == UInt64(bytes.count))
        let widget = try #require(summary.devices.last)
        #expect(widget.field("count") == .uint(7))
        #expect(widget.field("regs") == .array([.uint(1), .uint(2), .uint(3)]))
        #expect(
            widget.field("inner")
                == .structure([
                    DecodedField(name: "a", type: "int64", value: .int(-2)), DecodedField(name: "b", type: "bool", value: .bool(true)),
                ]))
        #expect(widget.field("widget/extra") == .structure([DecodedField(name: "tag", type: "uint64", value: .uint(0xDEAD_BEEF))]))
        #expect(summary.devices.first?.field("cpu_ticks_offset") == .int(-5))
        // The JSON describes exactly the devices written, as QEMU's writer does.
        #expect(summary.description?.devices == StandardDevices.all + [StreamSamples.widget])
    }

    @Test(arguments: [1, 3, 7, 4096, 4097, 65536])
    func piecesMakeNoDifference(chunk: Int) throws {
        let bytes = StreamSamples.rich()
        let whole = try StreamSamples.decode(bytes).map { "\($0.offset)/\($0.length)" }
        let pieces = try StreamSamples.decode(bytes, chunk: chunk).map { "\($0.offset)/\($0.length)" }
        #expect(whole == pieces)
    }

    /// Each defect gives one error at the right offset, saying what was expected.
    @Test func defectsNameTheOffsetAndWhatWasExpected() throws {
        let good = StreamSamples.rich()
        func error(_ bytes: [UInt8]) -> StreamError? {
            do { _ = try StreamSamples.decode(bytes); return nil } catch { return error }
        }
        // Wrong magic.
        var b = good; b[0] = 0x51 ^ 0xFF
        #expect(error(b) == StreamError(offset: 0, "bad magic 0xae45564d: expected 0x5145564d (\"QEVM\")"))
        // Versions 2 and 4.
        b = good; b[7] = 2
        #expect(error(b)?.message == "stream version 2 is obsolete (SaveVM v2 format): expected 3")
        b = good; b[7] = 4
        #expect(error(b) == StreamError(offset: 4, "unsupported stream version 4: expected 3"))
        // Truncated anywhere.
        for cut in [3, 9, 30, 100, 5000, good.count - 1] {
            let e = try #require(error(Array(good.prefix(cut))))
            #expect(e.offset == UInt64(cut), "\(cut): \(e)")
            #expect(e.message.hasPrefix("the stream ends early: expected"), "\(cut): \(e)")
        }
        // Unknown section: rename "timer" to "tumer".
        let timerAt = try #require(find(Array("timer".utf8), in: good))
        b = good; b[timerAt + 1] = UInt8(ascii: "u")
        #expect(
            error(b)
                == StreamError(
                    offset: UInt64(timerAt - 1 - 5 + 5), "unknown section 'tumer' instance 0: expected a section the VM description lists"))
        // Bad footer after the timer section: its footer is 0x7e then the id 0.
        let footerAt = timerAt + 5 + 8 + 24
        #expect(good[footerAt] == 0x7E)
        b = good; b[footerAt] = 0x7D
        #expect(error(b) == StreamError(offset: UInt64(footerAt), "missing footer for section 0 (timer): expected 0x7e, found 0x7d"))
        b = good; b[footerAt + 4] = 9
        #expect(error(b) == StreamError(offset: UInt64(footerAt + 1), "mismatched section id in footer: read 9, expected 0"))
        // A page past the end of its block: the first page header (offset 0 of pc.ram) moved to 8 pages.
        let pageAt = try #require(find([0, 0, 0, 0, 0, 0, 0, 0x08, 6] + Array("pc.ram".utf8), in: good))
        b = good; b[pageAt + 6] = 0x80  // offset 0x8000 = 8 pages
        #expect(error(b) == StreamError(offset: UInt64(pageAt), "page at 0x8000 outside RAM block 'pc.ram' of 0x8000 bytes"))
        // A length past the end: the VM description says it is longer than what follows.
        let descAt = good.count - StreamSamples.describedLength(good) - 5
        b = good; b[descAt + 3] &+= 1
        #expect(error(b)?.message.hasPrefix("the stream ends early: expected") == true)
        // A section type that does not exist.
        b = good; b[timerAt - 6] = 0x42
        #expect(error(b) == StreamError(offset: UInt64(timerAt - 6), "unknown section type 0x42: expected 0x00 to 0x08"))
    }

    @Test func trailingBytesAfterTheDescriptionAreRefused() throws {
        var b = StreamSamples.rich()
        b.append(0)
        #expect(throws: StreamError(offset: UInt64(b.count - 1), "1 bytes after the VM description: expected the end of the stream")) {
            _ = try StreamSamples.decode(b)
        }
    }

    @Test func recordsCannotClaimUnboundedMemory() throws {
        // A VM description that claims 4 GiB.
        var w = StreamWriter()
        w.header(machine: nil)
        w.put8(SectionType.eof.rawValue)
        w.put8(SectionType.vmDescription.rawValue)
        w.put32(0xFFFF_FFFF)
        #expect(throws: StreamError(offset: 10, "VM description of 4294967295 bytes: expected at most 67108864")) {
            _ = try StreamSamples.decode(w.takePending())
        }
        // A RAM block list of 2^60 bytes in blocks of one page each stops at the block limit.
        w = StreamWriter()
        w.header(machine: nil)
        w.sectionStart(.start, id: 1, name: "ram", instanceID: 0, version: 4)
        w.put64(1 << 60 | RAMFlag.memSize)
        for i in 0...StreamLimits.maxRAMBlocks {
            let name = Array("b\(i)".utf8)
            w.put8(UInt8(name.count)); w.putBytes(name); w.put64(4096)
        }
        let e = try #require(throws: StreamError.self) { _ = try StreamSamples.decode(w.takePending()) }
        #expect(e.message == "more than 4096 RAM blocks")
    }

    func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard needle.count <= hay.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<i + needle.count]) == needle { return i }
        return nil
    }
}

extension StreamSamples {
    /// Length of the JSON at the end of a stream.
    static func describedLength(_ bytes: [UInt8]) -> Int {
        let start = bytes.lastIndex(of: SectionType.vmDescription.rawValue)!
        var p = bytes.count - 6
        while p >= 0 {
            if bytes[p] == 6 {
                let n = bytes[p + 1..<p + 5].reduce(0) { $0 << 8 | Int($1) }
                if n == bytes.count - p - 5 { return n }
            }
            p -= 1
        }
        return start
    }
}
