/// The man page, generated from the command table and the option specs.
public enum ManPage {
    public static func render(table: CommandTable = .standard, options: [OptionSpec] = CommandLineOptions.all, version: String) -> String {
        var out = ".Dd $Mdocdate$\n.Dt HMP 1\n.Os swift-hmp \(version)\n.Sh NAME\n.Nm hmp\n.Nd operator console for QEMU-style virtual machines\n"
        out += ".Sh COMMANDS\n.Bl -tag -width Ds\n"
        for c in table.commands { out += ".It Ic \(c.name) \(c.params)\n\(c.help)\n" }
        out += ".El\n"
        return out
    }
}
