/// A count that grows at a constant rate between model events, kept exactly.
///
/// It holds whole units plus the fraction in billionths of a unit, so advancing the clock in
/// many small steps gives the same totals as one big step, and every run gives the same numbers.
struct RateCounter: Sendable, Hashable {
    private static let billion: UInt64 = 1_000_000_000

    private(set) var whole: UInt64
    /// Fraction of the next unit, in billionths (always below one billion).
    private(set) var billionths: UInt64 = 0

    init(_ whole: UInt64 = 0) { self.whole = whole }

    /// Adds `rate` units per second over `nanoseconds`; answers how many whole units were added.
    @discardableResult
    mutating func accumulate(rate: UInt64, nanoseconds: UInt64) -> UInt64 {
        guard rate > 0, nanoseconds > 0 else { return 0 }
        var (high, low) = rate.multipliedFullWidth(by: nanoseconds)
        let (sum, carry) = low.addingReportingOverflow(billionths)
        low = sum
        if carry { high &+= 1 }
        guard high < Self.billion else {
            // Beyond 2^64 units: saturate rather than trap; no model quantity gets near it.
            let added = UInt64.max - whole
            whole = .max
            billionths = 0
            return added
        }
        let (quotient, remainder) = Self.billion.dividingFullWidth((high, low))
        let (total, overflow) = whole.addingReportingOverflow(quotient)
        let added = overflow ? UInt64.max - whole : quotient
        whole = overflow ? .max : total
        billionths = remainder
        return added
    }

    mutating func add(_ units: UInt64) {
        let (total, overflow) = whole.addingReportingOverflow(units)
        whole = overflow ? .max : total
    }

    /// Sets the whole part and drops the fraction (used when a quantity hits a cap or is reset).
    mutating func set(_ units: UInt64) {
        whole = units
        billionths = 0
    }

    /// Nanoseconds until `whole` reaches `target` when growing at `rate`; 0 if it already has,
    /// nil if it never will within the range of the clock.
    func nanoseconds(untilReaching target: UInt64, rate: UInt64) -> UInt64? {
        if whole >= target { return 0 }
        guard rate > 0 else { return nil }
        // deficit = (target - whole) * 1e9 - billionths, in 128 bits.
        var (high, low) = (target - whole).multipliedFullWidth(by: Self.billion)
        let (difference, borrow) = low.subtractingReportingOverflow(billionths)
        low = difference
        if borrow { high -= 1 }
        guard high < rate else { return nil }
        let (quotient, remainder) = rate.dividingFullWidth((high, low))
        if remainder == 0 { return quotient }
        return quotient == .max ? nil : quotient + 1
    }

    /// Nanoseconds since the last whole unit was completed, at `rate` (nil when not growing).
    func nanosecondsSinceLastUnit(rate: UInt64) -> UInt64? {
        guard rate > 0 else { return nil }
        return billionths / rate
    }
}

extension UInt64 {
    /// `self * numerator / denominator` without intermediate overflow (denominator > 0; result saturates).
    func scaled(by numerator: UInt64, over denominator: UInt64) -> UInt64 {
        let (high, low) = multipliedFullWidth(by: numerator)
        guard high < denominator else { return .max }
        return denominator.dividingFullWidth((high, low)).quotient
    }

    /// Adds without trapping; saturates at the maximum.
    func saturatingAdd(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }

    /// Subtracts without trapping; stops at zero.
    func saturatingSub(_ other: UInt64) -> UInt64 { self > other ? self - other : 0 }
}
