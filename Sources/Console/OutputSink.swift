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
    /// -1 for a sink that keeps what it gets in `captured` (tests, completion listings).
    public let fileDescriptor: Int32
    /// Everything written, for a sink made with `capturing()`.
    public private(set) var captured = ""
    /// Write through after every `write`, e.g. when the descriptor is a terminal.
    public var flushesEachWrite: Bool
    private var buffer: [UInt8] = []
    private let capacity: Int
    /// Set once a write failed (EPIPE, a full disk): later output is dropped, not retried.
    public private(set) var failed = false
    /// errno of the write that failed.
    public private(set) var failureErrno: Int32 = 0

    public init(fileDescriptor: Int32, flushesEachWrite: Bool? = nil, capacity: Int = 64 * 1024) {
        self.fileDescriptor = fileDescriptor
        self.flushesEachWrite = flushesEachWrite ?? (fileDescriptor >= 0 && isatty(fileDescriptor) == 1)
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    /// A sink that writes nowhere and keeps the text.
    public static func capturing() -> OutputSink {
        OutputSink(fileDescriptor: -1, flushesEachWrite: false)
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
        guard fileDescriptor >= 0 else {
            captured += String(decoding: buffer, as: UTF8.self)
            return
        }
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fileDescriptor, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    failureErrno = errno
                    return
                }
                offset += n
            }
        }
    }
}
