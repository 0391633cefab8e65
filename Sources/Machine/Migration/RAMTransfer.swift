#if canImport(Glibc)
import Glibc
#endif

/// Bytes a page of each kind costs on the wire (QEMU's stream format: an 8-byte header per
/// page, then the payload).
struct PageCosts: Hashable {
    /// Target page size.
    var pageSize: Double
    /// A page sent in full: header + page.
    var normal: Double
    /// A zero page: the header and one fill byte on the main channel, or one 8-byte offset in
    /// a multifd packet.
    var zero: Double
    /// An XBZRLE-encoded page: header, flag byte, 2-byte length and the encoded delta.
    var xbzrle: Double

    static let headerBytes = 8.0

    init(pageSize: UInt64, multifdZeroPages: Bool) {
        self.pageSize = Double(pageSize)
        normal = Double(pageSize) + Self.headerBytes
        zero = multifdZeroPages ? Self.headerBytes : Self.headerBytes + 1
        xbzrle = Self.headerBytes + 3 + Double(pageSize) / XBZRLEModel.compressionFactor
    }
}

/// How XBZRLE behaves for re-sent pages: the share found in the cache, and the share of
/// those whose delta does not fit (sent in full and counted as overflow).
struct XBZRLEModel: Hashable {
    /// Encoded deltas are about this many times smaller than a page.
    static let compressionFactor = 8.0
    /// Share of cache hits whose delta overflows.
    static let overflowRatio = 0.02

    var hitRatio: Double

    init(cacheBytes: UInt64, hotPages: Double, pageSize: UInt64) {
        let cachePages = Double(cacheBytes / pageSize)
        hitRatio = hotPages <= 0 ? 1 : min(1, cachePages / hotPages)
    }

    /// Share of re-sent pages that go out encoded.
    var encodedRatio: Double { hitRatio * (1 - Self.overflowRatio) }
}

/// Where bytes were sent: before the guest stopped, while it was stopped, or in postcopy.
enum TransferPhase {
    case precopy, downtime, postcopy
}

/// Integer counters of one migration, as `query-migrate` reports them.
struct RAMCounters: Hashable {
    var normalPages: UInt64 = 0
    var zeroPages: UInt64 = 0
    var xbzrlePages: UInt64 = 0
    /// XBZRLE bytes without page headers (what QEMU reports).
    var xbzrleBytes: UInt64 = 0
    var xbzrleCacheMiss: UInt64 = 0
    var xbzrleOverflow: UInt64 = 0
    /// Wire bytes of pages of all kinds.
    var pageBytes: UInt64 = 0
    /// Wire bytes of device state.
    var deviceBytes: UInt64 = 0
    var multifdBytes: UInt64 = 0
    var precopyBytes: UInt64 = 0
    var downtimeBytes: UInt64 = 0
    var postcopyBytes: UInt64 = 0
    var syncCount: UInt64 = 0
    var postcopyRequests: UInt64 = 0

    var transferred: UInt64 { precopyBytes + downtimeBytes + postcopyBytes }
    /// Every page handled, whatever its kind (QEMU's pages-per-second counts these).
    var pagesHandled: UInt64 { normalPages + zeroPages + xbzrlePages }

    mutating func account(_ bytes: UInt64, phase: TransferPhase) {
        switch phase {
        case .precopy: precopyBytes += bytes
        case .downtime: downtimeBytes += bytes
        case .postcopy: postcopyBytes += bytes
        }
    }
}

/// The migration bitmap and its counters, as counts. Pages are never tracked one by one: the
/// bitmap is "so many zero pages and so many normal pages still to send this round", the guest's
/// writes since the last sync are one number, and a sync merges them.
struct RAMTransfer: Hashable {
    let pageSize: UInt64
    let totalPages: UInt64
    /// Pages still set in the migration bitmap this round.
    private(set) var unsentZero: UInt64
    private(set) var unsentNormal: UInt64
    /// Normal pages in the bitmap when the round started (to tell how much of it is sent).
    private(set) var roundNormal: UInt64
    /// Distinct pages the guest dirtied since the last sync.
    var dirtied: Double = 0
    /// The first round sends every page; XBZRLE only fills its cache then.
    private(set) var bulk = true
    private(set) var counters = RAMCounters()

    private var byteCarry = 0.0
    private var zeroCarry = 0.0
    private var encodedCarry = 0.0
    private var hitCarry = 0.0

    /// Starts a migration of `totalPages` pages of which `zeroPages` hold only zeroes; the
    /// first bitmap sync (QEMU does it in setup) marks them all dirty.
    init(pageSize: UInt64, totalPages: UInt64, zeroPages: UInt64) {
        self.pageSize = pageSize
        self.totalPages = totalPages
        unsentZero = min(zeroPages, totalPages)
        unsentNormal = totalPages - unsentZero
        roundNormal = unsentNormal
        counters.syncCount = 1
    }

    /// A transfer that sends no RAM (CPR transfer keeps RAM in place).
    static func empty(pageSize: UInt64, totalPages: UInt64) -> RAMTransfer {
        var t = RAMTransfer(pageSize: pageSize, totalPages: totalPages, zeroPages: 0)
        t.unsentNormal = 0
        t.roundNormal = 0
        return t
    }

