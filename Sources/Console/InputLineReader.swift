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
    /// errno of a read that failed (EISDIR for `< /`, EBADF for a closed stdin), or nil.
    public private(set) var readError: Int32?

    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
        buffer.reserveCapacity(64 * 1024)
    }

    /// The longest line kept, in bytes. A longer one is skipped as it arrives (never held
    /// whole in memory) and stands as an empty line with `overlongLineBytes` set.
    public var maximumLineBytes = 4 << 20
    /// The length of the line `next()` just skipped for being too long, or nil.
    public private(set) var overlongLineBytes: Int?
    /// Bytes of the line being skipped so far, while skipping.
    private var skipped: Int?

    /// The next line without its terminator, or nil at the end of input.
    public mutating func next() -> String? {
        overlongLineBytes = nil
        while true {
            if let count = skipped {
                // Drop bytes up to the end of the overlong line.
                if let newline = Self.newline(in: buffer, from: start) {
                    overlongLineBytes = count + (newline - start)
                    skipped = nil
                    start = newline + 1
                    scanned = start
                    return ""
                }
                skipped = count + (buffer.count - start)
                start = buffer.count
                scanned = start
                if atEnd {
                    overlongLineBytes = skipped
                    skipped = nil
                    return ""
                }
                fill()
                continue
            }
            if buffer.count - start > maximumLineBytes,
                Self.newline(in: buffer, from: max(start, scanned)).map({ $0 - start > maximumLineBytes }) ?? true
            {
                skipped = 0
                continue
            }
            if let newline = Self.newline(in: buffer, from: max(start, scanned)) {
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

    /// The index of the first newline at or after `from` (memchr: long lines are scanned fast).
    static func newline(in buffer: [UInt8], from: Int) -> Int? {
        guard from < buffer.count else { return nil }
        return buffer.withUnsafeBytes { raw -> Int? in
            guard let found = memchr(raw.baseAddress! + from, 0x0A, raw.count - from) else { return nil }
            return raw.baseAddress!.distance(to: UnsafeRawPointer(found))
        }
    }

    private static let zeros = [UInt8](repeating: 0, count: 64 * 1024)

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
        // Room for the read; appending an array is a copy, not a per-byte loop.
        buffer.append(contentsOf: Self.zeros)
        var n: Int
        repeat {
            n = buffer.withUnsafeMutableBytes { read(fileDescriptor, $0.baseAddress! + old, chunk) }
        } while n < 0 && errno == EINTR && endsWhen?() != true
        let code = errno
        buffer.removeLast(chunk - max(n, 0))
        if n <= 0 { atEnd = true }
        // A failed read is not the end of the input: the batch reports it.
        if n < 0, code != EINTR { readError = code }
    }
}
