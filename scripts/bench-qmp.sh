#!/usr/bin/env bash
# QMP server figures (scripts/qmp/bench_qmp.py): query-status round trips per second over one
# connection and over 8 at once, and RSS with 8 clients, hmp beside real QEMU in the same run.
# Environment: HMP (binary, default .build/release/hmp), QEMU (default qemu-system-x86_64),
# QMP_ROUND_TRIPS (one connection, default 20000), QMP_ROUND_TRIPS_EACH (per client, default 5000),
# QMP_CLIENT (the load client, default .build/release/qmp-roundtrips when built, else Python).
set -euo pipefail
cd "$(dirname "$0")/.."
HMP=${HMP:-.build/release/hmp}
if [ ! -x "$HMP" ]; then
    echo "building $HMP ..." >&2
    swift build -c release --product hmp >&2
fi
if [ -z "${QMP_CLIENT:-}" ] && [ -x .build/release/qmp-roundtrips ]; then
    export QMP_CLIENT=$PWD/.build/release/qmp-roundtrips
fi
python=python3
[ -x .build/venv/bin/python ] && python=.build/venv/bin/python
HMP=$HMP "$python" scripts/qmp/bench_qmp.py