    var unsentPages: UInt64 { unsentZero + unsentNormal }
    /// QEMU's `remaining`: pages in the bitmap times the page size.
    var remainingBytes: UInt64 { unsentPages * pageSize }

    /// Average wire cost of the pages left in the bitmap.
    func averageCost(_ costs: PageCosts, xbzrle: XBZRLEModel?) -> Double {
        let unsent = unsentPages
        guard unsent > 0 else { return costs.normal }
        return (Double(unsentZero) * costs.zero + Double(unsentNormal) * normalCost(costs, xbzrle: xbzrle))
            / Double(unsent)
    }

    /// Wire bytes needed to send everything left in the bitmap.
    func pendingWireBytes(_ costs: PageCosts, xbzrle: XBZRLEModel?) -> Double {
        Double(unsentZero) * costs.zero + Double(unsentNormal) * normalCost(costs, xbzrle: xbzrle)
    }

    private func normalCost(_ costs: PageCosts, xbzrle: XBZRLEModel?) -> Double {
        guard let xbzrle, !bulk else { return costs.normal }
        return xbzrle.encodedRatio * costs.xbzrle + (1 - xbzrle.encodedRatio) * costs.normal
    }

    /// Sends pages for up to `budget` bytes (all that is left when nil) and returns the bytes
    /// put on the wire. Fractions of pages carry over to the next call, so sending in many
    /// small steps adds up to sending in one.
    @discardableResult
    mutating func send(
        budget: Double?, phase: TransferPhase, costs: PageCosts, xbzrle: XBZRLEModel?, multifd: Bool
    ) -> UInt64 {
        let unsent = unsentPages
        guard unsent > 0 else { return 0 }
        let average = averageCost(costs, xbzrle: xbzrle)
        var pages = unsent
        var available = Double.infinity
        if let budget {
            available = budget + byteCarry
            let affordable = (available / average).rounded(.down)
            if affordable < Double(unsent) { pages = affordable > 0 ? UInt64(affordable) : 0 }
        }
        guard pages > 0 else {
            byteCarry = available
            return 0
        }

        // Zero and normal pages are spread evenly through the bitmap.
        zeroCarry += Double(pages) * Double(unsentZero) / Double(unsent)
        var zeros = min(UInt64(zeroCarry.rounded(.down)), unsentZero)
        zeroCarry -= Double(zeros)
        var normals = pages - zeros
        if normals > unsentNormal {
            normals = unsentNormal
            zeros = pages - normals
        }

        var encoded: UInt64 = 0
        if let xbzrle, !bulk, normals > 0 {
            hitCarry += Double(normals) * xbzrle.hitRatio
            let hits = min(UInt64(hitCarry.rounded(.down)), normals)
            hitCarry -= Double(hits)
            encodedCarry += Double(hits) * (1 - XBZRLEModel.overflowRatio)
            encoded = min(UInt64(encodedCarry.rounded(.down)), hits)
            encodedCarry -= Double(encoded)
            counters.xbzrleCacheMiss += normals - hits
            counters.xbzrleOverflow += hits - encoded
        } else if xbzrle != nil {
            // Bulk round: every page goes into the cache as a miss.
            counters.xbzrleCacheMiss += normals
        }

        let full = normals - encoded
        let bytes =
            zeros * UInt64(costs.zero) + full * UInt64(costs.normal) + encoded * UInt64(costs.xbzrle)
        unsentZero -= zeros
        unsentNormal -= normals
        counters.zeroPages += zeros
        counters.normalPages += full
        counters.xbzrlePages += encoded
        counters.xbzrleBytes += encoded * UInt64(costs.xbzrle - PageCosts.headerBytes)
        counters.pageBytes += bytes
        if multifd { counters.multifdBytes += bytes }
        counters.account(bytes, phase: phase)
        byteCarry = unsentPages == 0 ? 0 : available - Double(bytes)
        if !byteCarry.isFinite { byteCarry = 0 }
        return bytes
    }

    /// Syncs the dirty bitmap: the pages dirtied since the last sync join the bitmap (those
    /// not already waiting in it), a new round starts. Returns the pages newly set, which is
    /// what QEMU counts as dirtied in the period.
    @discardableResult
    mutating func sync() -> UInt64 {
        let waiting = roundNormal > 0 ? Double(unsentNormal) / Double(roundNormal) : 0
        let newlySet = UInt64((dirtied * (1 - min(1, waiting))).rounded())
        unsentNormal = min(totalPages - unsentZero, unsentNormal + newlySet)
        roundNormal = unsentNormal
        dirtied = 0
        bulk = false
        counters.syncCount += 1
        byteCarry = 0
        return newlySet
    }

    mutating func addDeviceState(_ bytes: UInt64, phase: TransferPhase) {
        counters.deviceBytes += bytes
        counters.account(bytes, phase: phase)
    }

    mutating func addPostcopyRequests(_ n: UInt64) { counters.postcopyRequests += n }
}
