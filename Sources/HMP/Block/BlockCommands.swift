import QAPI

/// Block device commands (QEMU's hmp_block_resize(), hmp_drive_mirror(), hmp_info_block() and the
/// other block HMP handlers) and our write-threshold command.
enum BlockCommands {
    static let deviceHelp = "a block device (backend) name"
    static let jobHelp = "the job id (the device name for jobs started here)"

    struct ResizeArguments: HMPArgumentValues {
        var force = false
        var device = ""
        var size = ParsedSize(bytes: 0)
        static let signature = HMPSignature<Self>(
            .flag("f", "force", \.force, help: "shrink without asking"),
            .argument(
                "device", .blockDevice, \.device, completion: .blockDeviceFor(.writableMedium, nodesToo: true),
                help: "a block device or node name"),
            .argument("size", .size(.mebibytes), \.size, help: "the new size"))
    }

    struct StreamArguments: HMPArgumentValues {
        var device = ""
        var speed: ParsedSize?
        var base: String?
        static let signature = HMPSignature<Self>(
            .argument("device", .blockDevice, \.device, completion: .blockDeviceFor(.medium), help: deviceHelp),
            .argument("speed", .size(.mebibytes), \.speed, help: "speed limit per second"),
            .argument("base", .string, \.base, completion: .filename, help: "stop at this backing file"))
    }

    struct SetSpeedArguments: HMPArgumentValues {
        var job = ""
        var speed = ParsedSize(bytes: 0)
        static let signature = HMPSignature<Self>(
            .argument("device", .blockDevice, \.job, completion: .jobID, help: jobHelp),
            .argument("speed", .size(.mebibytes), \.speed, help: "speed limit per second; 0 = unlimited"))
    }

    struct CancelArguments: HMPArgumentValues {
        var force = false
        var job = ""
        static let signature = HMPSignature<Self>(
            .flag("f", "force", \.force, help: "also cancel a paused job; a ready mirror stops without completing"),
            .argument("device", .blockDevice, \.job, completion: .jobID, help: jobHelp))
    }

    struct JobArgument: HMPArgumentValues {
        var job = ""
        static let signature = HMPSignature<Self>(.argument("device", .blockDevice, \.job, completion: .jobID, help: jobHelp))
    }

    /// drive_mirror and drive_backup take the same flags and target.
    struct CopyArguments: HMPArgumentValues {
        var reuse = false
        var full = false
        var compress = false
        var device = ""
        var target = ""
        var format: String?
        static let signature = HMPSignature<Self>(
            .flag("n", "reuse", \.reuse, help: "the target image exists already (mode existing)"),
            .flag("f", "full", \.full, help: "copy the whole backing chain (sync full), not just the top image"),
            .argument("device", .blockDevice, \.device, completion: .blockDeviceFor(.medium), help: deviceHelp),
            .argument("target", .string, \.target, completion: .filename, help: "the new image file"),
            .argument("format", .string, \.format, completion: .values(["qcow2", "raw"]), help: "its format"))
    }

    struct BackupArguments: HMPArgumentValues {
        var copy = CopyArguments()
        static let signature = HMPSignature<Self>(
            .flag("n", "reuse", \.copy.reuse, help: "the target image exists already (mode existing)"),
            .flag("f", "full", \.copy.full, help: "copy the whole backing chain (sync full), not just the top image"),
            .flag("c", "compress", \.copy.compress, help: "compress the target"),
            .argument("device", .blockDevice, \.copy.device, completion: .blockDeviceFor(.medium), help: deviceHelp),
            .argument("target", .string, \.copy.target, completion: .filename, help: "the backup image file"),
            .argument("format", .string, \.copy.format, completion: .values(["qcow2", "raw"]), help: "its format"))
    }

    struct SnapshotArguments: HMPArgumentValues {
        var reuse = false
        var device = ""
        var file: String?
        var format: String?
        static let signature = HMPSignature<Self>(
            .flag("n", "reuse", \.reuse, help: "the overlay image exists already (mode existing)"),
            .argument("device", .blockDevice, \.device, completion: .blockDeviceFor(.medium), help: deviceHelp),
            .argument("snapshot-file", .string, \.file, completion: .filename, help: "the new overlay image file").requiredByCommand(),
            .argument("format", .string, \.format, completion: .values(["qcow2", "raw"]), help: "its format (default qcow2)"))
    }

    struct ThrottleArguments: HMPArgumentValues {
        var device = ""
        var bps: Int64 = 0, bpsRead: Int64 = 0, bpsWrite: Int64 = 0
        var iops: Int64 = 0, iopsRead: Int64 = 0, iopsWrite: Int64 = 0
        static let signature = HMPSignature<Self>(
            .argument("device", .blockDevice, \.device, completion: .blockDeviceFor(.medium), help: deviceHelp),
            .argument("bps", .bytesPerSecond, \.bps, help: "bps: 0 = no limit"),
            .argument("bps_rd", .bytesPerSecond, \.bpsRead, help: "bps_rd: 0 = no limit"),
            .argument("bps_wr", .bytesPerSecond, \.bpsWrite, help: "bps_wr: 0 = no limit"),
            .argument("iops", .int64, \.iops, help: "iops: operations per second; 0 = no limit"),
            .argument("iops_rd", .int64, \.iopsRead, help: "iops_rd: operations per second; 0 = no limit"),
            .argument("iops_wr", .int64, \.iopsWrite, help: "iops_wr: operations per second; 0 = no limit"))
    }

    struct EjectArguments: HMPArgumentValues {
        var force = false
        var device = ""
        static let signature = HMPSignature<Self>(
            .flag("f", "force", \.force, help: "eject even if the guest locked the tray"),
            .argument("device", .blockDevice, \.device, completion: .blockDeviceFor(.removable), help: deviceHelp))
    }

