import Testing

@testable import EventLoop

#if canImport(Glibc)
import Glibc
#endif

@Suite struct EventLoopTests {
    @Test func readableDescriptorRunsItsHandler() throws {
        let loop = EventLoop()
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        var seen: [UInt8] = []
        loop.watch(fds[0]) {
            var byte: UInt8 = 0
            if read(fds[0], &byte, 1) == 1 { seen.append(byte) }
        }
        var byte: UInt8 = 7
        _ = write(fds[1], &byte, 1)
        loop.runOnce(timeoutMilliseconds: 1000)
        #expect(seen == [7])
    }

    @Test func timersRunInDeadlineOrderAndOnlyOnce() {
        let loop = EventLoop()
        var order: [Int] = []
        loop.schedule(after: 2_000_000) { order.append(2) }
        loop.schedule(after: 1_000_000) { order.append(1) }
        let done = loop.run(forAtMost: 1_000_000_000) { order.count == 2 }
        #expect(done)
        #expect(order == [1, 2])
        loop.runOnce(timeoutMilliseconds: 5)
        #expect(order == [1, 2])
    }

    @Test func cancelledSourcesDoNotRun() {
        let loop = EventLoop()
        var ran = false
        let token = loop.schedule(after: 0) { ran = true }
        loop.cancel(token)
        loop.runOnce(timeoutMilliseconds: 5)
        #expect(!ran)
        #expect(loop.isIdle)
    }

    @Test func callersDescriptorEndsTheWaitWithoutAHandler() throws {
        let loop = EventLoop()
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        #expect(!loop.runOnce(timeoutMilliseconds: 1, alsoWaitingFor: fds[0]))
        var byte: UInt8 = 1
        _ = write(fds[1], &byte, 1)
        #expect(loop.runOnce(timeoutMilliseconds: 1000, alsoWaitingFor: fds[0]))
    }

    @Test func hugeDelaysDoNotOverflow() {
        let loop = EventLoop()
        var ran = false
        loop.schedule(after: .max) { ran = true }
        loop.runOnce(timeoutMilliseconds: 0)
        #expect(!ran)
    }
}
