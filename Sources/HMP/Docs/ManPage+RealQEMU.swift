extension ManPage {
    /// DESCRIPTION: driving running QEMUs over QMP instead of the model.
    static func realQEMU(_ page: inout MdocWriter) {
        page.subsection("Real QEMUs")
        page.text(
            """
            With --connect unix:PATH or --connect tcp:HOST:PORT the commands go to a running QEMU's QMP \
            monitor instead of the model (start QEMU with e.g. -qmp unix:/run/vm1.qmp,server=on,wait=off). \
            At connect hmp reads the greeting, sends qmp_capabilities, query-version and query-qmp-schema, \
            and from then on the QEMU's own schema decides what may be sent: a command, argument, migration \
            capability, parameter or value that QEMU lacks is refused before anything is sent, naming its \
            version (`QEMU 7.2.22 has no migration parameter 'direct-io'`). Members the QEMU reports and \
            hmp's schema lacks (QEMU 7.2's compress capability and compress-level parameter) are kept and \
            shown after the rows hmp knows, and migrate_set_capability and migrate_set_parameter set them, \
            reading the value as that QEMU's schema types it; members hmp expects and an older QEMU does not report are named \
            as not reported. --format json prints the QEMU's replies exactly as sent. Completion draws on the \
            live VM: its devices, nodes, jobs and snapshot tags, and the capabilities and parameters it has.
            """)
        page.text(
            """
            Several VMs: --connect src=unix:/run/a.qmp --connect dst=unix:/run/b.qmp. A line starting \
            `@dst` runs on that VM; `@all` or `@src,dst` runs it on each in turn and prints one table with a \
            VM column; `use dst` makes dst the default (the prompt shows it: `(hmp dst)`); `connect NAME` \
            connects again to a VM that went away and says what changed meanwhile. Events carry their VM's \
            name (`@src MIGRATION status=completed`). Shell completion reads the --connect options of the \
            line being typed, so `@d`, `use` and the rest of an `@dst` line complete against those VMs.
            """)
        page.text(
            """
            A line whose command hmp does not know (`info mtree`, `info registers`, `x /4x 0`) is passed to \
            the QEMU's own monitor through human-monitor-command and its text printed as is; a note says so \
            the first time; so does a `print` naming a register (`p $pc`), and `cpu N` makes vCPU N the \
            CPU such lines run on (human-monitor-command's cpu-index). A command is never sent twice: when its reply does not come within --timeout \
            seconds (30 by default), or the QEMU goes away first, the error says its outcome is unknown. \
            A QEMU that goes away is reported at once (a QMP_DISCONNECTED event); with --reconnect hmp \
            connects again by itself, re-reads the run state, migration status and block devices, and says \
            what changed (a QMP_RECONNECTED event; events sent meanwhile are lost). --log FILE records every \
            QMP message with the time and the VM's name. The connect timeout is 5 seconds.
            """)
        page.text(
            """
            --format qemu keeps QEMU 10.2's layouts for every QEMU version: for an older QEMU the lines of \
            parameters it does not have are left out and the members only it has are appended, so the text \
            is not byte for byte what that QEMU's own HMP prints (its order differs); a line passed through \
            is that QEMU's own text.
            """)
    }
}