    struct WriteThresholdArguments: HMPArgumentValues {
        var node = ""
        var threshold = ParsedSize(bytes: 0)
        static let signature = HMPSignature<Self>(
            .argument("node", .blockDevice, \.node, completion: .blockDeviceOrNode, help: "a node name, or a device for its top node"),
            .argument("threshold", .size(.mebibytes), \.threshold, help: "the offset that raises the event; 0 disables"))
    }

    struct InfoBlockArguments: HMPArgumentValues {
        var nodes = false
        var verbose = false
        var device: String?
        static let signature = HMPSignature<Self>(
            .flag("n", "nodes", \.nodes, help: "show the named nodes instead of the devices"),
            .flag("v", "verbose", \.verbose, help: "also show settings and each image of the backing chain"),
            .argument("device", .blockDevice, \.device, completion: .blockDeviceOrNode, help: "show only this device or node"))
    }

    static let commands: [HMPCommand] = [
        HMPCommand(
            "block_resize", ResizeArguments.self,
            help: "resize a block image", qmp: "block_resize",
            details: """
                As in QEMU a size without a unit is in MiB, so `block_resize virtio0 10` makes a 10 MiB disk; the \
                confirmation shows the new size in bytes and says when MiB was assumed. Shrinking loses the data past \
                the new end: the console asks first, and a script must add -f.
                """,
            handler: BlockResize.run),
        HMPCommand(
            "block_stream", StreamArguments.self,
            help: "copy data from a backing file into a block device", qmp: "block-stream (job id = device, on-error = report)",
            details: "Starts a job whose id is the device name. The speed is per second, in MiB/s when no unit is given.",
            handler: BlockJobHandlers.stream),
        HMPCommand(
            "block_job_set_speed", SetSpeedArguments.self,
            help: "set maximum speed for a background block operation", qmp: "block-job-set-speed",
            details: "The speed is per second, in MiB/s when no unit is given.",
            handler: BlockJobHandlers.setSpeed),
        HMPCommand(
            "block_job_cancel", CancelArguments.self,
            help: "stop an active background block operation", qmp: "block-job-cancel",
            handler: BlockJobHandlers.cancel),
        HMPCommand(
            "block_job_complete", JobArgument.self,
            help: "complete an active background block operation", qmp: "block-job-complete",
            details: "A ready mirror job switches the device over to its target and ends.",
            handler: BlockJobHandlers.complete),
        HMPCommand(
            "block_job_pause", JobArgument.self,
            help: "pause an active background block operation", qmp: "block-job-pause",
            handler: BlockJobHandlers.pause),
        HMPCommand(
            "block_job_resume", JobArgument.self,
            help: "resume a paused background block operation", qmp: "block-job-resume",
            handler: BlockJobHandlers.resume),
        HMPCommand(
            "drive_mirror", CopyArguments.self,
            help: "initiates a drive mirror job for a block device", qmp: "drive-mirror (job id = device, unmap)",
            details: "When the copy has caught up the job is ready; `block_job_complete` switches the device to the target.",
            handler: BlockJobHandlers.mirror),
        HMPCommand(
            "drive_backup", BackupArguments.self,
            help: "initiates a point-in-time copy for a device", qmp: "drive-backup (job id = device)",
            handler: BlockJobHandlers.backup),
        HMPCommand(
            "snapshot_blkdev", SnapshotArguments.self,
            help: "initiates a live snapshot of device", qmp: "blockdev-snapshot-sync",
            details: "The device goes on writing to a new overlay whose backing file is the old image, now read-only.",
            handler: BlockDeviceHandlers.snapshot),
        HMPCommand(
            "block_set_io_throttle", ThrottleArguments.self,
            help: "change I/O throttle limits for a block drive", qmp: "block_set_io_throttle",
            details:
                "All six numbers are required; bps* are bytes per second, as plain integers in --format qemu (as QEMU reads them) and also with the units hmp prints in the table format (10M, 10MiB, 10MiB/s). A negative number is an argument of its own, never subtracted from the one before. The name is sent as `device` if a backend has it, otherwise as `id`.",
            handler: BlockDeviceHandlers.throttle),
        HMPCommand(
            "eject", EjectArguments.self,
            help: "eject a removable medium (use -f to force it)", qmp: "eject",
            handler: BlockDeviceHandlers.eject),
        HMPCommand(
            "block_set_write_threshold", WriteThresholdArguments.self,
            help: "raise BLOCK_WRITE_THRESHOLD when the guest writes past an offset", qmp: "block-set-write-threshold",
            details:
                "For thin-provisioned images: once the guest writes past the threshold, the event fires once and the threshold is cleared; a manager then grows the disk with block_resize. Sizes follow block_resize: MiB when no unit is given.",
            handler: BlockDeviceHandlers.writeThreshold),
    ]

    static let infoCommands: [HMPCommand] = [
        HMPCommand(
            "block", InfoBlockArguments.self,
            help: "show info of one block device or all block devices (-n: show named nodes; -v: show details)",
            qmp: "query-block; -n: query-named-block-nodes",
            details: "Unlike QEMU, a name that is neither a device nor a node is an error, not an empty answer.",
            handler: BlockInfoHandlers.block),
        HMPCommand(
            "blockstats", help: "show block device statistics", qmp: "query-blockstats",
            handler: BlockInfoHandlers.blockstats),
        HMPCommand(
            "block-jobs", help: "show progress of ongoing block device operations", qmp: "query-block-jobs",
            handler: BlockInfoHandlers.blockJobs),
    ]
}
