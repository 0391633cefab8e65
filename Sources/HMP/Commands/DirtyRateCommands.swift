import QAPI

enum DirtyRateCommands {
    static let commands: [HMPCommand] = []
    static let infoCommands: [HMPCommand] = []
}
