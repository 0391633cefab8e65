import QAPI

enum ModelCommands {
    static let commands: [HMPCommand] = []
    static let infoCommands: [HMPCommand] = []
}
