/// A small deterministic generator (SplitMix64) so a property test's failure reproduces from
/// its seed. It has no dependencies, so every test target can use it, including the ones that
/// link only the code generator.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<n (n > 0), by remainder: cheap, and the same sequence on every platform,
    /// which `Int.random(in:using:)` does not promise.
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// A coin toss.
    public mutating func bool() -> Bool { next() & 1 == 0 }
}
