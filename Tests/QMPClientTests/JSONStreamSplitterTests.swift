import QAPI
import Testing

@Suite struct JSONStreamSplitterTests {
    @Test func valuesSplitAcrossChunksComeOutWhole() throws {
        var splitter = JSONStreamSplitter()
        let text = #"{"QMP": {"version": {}}}"# + "\r\n" + #"{"return": {"a": "}{"}, "id": "x"}"# + "\n" + #"{"event": "STOP"}"#
        var values: [JSONValue] = []
        for byte in Array(text.utf8) {
            for result in splitter.append([byte]) { values.append(try result.get()) }
        }
        #expect(values.count == 3)
        #expect(values[1]["return"]?["a"]?.stringValue == "}{")
        #expect(values[2]["event"]?.stringValue == "STOP")
        #expect(splitter.pendingByteCount == 0)
    }

    @Test func aPartialValueWaits() throws {
        var splitter = JSONStreamSplitter()
        #expect(splitter.append(Array(#"{"a": [1, "\"]"#.utf8)).isEmpty)
        let done = splitter.append(Array(#"", 2]} {"b": 1}"#.utf8))
        #expect(done.count == 2)
        #expect(try done[0].get()["a"]?.arrayValue?.count == 3)
    }

    @Test func aBrokenValueIsAnErrorAndTheNextOneStillParses() {
        var splitter = JSONStreamSplitter()
        let results = splitter.append(Array(#"{"a": tru} {"b": 2}"#.utf8))
        #expect(results.count == 2)
        if case .success = results[0] { Issue.record("a broken value parsed") }
        #expect((try? results[1].get())?["b"]?.int64Value == 2)
    }
}
