/// Pieces of the short confirmations the table format prints where QEMU's HMP is silent.
enum Confirmation {
    /// A duration in the largest unit that is exact: `1 s`, `100 ms`, `250 us`, `7 ns`.
    static func duration(nanoseconds: UInt64) -> String {
        if nanoseconds % 1_000_000_000 == 0 { return "\(nanoseconds / 1_000_000_000) s" }
        if nanoseconds % 1_000_000 == 0 { return "\(nanoseconds / 1_000_000) ms" }
        if nanoseconds % 1_000 == 0 { return "\(nanoseconds / 1_000) us" }
        return "\(nanoseconds) ns"
    }
}
