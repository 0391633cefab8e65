import EventLoop
import QAPI

/// One client's state: its socket, what it has sent that is not handled yet, what is still
/// to be written to it, and where it is in the protocol.
final class QMPConnection {
    /// A number for log lines (`client 3`).
    let number: Int
    let fd: Int32
    /// Who connected, for log lines.
    let peer: String
    var streamer = JSONStreamer()
    /// Replies and events not yet written; `outputStart` is where the unwritten part begins.
    var output: [UInt8] = []
    var outputStart = 0
    /// Past `qmp_capabilities`: commands run and events arrive.
    var negotiated = false
    var outOfBandEnabled = false
    var readToken: EventLoop.Token?
    var writeToken: EventLoop.Token?
    /// A command of this client is running (it may turn the loop: `human-monitor-command`
    /// with a waiting HMP command); input that arrives meanwhile waits.
    var busy = false
    /// The peer has shut its side: answer what it sent, then close.
    var peerClosed = false
    var closed = false

    init(number: Int, fd: Int32, peer: String) {
        self.number = number
        self.fd = fd
        self.peer = peer
    }

    var pendingOutput: Int { output.count - outputStart }

    func queue(_ message: JSONValue) {
        JSONWriter(asciiOnly: true).write(message, into: &output)
        // QEMU's monitor turns every "\n" it prints into "\r\n" (monitor_puts()).
        output.append(0x0D)
        output.append(0x0A)
    }

    func queue(serialized bytes: [UInt8]) {
        output.append(contentsOf: bytes)
    }

    /// Forgets what has been written, once it is a good share of the buffer.
    func written(_ count: Int) {
        outputStart += count
        if outputStart == output.count {
            output.removeAll(keepingCapacity: output.capacity <= 1 << 20)
            outputStart = 0
        } else if outputStart >= 1 << 16, outputStart * 2 >= output.count {
            output.removeSubrange(0..<outputStart)
            outputStart = 0
        }
    }
}
