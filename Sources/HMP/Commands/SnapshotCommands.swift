import QAPI

enum SnapshotCommands {
    static let commands: [HMPCommand] = []
    static let infoCommands: [HMPCommand] = []
}
