#!/usr/bin/env bash
# QMP server tests against real clients: a raw-socket conformance test, qemu.qmp's QMPClient,
# qmp-shell fed on its standard input, a robustness run, and the console with a client at once
# (tmux). Every server runs on a unix socket in a private temp dir and is stopped by the test.
# Prints a line per part and exits non-zero when a check failed.
#
# HMP=path/to/hmp uses that binary instead of building one.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

if [ -z "${HMP:-}" ]; then
    swift build --product hmp >&2 || { echo "QMP tests: build failed"; exit 1; }
    HMP=$PWD/.build/debug/hmp
fi
export HMP
venv=$PWD/.build/venv
[ -x "$venv/bin/qmp-shell" ] || { echo "qemu.qmp is not installed in .build/venv (scripts/install-deps.sh)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "tmux is not installed (scripts/install-deps.sh)" >&2; exit 1; }

status=0
for part in test_wire test_client test_robustness test_console; do
    timeout 300 "$venv/bin/python" "scripts/qmp/$part.py" || status=1
done

# qmp-shell, non-interactively: commands on its standard input, replies on its output.
work=$(mktemp -d "${TMPDIR:-/tmp}/hmp-qmp-shell.XXXXXX")
"$HMP" --qmp "unix:$work/vm.qmp" --no-console &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 200); do [ -S "$work/vm.qmp" ] && break; sleep 0.02; done
# socat: commands written at once, then end of input (socat shuts its side and waits for
# the replies): every command is answered before the server closes.
socat_out=$(printf '{"execute":"qmp_capabilities"}{"execute":"query-name","id":1}{"execute":"query-status","id":2}' |
    timeout 10 socat -t 2 - "UNIX-CONNECT:$work/vm.qmp" 2>&1)
if grep -q '"id": 2' <<<"$socat_out" && grep -q '"QMP"' <<<"$socat_out"; then
    echo "socat: passed"
else
    echo "socat: failed"
    printf '    %s\n' "${socat_out//$'\n'/$'\n'    }"
    status=1
fi
out=$(printf 'query-status\nstop\nquery-status\nmigrate-set-parameters downtime-limit=777\nquery-migrate-parameters\nquit\n' |
    timeout 20 "$venv/bin/qmp-shell" "$work/vm.qmp" 2>&1)
shell_failed=0
for expected in '"status": "running"' '"status": "paused"' '"downtime-limit": 777'; do
    grep -qF -- "$expected" <<<"$out" || { echo "  FAIL: qmp-shell output lacks $expected"; shell_failed=1; }
done
wait "$pid"; code=$?
if [ "$code" -ne 0 ] || [ -e "$work/vm.qmp" ]; then
    echo "  FAIL: quit from qmp-shell: exit $code, socket left: $(ls "$work")"
    shell_failed=1
fi
if [ "$shell_failed" -eq 0 ]; then
    echo "qmp-shell: passed"
else
    echo "qmp-shell: failed"
    printf '    %s\n' "${out//$'\n'/$'\n'    }"
    status=1
fi
exit "$status"
