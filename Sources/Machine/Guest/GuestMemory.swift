import MigrationStream

/// The bytes of guest RAM, computed rather than stored, so that a migration that moves bytes
/// can send them and the destination can prove it got them.
///
/// Page `p` is a zero page when it falls on the zero-page share of RAM (spread evenly:
/// `zero-percent` of every hundred pages). The guest's writes go round the hot set (the first
/// `hot-set` non-zero pages) in order, so after `pagesWritten` writes hot page `j` has been
/// written `generation(j)` times; a page's bytes depend on its index and generation only.
/// Nothing here is per page in memory: a 1 TiB guest costs nothing until its bytes are asked for.
public struct GuestMemoryLayout: Sendable, Hashable {
    public static let blockName = "pc.ram"
    /// Seed of the page contents.
    static let seed: UInt64 = 0x686D_7020_6775_6573

    public var pageSize: UInt64
    public var totalPages: UInt64
    public var zeroPercent: UInt64
    public var hotPages: UInt64
    public var pagesWritten: UInt64

    /// Whether page `p` holds only zeroes.
    @inline(__always)
    public func isZero(_ p: UInt64) -> Bool {
        (p + 1) * zeroPercent / 100 - p * zeroPercent / 100 == 1
    }

    /// Times hot page number `j` has been written.
    @inline(__always)
    func generation(hotIndex j: UInt64) -> UInt64 {
        guard j < hotPages, pagesWritten > j else { return 0 }
        return (pagesWritten - j - 1) / hotPages + 1
    }

    /// The two numbers a non-zero page's words are made of: word `i` is `a + i·b`.
    @inline(__always)
    static func words(page p: UInt64, generation g: UInt64) -> (a: UInt64, b: UInt64) {
        let a = RAMDigest.mix(seed ^ (p &* 0xD6E8_FEB8_6659_FD93) ^ (g &* 0xA076_1D64_78BD_642F)) | 1
        return (a, RAMDigest.mix(a))
    }

    /// The page hash of `words(page:generation:)` in closed form (equal to
    /// `RAMDigest.pageHash` of the bytes).
    @inline(__always)
    func hash(a: UInt64, b: UInt64) -> UInt64 {
        let n = pageSize / 8
        let s1 = n &* n
        let s2 = 2 &* ((n - 1) &* n &* (2 &* n - 1) / 6) &+ n &* (n - 1) / 2
        return a &* s1 &+ b &* s2
    }

    /// Writes the bytes of a non-zero page.
    static func fill(_ buffer: UnsafeMutableRawBufferPointer, a: UInt64, b: UInt64) {
        var w = a
        for i in 0..<buffer.count / 8 {
            buffer.storeBytes(of: w.littleEndian, toByteOffset: i * 8, as: UInt64.self)
            w = w &+ b
        }
    }

    /// Calls `body` for every page in order with its index and, for non-zero pages, its words.
    @inline(__always)
    func forEachPage(_ body: (UInt64, (a: UInt64, b: UInt64)?) throws -> Void) rethrows {
        var hotIndex: UInt64 = 0
        for p in 0..<totalPages {
            if isZero(p) {
                try body(p, nil)
                continue
            }
            let g = generation(hotIndex: hotIndex)
            hotIndex += 1
            try body(p, Self.words(page: p, generation: g))
        }
    }

    /// The digest of RAM as the guest holds it.
    public var digest: RAMDigest {
        var d = RAMDigest()
        let name = RAMDigest.nameHash(Self.blockName)
        forEachPage { p, words in
            guard let words else { return }
            d.add(nameHash: name, offset: p * pageSize, hash: hash(a: words.a, b: words.b))
        }
        return d
    }
}

extension VirtualMachine {
    /// Where the guest's RAM content stands now.
    public var memoryLayout: GuestMemoryLayout {
        GuestMemoryLayout(
            pageSize: configuration.pageSize, totalPages: configuration.totalPages,
            zeroPercent: UInt64(workload.zeroPercent), hotPages: UInt64(hotPages), pagesWritten: pagesWritten)
    }

    /// The digest of guest RAM: what an incoming migration received, or else what the guest
    /// holds. Nil above 64 GiB, where computing it would take seconds.
    public var ramDigest: String? {
        if let received = receivedRAM { return received.digest.text }
        guard configuration.ramSize <= 64 << 30 else { return nil }
        return memoryLayout.digest.text
    }
}
