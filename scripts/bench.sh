#!/usr/bin/env bash
# Performance of the hmp executable, side by side with QEMU's own monitor when it is installed:
#   start-to-exit  wall time of `hmp -c 'info migrate'` (median of many runs)
#   batch          commands per second of a 20,000-line script read from a file, output to a file
#   peak RSS       of those runs (GNU time's %M when installed, else sampled from /proc)
# QEMU runs `qemu-system-x86_64 -M none -display none -nodefaults -monitor stdio` with the same
# commands and a final `quit`. Targets: start-up <= 1/6 of QEMU's, batch >= 40x QEMU's
# commands/second, peak RSS <= 15 MB. Then the cost of each of the four batch commands alone
# (microseconds per command, in hmp and in QEMU). Figures only; nothing here fails on a slow machine.
#
# Environment: HMP (binary, default .build/release/hmp), QEMU (default qemu-system-x86_64),
# RUNS (start-up runs, default 40), LINES (batch lines, default 20000).
# The machine should be otherwise idle: other work on it shows up in every figure.
set -euo pipefail
cd "$(dirname "$0")/.."

HMP=${HMP:-.build/release/hmp}
QEMU=${QEMU:-qemu-system-x86_64}
RUNS=${RUNS:-40}
LINES=${LINES:-20000}

if [ ! -x "$HMP" ]; then
    echo "building $HMP ..." >&2
    swift build -c release --product hmp >&2
fi
have_qemu=0
command -v "$QEMU" >/dev/null 2>&1 && have_qemu=1
gnu_time=""
[ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1 && gnu_time=/usr/bin/time

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
qemu_args=(-M none -display none -nodefaults -monitor stdio)

# The batch: four commands in turn, downtime-limit stepping through 100..1999.
awk -v n="$LINES" 'BEGIN {
    for (i = 0; i < n; i++) {
        k = i % 4
        if (k == 0) print "info migrate"
        else if (k == 1) printf "migrate_set_parameter downtime-limit %d\n", 100 + int(i / 4) % 1900
        else if (k == 2) print "info migrate_parameters"
        else print "info block"
    }
}' >"$work/batch.txt"
{ cat "$work/batch.txt"; echo quit; } >"$work/batch-qemu.txt"
printf 'info migrate\nquit\n' >"$work/startup-qemu.txt"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# peak_rss INPUT COMMAND...: runs the command with stdin from INPUT, output discarded, and prints
# its peak RSS in KiB.
peak_rss() {
    local input=$1; shift
    if [ -n "$gnu_time" ]; then
        "$gnu_time" -f %M -o "$work/rss" "$@" <"$input" >/dev/null 2>&1 || true
        tail -n 1 "$work/rss"
    else
        "$@" <"$input" >/dev/null 2>&1 &
        local pid=$! peak=0 v
        while kill -0 "$pid" 2>/dev/null; do
            v=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
            [ -n "$v" ] && [ "$v" -gt "$peak" ] && peak=$v
            sleep 0.005
        done
        wait "$pid" || true
        echo "$peak"
    fi
}

# startup INPUT COMMAND...: median start-to-exit wall time in microseconds over $RUNS runs.
# EPOCHREALTIME (bash 5) is read without forking, so the loop adds almost nothing.
startup() {
    local input=$1; shift
    local i t0 t1
    for ((i = 0; i < RUNS; i++)); do
        t0=${EPOCHREALTIME/./}
        "$@" <"$input" >/dev/null 2>&1 || true
        t1=${EPOCHREALTIME/./}
        echo $((t1 - t0))
    done | median
}

# batch_time INPUT COMMAND...: best of three runs in microseconds, output to a file.
batch_time() {
    local input=$1; shift
    local i t0 t1
    for i in 1 2 3; do
        t0=${EPOCHREALTIME/./}
        "$@" <"$input" >"$work/out.txt" 2>"$work/err.txt" || true
        t1=${EPOCHREALTIME/./}
        echo $((t1 - t0))
    done | sort -n | head -n 1
}

echo "hmp: $HMP ($(du -k "$HMP" | cut -f1) KiB on disk); $LINES batch lines; $RUNS start-up runs" >&2
h_start=$(startup /dev/null "$HMP" -c 'info migrate')
h_batch=$(batch_time "$work/batch.txt" "$HMP")
"$HMP" <"$work/batch.txt" >"$work/out.txt" 2>"$work/err.txt" && h_status=0 || h_status=$?
[ "$h_status" -eq 0 ] || echo "warning: the hmp batch exited with status $h_status: $(head -n 2 "$work/err.txt")" >&2
h_rss_start=$(peak_rss /dev/null "$HMP" -c 'info migrate')
h_rss_batch=$(peak_rss "$work/batch.txt" "$HMP")

if [ "$have_qemu" -eq 1 ]; then
    q_version=$("$QEMU" --version | head -n 1)
    echo "qemu: $q_version" >&2
    q_start=$(startup "$work/startup-qemu.txt" "$QEMU" "${qemu_args[@]}")
    q_batch=$(batch_time "$work/batch-qemu.txt" "$QEMU" "${qemu_args[@]}")
    q_rss_start=$(peak_rss "$work/startup-qemu.txt" "$QEMU" "${qemu_args[@]}")
    q_rss_batch=$(peak_rss "$work/batch-qemu.txt" "$QEMU" "${qemu_args[@]}")
