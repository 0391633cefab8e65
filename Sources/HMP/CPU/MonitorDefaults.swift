/// What QEMU's monitor remembers from one line to the next: the default CPU (`cpu`,
/// `mon_cpu_path`) and the last display format (`print/x`, `default_fmt_format`).
public struct MonitorDefaults: Sendable, Equatable {
    /// The vCPU register names and `info cpus` refer to; nil (the first vCPU) until `cpu` sets it.
    public var cpuIndex: Int64?
    /// QEMU starts with hexadecimal.
    public var format: Character = "x"

    public init() {}
}
