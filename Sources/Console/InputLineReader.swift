import EventLoop

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads lines from a file descriptor that is not a terminal (batch input).
///
/// Any byte sequence is accepted: invalid UTF-8 is repaired with U+FFFD, NUL bytes stay
/// in the line (the parser rejects them), a last line without a newline still counts, and
/// a `\r` before the newline is dropped so files written on Windows read the same.
public struct InputLineReader {
    private let fileDescriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    /// Bytes from `start` up to here hold no newline (a long line is not scanned twice).
    private var scanned = 0
    private var atEnd = false
    /// When set and serving other sources, the reader waits for input by turning this loop
    /// instead of blocking in read(2), so those sources stay served.
    public var eventLoop: EventLoop?
    /// Asked while waiting: true ends the input.
    public var endsWhen: (() -> Bool)?

    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
        buffer.reserveCapacity(64 * 1024)
    }

    /// The next line without its terminator, or nil at the end of input.
    public mutating func next() -> String? {
        while true {
            if let newline = buffer[max(start, scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = newline + 1
                scanned = start
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = buffer.count
                return line
            }
            scanned = buffer.count
            fill()
        }
    }

    private mutating func fill() {
        if start > 0 {
            buffer.removeFirst(start)
            scanned -= start
            start = 0
        }
        if let eventLoop, !eventLoop.isIdle {
            while !eventLoop.runOnce(timeoutMilliseconds: 100, alsoWaitingFor: fileDescriptor) {
                if endsWhen?() == true {
                    atEnd = true
                    return
                }
            }
        }
        let chunk = 64 * 1024
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        var n: Int
        repeat {
            n = buffer.withUnsafeMutableBytes { read(fileDescriptor, $0.baseAddress! + old, chunk) }
        } while n < 0 && errno == EINTR
        buffer.removeLast(chunk - max(n, 0))
        if n <= 0 { atEnd = true }
    }
}
