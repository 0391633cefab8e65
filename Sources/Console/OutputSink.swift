#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered writer on a file descriptor.
///
/// Batch runs write many short results; one write(2) per result would dominate the cost,
/// so output is collected and written in large blocks. Writers that face a person
/// (`flushesEachWrite`) pass every text on at once.
public final class OutputSink {
    public let fileDescriptor: Int32
    /// Write through after every `write`, e.g. when the descriptor is a terminal.
    public var flushesEachWrite: Bool
    private var buffer: [UInt8] = []
    private let capacity: Int
    /// Set once a write failed (EPIPE, a full disk): later output is dropped, not retried.
    public private(set) var failed = false

    public init(fileDescriptor: Int32, flushesEachWrite: Bool? = nil, capacity: Int = 64 * 1024) {
        self.fileDescriptor = fileDescriptor
        self.flushesEachWrite = flushesEachWrite ?? (isatty(fileDescriptor) == 1)
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    deinit { flush() }

    public func write(_ text: String) {
        guard !text.isEmpty else { return }
        var text = text
        text.withUTF8 { bytes in buffer.append(contentsOf: bytes) }
        if flushesEachWrite || buffer.count >= capacity { flush() }
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        guard !failed else { return }
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fileDescriptor, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    return
                }
                offset += n
            }
        }
    }
}
