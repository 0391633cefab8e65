import QAPI

/// Block device commands (reference §2.4) and our write-threshold command.
enum BlockCommands {
    static let device = HMPArgument("device", .blockDevice, completion: .blockDevice, help: "a block device (backend) name")
    static let job = HMPArgument("device", .blockDevice, completion: .jobID, help: "the job id (the device name for jobs started here)")
    // Shared by drive_mirror and drive_backup, which take the same flags and target format.
    static let reuseFlag = HMPFlag("n", "reuse", help: "the target image exists already (mode existing)")
    static let fullFlag = HMPFlag("f", "full", help: "copy the whole backing chain (sync full), not just the top image")
    static let targetFormat = HMPArgument("format", .string, optional: true, completion: .values(["qcow2", "raw"]), help: "its format")

    static let commands: [HMPCommand] = [
        HMPCommand(
            "block_resize",
            flags: [HMPFlag("f", "force", help: "shrink without asking")],
            arguments: [
                HMPArgument("device", .blockDevice, completion: .blockDeviceOrNode, help: "a block device or node name"),
                HMPArgument("size", .size(.mebibytes), help: "the new size"),
            ],
            help: "resize a block image", qmp: "block_resize",
            details: """
                As in QEMU a size without a unit is in MiB, so `block_resize virtio0 10` makes a 10 MiB disk; the \
                confirmation shows the new size in bytes and says when MiB was assumed. Shrinking loses the data past \
                the new end: the console asks first, and a script must add -f.
                """,
            handler: BlockResize.run),
        HMPCommand(
            "block_stream",
            arguments: [
                device,
                HMPArgument("speed", .size(.mebibytes), optional: true, help: "speed limit per second"),
                HMPArgument("base", .string, optional: true, completion: .filename, help: "stop at this backing file"),
            ],
            help: "copy data from a backing file into a block device", qmp: "block-stream (job id = device, on-error = report)",
            details: "Starts a job whose id is the device name. The speed is per second, in MiB/s when no unit is given.",
            handler: BlockJobHandlers.stream),
        HMPCommand(
            "block_job_set_speed",
            arguments: [job, HMPArgument("speed", .size(.mebibytes), help: "speed limit per second; 0 = unlimited")],
            help: "set maximum speed for a background block operation", qmp: "block-job-set-speed",
            details: "The speed is per second, in MiB/s when no unit is given.",
            handler: BlockJobHandlers.setSpeed),
        HMPCommand(
            "block_job_cancel",
            flags: [HMPFlag("f", "force", help: "also cancel a paused job; a ready mirror stops without completing")],
            arguments: [job],
            help: "stop an active background block operation", qmp: "block-job-cancel",
            handler: BlockJobHandlers.cancel),
        HMPCommand(
            "block_job_complete", arguments: [job],
            help: "stop an active background block operation", qmp: "block-job-complete",
            details: "A ready mirror job switches the device over to its target and ends.",
            handler: BlockJobHandlers.complete),
        HMPCommand(
            "block_job_pause", arguments: [job],
            help: "pause an active background block operation", qmp: "block-job-pause",
            handler: BlockJobHandlers.pause),
        HMPCommand(
            "block_job_resume", arguments: [job],
            help: "resume a paused background block operation", qmp: "block-job-resume",
            handler: BlockJobHandlers.resume),
        HMPCommand(
            "drive_mirror",
            flags: [
                reuseFlag,
                fullFlag,
            ],
            arguments: [
                device,
                HMPArgument("target", .string, completion: .filename, help: "the new image file"),
                targetFormat,
            ],
            help: "initiates a drive mirror job for a block device", qmp: "drive-mirror (job id = device, unmap)",
            details: "When the copy has caught up the job is ready; `block_job_complete` switches the device to the target.",
            handler: BlockJobHandlers.mirror),
        HMPCommand(
            "drive_backup",
            flags: [
                reuseFlag,
                fullFlag,
                HMPFlag("c", "compress", help: "compress the target"),
            ],
            arguments: [
                device,
                HMPArgument("target", .string, completion: .filename, help: "the backup image file"),
                targetFormat,
            ],
            help: "initiates a point-in-time copy for a device", qmp: "drive-backup (job id = device)",
            handler: BlockJobHandlers.backup),
        HMPCommand(
            "snapshot_blkdev",
            flags: [HMPFlag("n", "reuse", help: "the overlay image exists already (mode existing)")],
            arguments: [
                device,
                HMPArgument("snapshot-file", .string, optional: true, completion: .filename, help: "the new overlay image file (required)"),
                HMPArgument("format", .string, optional: true, completion: .values(["qcow2", "raw"]), help: "its format (default qcow2)"),
            ],
            help: "initiates a live snapshot of device", qmp: "blockdev-snapshot-sync",
            details: "The device goes on writing to a new overlay whose backing file is the old image, now read-only.",
            handler: BlockDeviceHandlers.snapshot),
        HMPCommand(
            "block_set_io_throttle",
            arguments: [device] + ["bps", "bps_rd", "bps_wr"].map { HMPArgument($0, .int64, help: "\($0): bytes per second; 0 = no limit") }
                + ["iops", "iops_rd", "iops_wr"].map { HMPArgument($0, .int64, help: "\($0): operations per second; 0 = no limit") },
            help: "change I/O throttle limits for a block drive", qmp: "block_set_io_throttle",
            details: "All six numbers are required, as plain integers (no size suffixes); bps* are bytes per second. A negative number is an argument of its own, never subtracted from the one before. The name is sent as `device` if a backend has it, otherwise as `id`.",
            handler: BlockDeviceHandlers.throttle),
        HMPCommand(
            "eject",
            flags: [HMPFlag("f", "force", help: "eject even if the guest locked the tray")],
            arguments: [device],
            help: "eject a removable medium (use -f to force it)", qmp: "eject",
            handler: BlockDeviceHandlers.eject),
        HMPCommand(
            "block_set_write_threshold",
            arguments: [
                HMPArgument("node", .blockDevice, completion: .blockDeviceOrNode, help: "a node name, or a device for its top node"),
                HMPArgument("threshold", .size(.mebibytes), help: "the offset that raises the event; 0 disables"),
            ],
            help: "raise BLOCK_WRITE_THRESHOLD when the guest writes past an offset", qmp: "block-set-write-threshold",
            details: "For thin-provisioned images: once the guest writes past the threshold, the event fires once and the threshold is cleared; a manager then grows the disk with block_resize. Sizes follow block_resize: MiB when no unit is given.",
            handler: BlockDeviceHandlers.writeThreshold),
    ]

    static let infoCommands: [HMPCommand] = [
        HMPCommand(
            "block",
            flags: [
                HMPFlag("n", "nodes", help: "show the named nodes instead of the devices"),
                HMPFlag("v", "verbose", help: "also show settings and each image of the backing chain"),
            ],
            arguments: [HMPArgument("device", .blockDevice, optional: true, completion: .blockDeviceOrNode, help: "show only this device or node")],
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
