import QAPI
import Testing

@Suite struct JSONStreamerTests {
    /// Feeds `chunks` one after the other and collects everything the streamer yields.
    func items(_ chunks: [[UInt8]]) -> [JSONStreamer.Item] {
        var streamer = JSONStreamer()
        var out: [JSONStreamer.Item] = []
        for chunk in chunks {
            streamer.append(chunk)
            while let item = streamer.next() { out.append(item) }
        }
        return out
    }

    func items(_ text: String) -> [JSONStreamer.Item] { items([Array(text.utf8)]) }

    func isError(_ item: JSONStreamer.Item) -> Bool {
        if case .error = item { return true }
        return false
    }

    @Test func severalMessagesInOneReadNeedNoSeparator() {
        let got = items(#"{"execute":"a","id":1}{"execute":"b","id":2}  [1,2]"x"null "#)
        #expect(got.count == 5)
        #expect(got[0] == .value(["execute": "a", "id": 1]))
        #expect(got[1] == .value(["execute": "b", "id": 2]))
        #expect(got[2] == .value([1, 2]))
        #expect(got[3] == .value("x"))
        #expect(got[4] == .value(.null))
    }

    @Test func aMessageSplitAtEveryByteIsTheSame() {
        let text = #"{"execute": "query-status", "arguments": {"s": "a\"}b\u00e9", "n": [-1.5e3, {}]}, "id": 'x'}"#
        let whole = items(text)
        let split = items(Array(text.utf8).map { [$0] })
        #expect(whole.count == 1)
        #expect(split == whole)
        #expect(whole[0].isValue)
    }

    @Test func lexicalErrorsGiveOneErrorThenTheStreamGoesOn() {
        for garbage in ["{\u{01}", "{'bad \u{FF}", "{'execute': 'x', 'id':'\n", "{\"a\": \"\\q\"}", "%", "{]"] {
            var bytes = Array(garbage.utf8)
            if garbage.contains("\u{FF}") { bytes = Array("{'bad ".utf8) + [0xFF] }
            let got = items([bytes, Array("\n{\"execute\": \"ok\"}".utf8)])
            // A '}' left after the bad part is a stray token of its own, as in QEMU.
            #expect(got.dropLast().allSatisfy(isError) && got.count >= 2, "\(garbage.debugDescription): \(got)")
            #expect(got.last == .value(["execute": "ok"]))
        }
    }

    @Test func recoverySkipsToABraceOrAControlCharacter() {
        // After the error, "null" is skipped, as QEMU's lexer skips to a resynchronisation point.
        let got = items([[0x7B, 0xFF], Array(#" null {"execute": "ok"}"#.utf8)])
        #expect(got.count == 2)
        #expect(got[1] == .value(["execute": "ok"]))
    }

    @Test func invalidUTF8InAStringIsAnError() {
        let got = items([Array(#"{"id": ""#.utf8) + [0xC3, 0x28] + Array(#""}{"execute": "ok"}"#.utf8)])
        #expect(got.count == 2)
        if case .error(let error) = got[0] { #expect(error.description == "JSON parse error, invalid UTF-8 sequence in string") }
        #expect(got[1] == .value(["execute": "ok"]))
    }

    @Test func nestingBeyondTheLimitIsRefused() {
        let deep = String(repeating: "[", count: JSONStreamer.maxNesting + 1) + String(repeating: "]", count: JSONStreamer.maxNesting + 1)
        let got = items(deep + #"{"execute": "ok"}"#)
        #expect(got.contains { if case .error(let e) = $0 { e.detail == "JSON nesting depth limit exceeded" } else { false } })
        #expect(got.last == .value(["execute": "ok"]))
    }

    @Test func pendingBytesCountOnlyTheUnfinishedMessage() {
        var streamer = JSONStreamer()
        streamer.append(Array(#"{"a": 1}  {"b": ""#.utf8))
        #expect(streamer.next() == .value(["a": 1]))
        #expect(streamer.next() == nil)
        #expect(streamer.pendingByteCount == #"{"b": ""#.utf8.count)
        streamer.append(Array(repeating: UInt8(ascii: "x"), count: 100_000))
        #expect(streamer.next() == nil)
        #expect(streamer.pendingByteCount == #"{"b": ""#.utf8.count + 100_000)
        streamer.append(Array("\"}".utf8))
        if case .value(let v) = streamer.next() { #expect(v["b"]?.stringValue?.utf8.count == 100_000) } else { Issue.record("no value") }
        #expect(streamer.pendingByteCount == 0)
    }
}

extension JSONStreamer.Item {
    var isValue: Bool {
        if case .value = self { return true }
        return false
    }
}
