/// QEMU 10.2's `help` text (the `.params` and `.help` fields of hmp-commands.hx and
/// hmp-commands-info.hx) for the commands whose own text says it differently. `--format qemu`
/// prints these byte for byte, continuation lines (`\n\t\t\t`) included, as
/// `help_cmd_dump_one()` does; the table format and the man page keep the row's text.
/// Keys are the command as typed (`info version`); a nil `params` keeps the row's usage,
/// which shows the flags hmp adds.
enum QEMUHelpText {
    struct Line: Sendable {
        var params: String?
        var help: String
    }

    static func line(for key: String) -> Line? { lines[key] }

    static let lines: [String: Line] = [
        "block_job_cancel": Line(
            help: "stop an active background block operation (use -f"
                + "\n\t\t\t if you want to abort the operation immediately"
                + "\n\t\t\t instead of keep running until data is in sync)"),
        "calc_dirty_rate": Line(
            help: "start a round of guest dirty rate measurement (using -r to"
                + "\n\t\t\t specify dirty ring as the method of calculation and"
                + "\n\t\t\t -b to specify dirty bitmap as method of calculation)"),
        "cancel_vcpu_dirty_limit": Line(
            help: "cancel dirty page rate limit, use cpu_index to cancel"
                + "\n\t\t\t\t\t limit on a specified virtual cpu"),
        "drive_backup": Line(
            help: "initiates a point-in-time"
                + "\n\t\t\tcopy for a device. The device's contents are"
                + "\n\t\t\tcopied to the new image file, excluding data that"
                + "\n\t\t\tis written after the command is started."
                + "\n\t\t\tThe -n flag requests QEMU to reuse the image found"
                + "\n\t\t\tin new-image-file, instead of recreating it from scratch."
                + "\n\t\t\tThe -f flag requests QEMU to copy the whole disk,"
                + "\n\t\t\tso that the result does not need a backing file."
                + "\n\t\t\tThe -c flag requests QEMU to compress backup data"
                + "\n\t\t\t(if the target format supports it).\n\t\t\t"),
        "drive_mirror": Line(
            help: "initiates live storage"
                + "\n\t\t\tmigration for a device. The device's contents are"
                + "\n\t\t\tcopied to the new image file, including data that"
                + "\n\t\t\tis written after the command is started."
                + "\n\t\t\tThe -n flag requests QEMU to reuse the image found"
                + "\n\t\t\tin new-image-file, instead of recreating it from scratch."
                + "\n\t\t\tThe -f flag requests QEMU to copy the whole disk,"
                + "\n\t\t\tso that the result does not need a backing file.\n\t\t\t"),
        "info version": Line(help: "show the version of QEMU"),
        "migrate": Line(
            help: "migrate to URI (using -d to not wait for completion)"
                + "\n\t\t\t -r to resume a paused postcopy migration"),
        "migrate_continue": Line(help: "Continue migration from the given paused state"),
        "migrate_incoming": Line(help: "Continue an incoming migration from an -incoming defer"),
        "migrate_pause": Line(help: "Pause an ongoing migration (postcopy-only)"),
        "migrate_recover": Line(help: "Continue a paused incoming postcopy migration"),
        "migrate_set_capability": Line(help: "Enable/Disable the usage of a capability for migration"),
        "migrate_set_parameter": Line(help: "Set the parameter for migration"),
        "migrate_start_postcopy": Line(
            help: "Followup to a migration command to switch the migration"
                + " to postcopy mode. The postcopy-ram capability must "
                + "be set on both source and destination before the "
                + "original migration command ."),
        "print": Line(params: "/fmt expr", help: "print expression value (use $reg for CPU register access)"),
        "quit": Line(help: "quit the emulator"),
        // QEMU's usage says `tag` although the tag may be left out.
        "savevm": Line(params: "tag", help: "save a VM snapshot. If no tag is provided, a new snapshot is created"),
        "set_vcpu_dirty_limit": Line(
            help: "set dirty page rate limit, use cpu_index to set limit"
                + "\n\t\t\t\t\t on a specified virtual cpu"),
        // QEMU's args_type marks the file optional; the QMP command then refuses its absence.
        "snapshot_blkdev": Line(
            params: "[-n] device [new-image-file] [format]",
            help: "initiates a live snapshot"
                + "\n\t\t\tof device. If a new image file is specified, the"
                + "\n\t\t\tnew image file will become the new root image."
                + "\n\t\t\tIf format is specified, the snapshot file will"
                + "\n\t\t\tbe created in that format."
                + "\n\t\t\tThe default format is qcow2.  The -n flag requests QEMU"
                + "\n\t\t\tto reuse the image found in new-image-file, instead of"
                + "\n\t\t\trecreating it from scratch."),
    ]
}