else
    echo "qemu: $QEMU not installed; QEMU columns skipped (apt-get install qemu-system-x86 to compare)" >&2
fi

ms() { awk -v us="$1" 'BEGIN { printf "%.1f ms", us / 1000 }'; }
rate() { awk -v us="$1" -v n="$LINES" 'BEGIN { printf "%.0f cmd/s", n / (us / 1e6) }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }

printf '\n%-28s %16s %16s %14s   %s\n' "" "hmp" "qemu" "hmp vs qemu" "target"
if [ "$have_qemu" -eq 1 ]; then
    printf '%-28s %16s %16s %14s   %s\n' "start-to-exit (median)" "$(ms "$h_start")" "$(ms "$q_start")" \
        "$(awk -v a="$h_start" -v b="$q_start" 'BEGIN { printf "%.2fx time", a / b }')" "<= 0.17x"
    printf '%-28s %16s %16s %14s   %s\n' "batch, $LINES lines" "$(rate "$h_batch")" "$(rate "$q_batch")" \
        "$(awk -v a="$h_batch" -v b="$q_batch" 'BEGIN { printf "%.1fx rate", b / a }')" ">= 40x"
    printf '%-28s %16s %16s %14s   %s\n' "peak RSS, start-to-exit" "$(mib "$h_rss_start")" "$(mib "$q_rss_start")" "" "<= 15 MiB"
    printf '%-28s %16s %16s %14s   %s\n' "peak RSS, batch" "$(mib "$h_rss_batch")" "$(mib "$q_rss_batch")" "" "<= 15 MiB"
else
    printf '%-28s %16s %16s %14s   %s\n' "start-to-exit (median)" "$(ms "$h_start")" "-" "" ""
    printf '%-28s %16s %16s %14s   %s\n' "batch, $LINES lines" "$(rate "$h_batch")" "-" "" ""
    printf '%-28s %16s %16s %14s   %s\n' "peak RSS, start-to-exit" "$(mib "$h_rss_start")" "-" "" "<= 15 MiB"
    printf '%-28s %16s %16s %14s   %s\n' "peak RSS, batch" "$(mib "$h_rss_batch")" "-" "" "<= 15 MiB"
fi

# Each batch command alone: LINES/4 lines of it, best of three, in microseconds per command.
per=$((LINES / 4))
printf '\n%-44s %12s %12s\n' "per command ($per in a row, best of 3)" "hmp" "qemu"
for k in 0 1 2 3; do
    awk -v n="$per" -v k="$k" 'BEGIN {
        for (i = 0; i < n; i++) {
            if (k == 0) print "info migrate"
            else if (k == 1) printf "migrate_set_parameter downtime-limit %d\n", 100 + i % 1900
            else if (k == 2) print "info migrate_parameters"
            else print "info block"
        }
    }' >"$work/one.txt"
    name=$(head -n 1 "$work/one.txt" | sed 's/ [0-9]*$/ N/')
    h_one=$(batch_time "$work/one.txt" "$HMP")
    q_text="-"
    if [ "$have_qemu" -eq 1 ]; then
        { cat "$work/one.txt"; echo quit; } >"$work/one-qemu.txt"
        q_one=$(batch_time "$work/one-qemu.txt" "$QEMU" "${qemu_args[@]}")
        q_text=$(awk -v us="$q_one" -v n="$per" 'BEGIN { printf "%.2f us", us / n }')
    fi
    printf '%-44s %12s %12s\n' "$name" "$(awk -v us="$h_one" -v n="$per" 'BEGIN { printf "%.2f us", us / n }')" "$q_text"
done

# wait on the virtual clock: the model steps from one scheduled moment to the next, so the
# cost follows the passes a migration runs, not the model time covered.
best_of_three() {
    local i t0 t1
    for i in 1 2 3; do
        t0=${EPOCHREALTIME/./}
        "$@" >/dev/null 2>&1 || true
        t1=${EPOCHREALTIME/./}
        echo $((t1 - t0))
    done | sort -n | head -n 1
}
stuck="guest_set hot-set 2G; migrate_set_capability events on; migrate_set_parameter max-bandwidth 64M; migrate -d tcp:10.0.0.2:4444"
printf '\n%-44s %12s\n' "wait, virtual clock (best of 3, whole run)" "hmp"
printf '%-44s %12s\n' "idle VM, wait event STOP, 1 year" "$(ms "$(best_of_three "$HMP" --clock virtual -c 'wait event STOP --timeout 8760h')")"
for hours in 1 10; do
    printf '%-44s %12s\n' "migration not converging, $hours h of passes" \
        "$(ms "$(best_of_three "$HMP" --clock virtual --dirty-rate 50000 -c "$stuck; wait migration completed --timeout ${hours}h")")"
done
