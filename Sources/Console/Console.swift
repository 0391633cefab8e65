import QAPI

/// The console front end.
public enum Console {
    /// Prints every schema command, one per line.
    public static func printCommandList() {
        for command in QAPISchema.commands { print(command.name) }
    }
}
