/// The sizes hmp prints read back as QEMU's `qemu_strtosz` text.
enum IECSizeText {
    /// `1GiB` → `1G`, and for a rate `64MiB/s` → `64M`, `1G/s` → `1G`. Anything else is left
    /// as it is, for QEMU's rules to judge.
    static func asQEMU(_ text: String, perSecond: Bool) -> String {
        var body = Substring(text)
        if perSecond, body.hasSuffix("/s") { body = body.dropLast(2) }
        if body.hasSuffix("iB"), body.count > 3, let letter = body.dropLast(2).last, "KMGTPEkmgtpe".contains(letter),
            body.dropLast(3).last?.isNumber == true
        {
            body = body.dropLast(2)
        }
        return String(body)
    }
}
