import ArgumentParser
import HMP

/// The command line of `hmp`, as swift-argument-parser reads it. Values stay text here;
/// `Settings` checks them so every bad value gets one clear line.
struct HMPCommandLine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hmp",
        abstract: "An operator console for QEMU-style live migration and block devices.",
        usage: """
            hmp [OPTIONS]                      start the interactive console
            hmp [OPTIONS] COMMAND [ARG...]     run one command line and exit
            hmp [OPTIONS] -c 'LINE; LINE'      run command lines and exit
            hmp [OPTIONS] < SCRIPT             run a script, one command line per line
            """,
        discussion: """
            Commands act on an in-process model of one VM. Exit status: 0 when every command \
            succeeded, 1 when one failed, 2 for a bad option. Type 'help' in the console for \
            the commands.
            """,
        helpNames: .spec(CommandLineOptions.help))

    @Option(name: .spec(CommandLineOptions.command), help: .spec(CommandLineOptions.command))
    var command: [String] = []

    @Option(name: .spec(CommandLineOptions.format), help: .spec(CommandLineOptions.format))
    var format: String = CommandLineOptions.format.defaultValue ?? "table"

    @Option(name: .spec(CommandLineOptions.clock), help: .spec(CommandLineOptions.clock))
    var clock: String = CommandLineOptions.clock.defaultValue ?? "real"

    @Option(name: .spec(CommandLineOptions.ram), help: .spec(CommandLineOptions.ram))
    var ram: String = CommandLineOptions.ram.defaultValue ?? "4G"

    @Option(name: .spec(CommandLineOptions.vcpus), help: .spec(CommandLineOptions.vcpus))
    var vcpus: String = CommandLineOptions.vcpus.defaultValue ?? "2"

    @Option(name: .spec(CommandLineOptions.dirtyRate), help: .spec(CommandLineOptions.dirtyRate))
    var dirtyRate: String = CommandLineOptions.dirtyRate.defaultValue ?? "0"

    @Option(name: .spec(CommandLineOptions.zeroPages), help: .spec(CommandLineOptions.zeroPages))
    var zeroPages: String = CommandLineOptions.zeroPages.defaultValue ?? "0"

    @Option(name: .spec(CommandLineOptions.disk), help: .spec(CommandLineOptions.disk))
    var disk: [String] = []

    @Option(name: .spec(CommandLineOptions.name), help: .spec(CommandLineOptions.name))
    var name: String?

    @Option(name: .spec(CommandLineOptions.incoming), help: .spec(CommandLineOptions.incoming))
    var incoming: String?

    @Flag(name: .spec(CommandLineOptions.allowExec), help: .spec(CommandLineOptions.allowExec))
    var allowExec = false

    @Option(name: .spec(CommandLineOptions.machine), help: .spec(CommandLineOptions.machine))
    var machine: String = CommandLineOptions.machine.defaultValue ?? "model"

    @Option(name: .spec(CommandLineOptions.historyFile), help: .spec(CommandLineOptions.historyFile))
    var historyFile: String?

    @Flag(name: .spec(CommandLineOptions.noHistory), help: .spec(CommandLineOptions.noHistory))
    var noHistory = false

    @Flag(name: .spec(CommandLineOptions.stopOnError), help: .spec(CommandLineOptions.stopOnError))
    var stopOnError = false

    @Flag(name: .spec(CommandLineOptions.version), help: .spec(CommandLineOptions.version))
    var version = false

    @Flag(name: .spec(CommandLineOptions.complete), help: .spec(CommandLineOptions.complete))
    var complete = false

    @Option(name: .spec(CommandLineOptions.generateCompletionScript), help: .spec(CommandLineOptions.generateCompletionScript))
    var generateCompletionScript: String?

    @Flag(name: .spec(CommandLineOptions.generateManPage), help: .spec(CommandLineOptions.generateManPage))
    var generateManPage = false

    /// Everything after the options: one HMP command line (its own `-d` style flags included).
    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("A command line to run instead of starting the console.", valueName: "COMMAND"))
    var line: [String] = []
}
