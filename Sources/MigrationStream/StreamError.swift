/// What was wrong with a migration stream, and where: every reading error names the byte
/// offset and what was expected there.
public struct StreamError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Offset of the byte (from the start of the stream) where the problem was found.
    public var offset: UInt64
    public var message: String

    public init(offset: UInt64, _ message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "migration stream at offset \(offset) (0x\(String(offset, radix: 16))): \(message)" }
}
