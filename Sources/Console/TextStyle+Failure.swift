extension TextStyle {
    /// A line that reports a failure (a failed migration, a job error), in red.
    public func failureLine(_ text: String) -> String {
        guard enabled, !text.isEmpty else { return text }
        return "\u{1B}[31m" + text + "\u{1B}[0m"
    }
}
