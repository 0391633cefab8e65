import QAPI

enum MigrationCommands {
    static let commands: [HMPCommand] = []
    static let infoCommands: [HMPCommand] = []
}
