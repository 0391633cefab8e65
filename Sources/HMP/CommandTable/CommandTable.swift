/// The command table: top-level commands and the `info` sub-table, both sorted by name as
/// QEMU sorts them. Parsing, help, completion, shell completion and the man page read it.
public struct CommandTable: Sendable {
    public let commands: [HMPCommand]
    public let infoCommands: [HMPCommand]

    public init(commands: [HMPCommand], infoCommands: [HMPCommand]) {
        self.commands = commands.sorted { $0.displayName < $1.displayName }
        self.infoCommands = infoCommands.sorted { $0.name < $1.name }
    }

    public func command(named word: String) -> HMPCommand? { commands.first { $0.matches(word) } }
    public func infoCommand(named word: String) -> HMPCommand? { infoCommands.first { $0.matches(word) } }

    /// Every name and alias that can start a line.
    public var allNames: [String] { commands.flatMap { [$0.name] + $0.aliases }.sorted() }

    /// The console's table.
    public static let standard = CommandTable(
        commands: GenericCommands.commands + MigrationCommands.commands + DirtyRateCommands.commands
            + BlockCommands.commands + SnapshotCommands.commands + ModelCommands.commands,
        infoCommands: GenericCommands.infoCommands + MigrationCommands.infoCommands + DirtyRateCommands.infoCommands
            + BlockCommands.infoCommands + SnapshotCommands.infoCommands + ModelCommands.infoCommands
            + MigrationStreamCommands.infoCommands)
}
