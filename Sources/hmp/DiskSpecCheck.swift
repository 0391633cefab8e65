import Machine

/// Whether a `--disk` text reads as a disk spec (completion checks the typed options with it).
enum DiskSpecCheck {
    static func parses(_ text: String) -> Bool { (try? DiskSpec.parse(text)) != nil }
}
