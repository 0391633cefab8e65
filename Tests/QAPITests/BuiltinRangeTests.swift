import Testing

@testable import QAPI

/// Every builtin integer type accepts exactly its range, with QEMU's texts outside it.
@Suite struct BuiltinRangeTests {
    func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as QAPIDecodingError {
            return error.within("x").description
        } catch {
            return "unexpected error \(error)"
        }
    }

    @Test func signedTypes() {
        func edges<T: FixedWidthInteger & SignedInteger>(
            _ type: T.Type, _ decode: (JSONValue) throws(QAPIDecodingError) -> T, _ cType: String
        ) {
            #expect(message { _ = try decode(.int(Int64(T.min))) } == nil)
            #expect(message { _ = try decode(.int(Int64(T.max))) } == nil)
            if T.bitWidth < 64 {
                #expect(message { _ = try decode(.int(Int64(T.min) - 1)) } == "Parameter 'x' expects \(cType)")
                #expect(message { _ = try decode(.int(Int64(T.max) + 1)) } == "Parameter 'x' expects \(cType)")
            }
        }
        edges(Int8.self, QAPICodec.int8, "int8_t")
        edges(Int16.self, QAPICodec.int16, "int16_t")
        edges(Int32.self, QAPICodec.int32, "int32_t")
        edges(Int64.self, QAPICodec.int64, "integer")
        #expect(message { _ = try QAPICodec.int64(.uint(UInt64(Int64.max) + 1)) } == "Parameter 'x' expects integer")
        #expect(message { _ = try QAPICodec.int64(.double(1.5)) } == "Parameter 'x' expects integer")
        #expect(message { _ = try QAPICodec.int64(.string("1")) } == "Invalid parameter type for 'x', expected: integer")
    }

    @Test func unsignedTypes() {
        func edges<T: FixedWidthInteger & UnsignedInteger>(
            _ type: T.Type, _ decode: (JSONValue) throws(QAPIDecodingError) -> T, _ cType: String
        ) {
            #expect(message { _ = try decode(.int(0)) } == nil)
            #expect(message { _ = try decode(QAPICodec.encode(UInt64(T.max))) } == nil)
            #expect(message { _ = try decode(.int(-1)) } != nil)
            if T.bitWidth < 64 {
                #expect(message { _ = try decode(.int(Int64(T.max) + 1)) } == "Parameter 'x' expects \(cType)")
            }
        }
        edges(UInt8.self, QAPICodec.uint8, "uint8_t")
        edges(UInt16.self, QAPICodec.uint16, "uint16_t")
        edges(UInt32.self, QAPICodec.uint32, "uint32_t")
        edges(UInt64.self, QAPICodec.uint64, "uint64")
        edges(UInt64.self, QAPICodec.size, "size")
        #expect(message { _ = try QAPICodec.uint64(.int(-1)) } == "Parameter 'x' expects uint64")
        #expect(message { _ = try QAPICodec.size(.int(-1)) } == "Parameter 'x' expects size")
        #expect(message { _ = try QAPICodec.size(.bool(true)) } == "Invalid parameter type for 'x', expected: integer")
    }

    @Test func otherBuiltins() throws {
        #expect(message { _ = try QAPICodec.str(.int(1)) } == "Invalid parameter type for 'x', expected: string")
        #expect(message { _ = try QAPICodec.bool(.string("on")) } == "Invalid parameter type for 'x', expected: boolean")
        #expect(message { _ = try QAPICodec.number(.string("1")) } == "Invalid parameter type for 'x', expected: number")
        #expect(message { _ = try QAPICodec.null(.int(0)) } == "Invalid parameter type for 'x', expected: null")
        #expect(message { _ = try QAPICodec.object(.array([])) } == "Invalid parameter type for 'x', expected: object")
        #expect(
            message { _ = try QAPICodec.array(.object(JSONObject()), QAPICodec.str) } == "Invalid parameter type for 'x', expected: array")
        #expect(try QAPICodec.number(.int(3)) == 3.0)
        #expect(try QAPICodec.any(.array([1])) == .array([1]))
    }

    @Test func pathsNameNestedMembers() {
        let e = QAPIDecodingError(.missing, path: ["port"]).within("addr").within("[0]").within("channels")
        #expect(e.description == "Parameter 'channels[0].addr.port' is missing")
    }
}
