import QAPI

enum BlockCommands {
    static let commands: [HMPCommand] = []
    static let infoCommands: [HMPCommand] = []
}
