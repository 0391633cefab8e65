#!/usr/bin/env bash
# Cost of savevm as snapshots pile up: a batch of N `savevm sN` lines (distinct tags) read from a
# file by `hmp --clock virtual`, at 10,000 and 40,000 lines; time per savevm for each and the ratio
# of the two totals. Linear handling gives a ratio near 4 (per-savevm times alike); a ratio near
# 16 means each savevm walks every snapshot taken before it. Figures only; nothing fails here.
#
# Environment: HMP (binary, default .build/release/hmp), SMALL and LARGE (default 10000, 40000).
set -euo pipefail
cd "$(dirname "$0")/.."

HMP=${HMP:-.build/release/hmp}
SMALL=${SMALL:-10000}
LARGE=${LARGE:-40000}

if [ ! -x "$HMP" ]; then
    echo "building $HMP ..." >&2
    swift build -c release --product hmp >&2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run_savevm N: wall time in microseconds of a batch of N savevm lines (best of two).
run_savevm() {
    local n=$1 i t0 t1
    awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++) printf "savevm s%d\n", i }' >"$work/savevm.txt"
    for i in 1 2; do
        t0=${EPOCHREALTIME/./}
        "$HMP" --clock virtual --no-history <"$work/savevm.txt" >"$work/out.txt" 2>"$work/err.txt" ||
            echo "warning: the savevm batch exited with an error: $(head -n 1 "$work/err.txt")" >&2
        t1=${EPOCHREALTIME/./}
        echo $((t1 - t0))
    done | sort -n | head -n 1
}

small=$(run_savevm "$SMALL")
large=$(run_savevm "$LARGE")
per() { awk -v us="$1" -v n="$2" 'BEGIN { printf "%.1f us", us / n }'; }
printf '\n%-44s %12s\n' "savevm, distinct tags (best of 2)" "per savevm"
printf '%-44s %12s\n' "$SMALL lines" "$(per "$small" "$SMALL")"
printf '%-44s %12s\n' "$LARGE lines" "$(per "$large" "$LARGE")"
printf '%-44s %12s\n' "total time, $LARGE vs $SMALL lines" \
    "$(awk -v a="$large" -v b="$small" -v n="$LARGE" -v m="$SMALL" 'BEGIN { printf "%.1fx (linear: %.0fx)", a / b, n / m }')"
