/// A terminal that `watch` redraws in place. The console provides it (it owns the terminal);
/// the HMP layer only says what to show.
public protocol LiveScreen: AnyObject {
    /// The terminal's size now (it may change between frames).
    var columns: Int { get }
    var rows: Int { get }
    /// Takes over the screen: an empty page, keys read one by one without echo.
    func begin()
    /// Shows `lines` (already cut to the width), rewriting only the rows that changed.
    func show(_ lines: [String])
    /// Gives the screen back as it was before `begin`.
    func end()
    /// Waits at most `nanoseconds` for a key; answers the keys typed (empty when none).
    func readKeys(waitingAtMost nanoseconds: UInt64) -> [UInt8]
}
