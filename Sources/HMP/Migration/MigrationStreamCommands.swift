import MigrationStream
import QAPI

/// `info migration_stream`: reads a migration stream file on this host (hmp's or QEMU's) and
/// shows what is in it. It reads the file itself, so it works whatever the backend.
enum MigrationStreamCommands {
    static let infoCommands: [HMPCommand] = [
        HMPCommand(
            "migration_stream", StreamArguments.self,
            help: "decipher a migration stream file: sections, RAM blocks and device state",
            qmp: "none (reads the file locally)",
            details:
                "Reads the file strictly as QEMU 7.2 and later write it (QEVM version 3): the configuration section, each section in order with its id, name, instance, version, records and bytes, the RAM blocks with their normal and zero pages, and the devices the JSON description after the end lists; -v adds each device's fields with their values. With --format json the description is included as it is in the file. A malformed stream gives the byte offset and what was expected there.",
            handler: infoMigrationStream)
    ]

    struct StreamArguments: HMPArgumentValues {
        var verbose = false
        var path = ""
        static let signature = HMPSignature<Self>(
            .flag("v", "verbose", \.verbose, help: "also show each device's fields and values"),
            .argument(
                "path", .filename, \.path, completion: .filename,
                help: "the stream file (from migrate file:PATH or QEMU's exec:cat > PATH)"))
    }

    static func infoMigrationStream(_ invocation: HMPInvocation, _ arguments: StreamArguments) throws(HMPError) -> HMPOutput {
        let path = arguments.path
        let summary: StreamSummary
        do {
            summary = try StreamFile.summarize(path: path)
        } catch {
            throw .command(QMPError.generic(error.description))
        }
        let size = summary.totalBytes
        let verbose = arguments.verbose
        return invocation.render(
            reply: MigrationStreamFormat.json(summary, path: path, fileSize: size),
            table: { MigrationStreamFormat.text(summary, path: path, fileSize: size, verbose: verbose) },
            qemu: { MigrationStreamFormat.text(summary, path: path, fileSize: size, verbose: verbose) })
    }
}
