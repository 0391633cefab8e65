/// The command table: the top-level commands sorted by name as QEMU sorts them; `info`
/// carries its subcommands as its sub-table. Parsing, help, completion, shell completion and
/// the man page read it.
public struct CommandTable: Sendable {
    public let commands: [HMPCommand]
    /// Row by name and alias: a batch looks one up per line.
    private let index: [String: Int]

    /// `infoCommands` become the sub-table of the `info` row.
    public init(commands: [HMPCommand], infoCommands: [HMPCommand]) {
        self.commands = commands.map { command in
            guard command.name == "info", command.subTable == nil else { return command }
            var info = command
            info.subTable = infoCommands.sorted { $0.name < $1.name }
            return info
        }.sorted { $0.displayName < $1.displayName }
        var index: [String: Int] = [:]
        for (position, command) in self.commands.enumerated() {
            for name in [command.name] + command.aliases where index[name] == nil { index[name] = position }
        }
        self.index = index
    }

    public func command(named word: String) -> HMPCommand? { index[word].map { commands[$0] } }

    /// The `info` subcommands.
    public var infoCommands: [HMPCommand] { command(named: "info")?.subTable ?? [] }
    public func infoCommand(named word: String) -> HMPCommand? { command(named: "info")?.subcommand(named: word) }

    /// Every name and alias that can start a line.
    public var allNames: [String] { commands.flatMap { [$0.name] + $0.aliases }.sorted() }

    /// The console's table.
    public static let standard = CommandTable(
        commands: GenericCommands.commands + MigrationCommands.commands + DirtyRateCommands.commands
            + BlockCommands.commands + SnapshotCommands.commands + ModelCommands.commands
            + [WaitCommand.command, Explain.command, WatchCommand.command] + VMCommands.commands
            + CPUCommands.commands,
        infoCommands: GenericCommands.infoCommands + MigrationCommands.infoCommands + DirtyRateCommands.infoCommands
            + BlockCommands.infoCommands + SnapshotCommands.infoCommands + ModelCommands.infoCommands
            + EventCommands.infoCommands
            + MigrationStreamCommands.infoCommands)
}
