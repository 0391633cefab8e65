/// Device sections every QEMU machine writes, even `-M none` (QEMU's `vmstate_timers` in
/// system/cpu-timers.c and `vmstate_globalstate` in migration/global_state.c).
public enum StandardDevices {
    /// `timer`, version 2: the guest's tick and clock offsets.
    public static let timer = DeviceDescription(
        name: KnownSection.timer,
        vmstate: VMStateDescription(
            vmsdName: "timer", version: 2,
            fields: [
                VMStateField("cpu_ticks_offset", type: "int64", size: 8),
                VMStateField("unused", type: "unused_buffer", size: 8),
                VMStateField("cpu_clock_offset", type: "int64", size: 8),
            ]))

    /// `globalstate`, version 1: the source's run state as a NUL-padded string of 100 bytes,
    /// preceded by its length with the NUL.
    public static let globalState = DeviceDescription(
        name: KnownSection.globalState,
        vmstate: VMStateDescription(
            vmsdName: "globalstate", version: 1,
            fields: [
                VMStateField("size", type: "uint32", size: 4),
                VMStateField("runstate", type: "buffer", size: 100),
            ]))

    public static func timerValues(ticksOffset: Int64, clockOffset: Int64) -> FieldEncoder {
        var e = FieldEncoder()
        e.int64(ticksOffset)
        e.zeros(8)
        e.int64(clockOffset)
        return e
    }

    public static func globalStateValues(runState: String) -> FieldEncoder {
        var e = FieldEncoder()
        e.uint32(UInt32(min(runState.utf8.count, 99) + 1))
        e.buffer(runState, size: 100)
        return e
    }

    /// The run state a `globalstate` section carries, if it is well formed.
    public static func runState(from device: DeviceState) -> String? {
        guard case .bytes(let b)? = device.field("runstate") else { return nil }
        return Hex.cString(b)
    }
}
