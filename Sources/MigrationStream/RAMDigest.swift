/// A digest of guest RAM that both ends of a migration compute, the source from what its
/// guest holds and the destination from the bytes it received, so that equal digests show
/// that every page arrived.
///
/// A page's hash is `Σ w[i]·(2i+1)` over its little-endian 64-bit words (wrapping): cheap,
/// and any change to one word changes it. Pages whose hash is zero (all-zero pages) add
/// nothing, so a zero page sent as a ZERO record or in full counts the same. The digest is
/// the wrapping sum over pages of a mix of page index and page hash, per block, so it does
/// not depend on the order pages arrive in.
public struct RAMDigest: Sendable, Hashable {
    public private(set) var value: UInt64 = 0

    public init() {}

    /// The hash of one page's bytes.
    public static func pageHash(_ page: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0
        let words = page.count / 8
        var c: UInt64 = 1
        for i in 0..<words {
            let w = UInt64(littleEndian: page.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
            h = h &+ w &* c
            c = c &+ 2
        }
        return h
    }

    /// Adds a page of `block` at byte `offset` with hash `hash`.
    public mutating func add(block: String, offset: UInt64, hash: UInt64) {
        guard hash != 0 else { return }
        value = value &+ Self.mix(Self.nameHash(block) ^ (offset &* 0x9E37_79B9_7F4A_7C15) ^ hash)
    }

    /// Adds pages of one block quickly: `nameHash` from `nameHash(_:)`.
    @inline(__always)
    public mutating func add(nameHash: UInt64, offset: UInt64, hash: UInt64) {
        guard hash != 0 else { return }
        value = value &+ Self.mix(nameHash ^ (offset &* 0x9E37_79B9_7F4A_7C15) ^ hash)
    }

    /// Replaces a page sent again: its earlier hash `old` no longer counts.
    @inline(__always)
    public mutating func replace(nameHash: UInt64, offset: UInt64, old: UInt64, new: UInt64) {
        if old != 0 { value = value &- Self.mix(nameHash ^ (offset &* 0x9E37_79B9_7F4A_7C15) ^ old) }
        add(nameHash: nameHash, offset: offset, hash: new)
    }

    /// 64-bit FNV-1a of a block name.
    public static func nameHash(_ name: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }

    /// splitmix64's finaliser.
    @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Sixteen hex digits.
    public var text: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
