/// printf-style field padding for the `qemu` format. C pads by bytes, so a non-ASCII
/// name pads the way QEMU pads it.
enum CPadding {
    /// `%-Ns`
    static func left(_ s: String, _ width: Int) -> String {
        let n = s.utf8.count
        return n >= width ? s : s + String(repeating: " ", count: width - n)
    }

    /// `%Ns`
    static func right(_ s: String, _ width: Int) -> String {
        let n = s.utf8.count
        return n >= width ? s : String(repeating: " ", count: width - n) + s
    }

    /// `%0Nd`
    static func zeros(_ value: Int64, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let sign = value < 0 ? "-" : ""
        let pad = max(0, width - digits.count - sign.count)
        return sign + String(repeating: "0", count: pad) + digits
    }
}
