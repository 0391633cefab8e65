#!/usr/bin/env bash
# Driving a real QEMU over QMP: the round trip of `info migrate` (p50/p99 over many requests,
# one at a time) through hmp --connect, through QEMU's own HMP on -monitor stdio, and through
# qmp-shell (qemu.qmp, from .build/venv); and the start-to-first-output time of
# `hmp --connect SOCKET info status`. Figures only; nothing here fails on a slow machine.
#
# Environment: HMP and HMP_BENCH (binaries, default .build/release/...), QEMU, N (requests,
# default 2000), RUNS (start-up runs, default 40).
set -euo pipefail
cd "$(dirname "$0")/.."

HMP=${HMP:-.build/release/hmp}
HMP_BENCH=${HMP_BENCH:-.build/release/hmp-bench}
QEMU=${QEMU:-qemu-system-x86_64}
N=${N:-2000}
RUNS=${RUNS:-40}
shell=.build/venv/bin/qmp-shell
command -v "$QEMU" >/dev/null || { echo "bench-qemu: $QEMU is not installed; skipped" >&2; exit 0; }

work=$(mktemp -d)
qemu_pid=""
cleanup() {
    [ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null && wait "$qemu_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
"$QEMU" -M none -display none -nodefaults -qmp "unix:$work/vm.qmp,server=on,wait=off" >/dev/null 2>&1 &
qemu_pid=$!
for _ in $(seq 100); do [ -S "$work/vm.qmp" ] && break; sleep 0.05; done

echo "qemu: $("$QEMU" --version | head -n 1); $N requests each, one at a time" >&2
read -r _ h50 h99 < <(HMP_BENCH_QMP="$work/vm.qmp" HMP_BENCH_QMP_COUNT="$N" "$HMP_BENCH" | grep '^qmp-latency-us')
read -r q50 q99 < <(python3 scripts/qmp-latency.py hmp-stdio "$QEMU" "$N")
s50="-" s99="-"
if [ -x "$shell" ]; then
    read -r s50 s99 < <(python3 scripts/qmp-latency.py qmp-shell "$shell" "$work/vm.qmp" "$N")
else
    echo "bench-qemu: $shell missing (scripts/install-deps.sh installs qemu.qmp); qmp-shell column skipped" >&2
fi
read -r f50 _ < <(python3 scripts/qmp-latency.py first-output "$RUNS" "$HMP" --connect "unix:$work/vm.qmp" info status)

us() { if [ "$1" = "-" ]; then echo "-"; else awk -v u="$1" 'BEGIN { printf "%.0f us", u }'; fi; }
ratio() { if [ "$2" = "-" ]; then echo "-"; else awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; fi; }
printf '\n%-36s %12s %12s %16s %16s\n' "info migrate round trip" "hmp (QMP)" "QEMU HMP" "qmp-shell" "hmp vs QEMU HMP"
printf '%-36s %12s %12s %16s %16s\n' "p50" "$(us "$h50")" "$(us "$q50")" "$(us "$s50")" "$(ratio "$h50" "$q50")"
printf '%-36s %12s %12s %16s %16s\n' "p99" "$(us "$h99")" "$(us "$q99")" "$(us "$s99")" "$(ratio "$h99" "$q99")"
printf '%-36s %12s\n' "hmp --connect S info status, first output (median of $RUNS)" "$(awk -v u="$f50" 'BEGIN { printf "%.1f ms", u / 1000 }')"
