#!/usr/bin/env bash
# shellcheck disable=SC2154  # src_pid, dst_pid and gone_pid are set by start_qemu (declare -g)
# hmp --connect against real QEMU (Debian's qemu-system-x86, 7.2 on bookworm): parameters and
# capabilities, version refusals, migrations between two QEMUs on loopback, block devices,
# jobs, snapshots, pass-through, a QEMU killed mid-session, and one that never greets.
# Every QEMU and helper this script starts is killed on exit, failed checks included.
set -euo pipefail

cd "$(dirname "$0")/.."
HMP=${HMP:-"$(swift build --show-bin-path)/hmp"}
QEMU=${QEMU:-qemu-system-x86_64}
for tool in "$QEMU" qemu-img python3; do
    command -v "$tool" >/dev/null || { echo "test-qemu: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
done

tmp=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT

failures=0
pass() { printf 'ok   %s\n' "$1"; }
fail() { printf 'FAIL %s\n' "$1"; failures=$((failures + 1)); }
# contains DESCRIPTION TEXT NEEDLE...: every needle is in the text.
contains() {
    local what=$1 text=$2
    shift 2
    for needle in "$@"; do
        if ! grep -qF -- "$needle" <<<"$text"; then
            fail "$what: no '$needle' in:"
            while IFS= read -r line; do printf '     | %s\n' "$line"; done <<<"$text" | head -40
            return
        fi
    done
    pass "$what"
}
lacks() {
    local what=$1 text=$2 needle=$3
    if grep -qF -- "$needle" <<<"$text"; then fail "$what: unexpected '$needle'"; else pass "$what"; fi
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_qemu NAME [QEMU OPTIONS...]: a paused PC with 64 MB, QMP on $tmp/NAME.qmp.
start_qemu() {
    local name=$1
    shift
    rm -f "$tmp/$name.qmp"
    (
        # Not the pipe into a running hmp: that hmp must see its end of input.
        if [ -n "${to_hmp:-}" ]; then eval "exec $to_hmp>&-"; fi
        exec "$QEMU" -M pc -m 64 -nodefaults -display none -qmp "unix:$tmp/$name.qmp,server=on,wait=off" "$@"
    ) >"$tmp/$name.log" 2>&1 &
    pids+=($!)
    declare -g "${name}_pid=$!"
    for _ in $(seq 100); do [ -S "$tmp/$name.qmp" ] && return; sleep 0.05; done
    echo "test-qemu: QEMU '$name' did not start:" >&2
    cat "$tmp/$name.log" >&2
    exit 1
}
disk() { qemu-img create -q -f "$2" "$tmp/$1" "$3"; }
drive() { echo "-drive file=$tmp/$1,format=$2,if=none,id=disk0,node-name=n0 -device virtio-blk-pci,drive=disk0,id=vd0"; }

# --- one VM: parameters, capabilities, versions -------------------------------------------
disk one.qcow2 qcow2 64M
# shellcheck disable=SC2046
start_qemu one -S $(drive one.qcow2 qcow2)
one=(--connect "unix:$tmp/one.qmp")

out=$("$HMP" "${one[@]}" -c 'migrate_set_parameter max-bandwidth 64M; migrate_set_parameter downtime-limit 500; info migrate_parameters')
contains "parameters set and read back" "$out" "max-bandwidth set to" "max-bandwidth               64     MiB/s" "downtime-limit              500    ms"
contains "QEMU 7.2's own parameters are shown" "$out" "compress-level" "(decompress-threads, compress-threads, compress-level"

out=$("$HMP" "${one[@]}" -c 'migrate_set_capability xbzrle on; info migrate_capabilities')
contains "capability set and read back" "$out" "xbzrle set to on" "$(printf 'xbzrle                   on')"
contains "QEMU 7.2's own capabilities are shown" "$out" "compress" "block"
out=$("$HMP" "${one[@]}" --format qemu -c 'info migrate_capabilities; info migrate_parameters')
contains "--format qemu lists the remote's capabilities and parameters" "$out" "xbzrle: on" "block: off" "compress-level: 1"
lacks "--format qemu leaves out parameters QEMU 7.2 lacks" "$out" "zero-page-detection"

# Names only QEMU 7.2 has: its schema decides the name and how the value is read.
out=$("$HMP" "${one[@]}" -c 'migrate_set_capability compress on; migrate_set_parameter compress-level 7; migrate_set_parameter compress-wait-thread off; info migrate_capabilities; info migrate_parameters')
contains "QEMU 7.2's own capability and parameters are set" "$out" "compress set to on" "compress-level set to 7" \
    "$(printf 'compress                 on')" "compress-level" "compress-wait-thread"
out=$("$HMP" "${one[@]}" --format qemu -c 'info migrate_capabilities; info migrate_parameters')
contains "QEMU 7.2 reads them back" "$out" "compress: on" "compress-level: 7" "compress-wait-thread: off"
out=$("$HMP" "${one[@]}" -c 'migrate_set_parameter compress-level lots' 2>&1) || true
contains "a value not of the remote's type is refused" "$out" "Parameter 'compress-level' expects a non-negative integer"
out=$("$HMP" "${one[@]}" -c 'migrate_set_parameter compress-level 10' 2>&1) || true
contains "QEMU 7.2's own range check answers" "$out" "Error: " "compress_level"
out=$("$HMP" "${one[@]}" -c 'migrate_set_capability frobnicate on' 2>&1) || true
contains "a name neither knows is refused with QEMU 7.2's names" "$out" "unknown migration capability: 'frobnicate'" "The capabilities are: xbzrle," "compress"
out=$("$HMP" "${one[@]}" --complete -- migrate_set_capability comp)
contains "completion offers QEMU 7.2's own capabilities" "$out" "compress"

status=0
out=$("$HMP" "${one[@]}" --log "$tmp/qmp.log" -c 'migrate_set_parameter direct-io on' 2>&1) || status=$?
contains "a parameter QEMU 7.2 lacks is refused naming the version" "$out" "QEMU 7.2.22 has no migration parameter 'direct-io'"
if [ "$status" -eq 1 ]; then pass "the refusal fails the batch"; else fail "refusal exit status $status"; fi
if grep -q -- '->.*direct-io' "$tmp/qmp.log"; then fail "direct-io was sent to QEMU"; else pass "the refused parameter was never sent (--log)"; fi
contains "--log has every message with time and VM name" "$(cat "$tmp/qmp.log")" ' vm1 -> {"execute": "qmp_capabilities"' ' vm1 <- {"QMP":' 'vm1 -- not sent: QEMU 7.2.22'
out=$("$HMP" "${one[@]}" -c 'migrate_set_capability dirty-limit on' 2>&1) || true
contains "a capability QEMU 7.2 lacks is refused" "$out" "QEMU 7.2.22 has no migration capability 'dirty-limit'"
out=$("$HMP" "${one[@]}" --format qemu -c 'migrate_set_parameter downtime-limit 2001000' 2>&1) || true
contains "QEMU's own error text comes back" "$out" "Error: Parameter 'downtime_limit' expects an integer in the range of 0 to (2000 * 1000) ms"
out=$("$HMP" "${one[@]}" -c 'migrate_set_parameter downtime-limit 2001000' 2>&1) || true
contains "the table format words it with dashed names" "$out" "Error: Parameter 'downtime-limit' expects an integer from 0 to 2000000 ms"
out=$("$HMP" "${one[@]}" -c 'block_resize nosuch 1G' 2>&1) || true
contains "QEMU's own error for an unknown device" "$out" "Cannot find device='nosuch'"

# --- block devices, jobs, snapshots ----------------------------------------------------------
out=$("$HMP" "${one[@]}" -c 'block_resize disk0 128M; info block; info blockstats')
contains "block_resize on a real disk" "$out" "disk0 resized from 64 MiB to 128 MiB"
contains "qemu-img sees the new size" "$(qemu-img info -U "$tmp/one.qcow2")" "virtual size: 128 MiB"
contains "info block and info blockstats" "$out" "one.qcow2  128 MiB" "rd ops"
# The model's qcow2 details read as QEMU's for an image qemu-img made: same lines, same order.
format_specific() { awk '/^Format specific information:/ { on = 1; print; next } on && /^    / { print; next } { on = 0 }' | head -n 7; }
model_specific=$("$HMP" --format qemu -c 'info block -v virtio0' | format_specific)
qemu_specific=$(qemu-img info -U "$tmp/one.qcow2" | format_specific)
remote_specific=$("$HMP" "${one[@]}" --format qemu -c 'info block -v disk0' | format_specific)
if [ -n "$qemu_specific" ] && [ "$model_specific" = "$qemu_specific" ] && [ "$remote_specific" = "$qemu_specific" ]; then
    pass "qcow2 format-specific information as qemu-img prints it"
else
    fail "qcow2 format-specific information: model"$'\n'"$model_specific"$'\n'"qemu-img"$'\n'"$qemu_specific"$'\n'"QEMU over QMP"$'\n'"$remote_specific"
fi
out=$("$HMP" "${one[@]}" --format json -c "drive_backup disk0 $tmp/backup.qcow2 qcow2; sleep 1; info block-jobs" 2>/dev/null)
contains "drive_backup runs to completion with its events" "$out" '"event": "BLOCK_JOB_COMPLETED"' '"type": "backup"' '"status": "concluded"'
out=$("$HMP" "${one[@]}" --format json -c "drive_mirror -f disk0 $tmp/mirror.qcow2 qcow2; sleep 1; block_job_complete disk0; sleep 1" 2>/dev/null)
contains "drive_mirror: ready, then completed" "$out" '"event": "BLOCK_JOB_READY"' '"event": "BLOCK_JOB_COMPLETED"' '"type": "mirror"'
out=$("$HMP" "${one[@]}" -c 'savevm snap1; info snapshots; loadvm snap1; delvm snap1; info snapshots')
contains "savevm, info snapshots, loadvm, delvm on qcow2" "$out" "snapshot snap1 saved on disk0" "snap1  1" "snapshot snap1 loaded" "There is no snapshot available."

# --- pass-through ----------------------------------------------------------------------------
out=$("$HMP" "${one[@]}" -c 'info mtree; info mtree')
contains "a command hmp lacks goes to QEMU's HMP, with one note" "$out" "note: 'info mtree' is not an hmp command; QEMU 7.2.22's own HMP answered" "address-space: memory"
if [ "$(grep -c '^note:' <<<"$out")" -eq 1 ]; then pass "the note is shown once"; else fail "the pass-through note is not shown exactly once"; fi
out=$("$HMP" "${one[@]}" --format json -c 'info mtree')
contains "--format json prints the pass-through reply" "$out" '{"return": "address-space: '
out=$("$HMP" "${one[@]}" -c 'frobnicate' 2>&1) || true
contains "a line neither knows is unknown" "$out" "unknown command: 'frobnicate'"

# --- two VMs: a migration watched from both ends -------------------------------------------
port=$(free_port)
start_qemu src
start_qemu dst -incoming "tcp:127.0.0.1:$port"
two=(--connect "src=unix:$tmp/src.qmp" --connect "dst=unix:$tmp/dst.qmp")
out=$("$HMP" "${two[@]}" --complete -- @)
contains "shell completion offers @VM" "$out" "@src" "@dst" "@all"
out=$("$HMP" "${two[@]}" --complete -- @dst info migrate_c)
contains "shell completion completes the line after @dst" "$out" "migrate_capabilities"
out=$("$HMP" "${two[@]}" --complete -- use "")
contains "use completes VM names" "$out" "src" "dst"
out=$("$HMP" "${two[@]}" -c 'use dst; info status; help use' 2>&1)
contains "use sends later lines to dst; help lists it" "$out" "Commands now go to VM 'dst'" "VM status  inmigrate" "use name"
out=$("$HMP" "${two[@]}" -c '@all info status; @src migrate -d tcp:127.0.0.1:'"$port"'; sleep 2; @all info migrate; @dst info status')
contains "@all info status has a VM column" "$out" "src  VM status  running" "dst  VM status  inmigrate"
contains "the migration ends completed on src and running on dst" "$out" "src  Status            completed" "dst  Status  completed" "VM status  running"
kill "$src_pid" "$dst_pid" 2>/dev/null || true

# A cancelled one: slowed down, then cancelled.
port=$(free_port)
start_qemu src
start_qemu dst -incoming "tcp:127.0.0.1:$port"
out=$("$HMP" "${two[@]}" -c '@src migrate_set_parameter max-bandwidth 1M; @src migrate -d tcp:127.0.0.1:'"$port"'; sleep 0.3; @src migrate_cancel; sleep 0.5; @src info migrate')
contains "a cancelled migration" "$out" "Status            cancelled" "Figures           last seen"
kill "$src_pid" "$dst_pid" 2>/dev/null || true

# A failed one: nothing listens on the port.
port=$(free_port)
out=$("$HMP" "${one[@]}" -c "migrate tcp:127.0.0.1:$port" 2>&1) || true
contains "a failed migration gives QEMU's reason" "$out" "Connection refused"

# --- a QEMU killed mid-session, then --reconnect ---------------------------------------------
start_qemu gone -S
exec {to_hmp}> >("$HMP" --connect "g=unix:$tmp/gone.qmp" --reconnect --format json >"$tmp/gone.out" 2>&1)
hmp_pid=$!
pids+=("$hmp_pid")
echo 'info status' >&$to_hmp
sleep 0.5
kill "$gone_pid"
sleep 0.5
echo 'info status' >&$to_hmp
start_qemu gone -S
sleep 1.5
echo 'info status' >&$to_hmp
exec {to_hmp}>&-
for _ in $(seq 50); do kill -0 "$hmp_pid" 2>/dev/null || break; sleep 0.1; done
out=$(cat "$tmp/gone.out")
contains "the disconnect is reported, commands refused, then reconnected" "$out" \
    '"event": "QMP_DISCONNECTED"' '"vm": "g"' "is disconnected" '"event": "QMP_RECONNECTED"' "events sent while disconnected were lost" '"status": "prelaunch"'

# --- a QEMU that never answers ----------------------------------------------------------------
python3 -c 'import socket, sys, time; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1); c = s.accept(); time.sleep(30)' "$tmp/mute.qmp" &
pids+=($!)
for _ in $(seq 50); do [ -S "$tmp/mute.qmp" ] && break; sleep 0.05; done
start=$(date +%s)
status=0
out=$("$HMP" --connect "mute=unix:$tmp/mute.qmp" -c 'info status' 2>&1) || status=$?
contains "a QEMU that never greets times out" "$out" "VM 'mute' at unix:$tmp/mute.qmp did not send the QMP greeting within 5 s"
if [ "$status" -eq 1 ] && [ $(($(date +%s) - start)) -le 7 ]; then pass "connect timeout after 5 s, status 1"; else fail "connect timeout: status $status"; fi

# --- a QEMU that stops answering, or goes away, in the middle of a command ----------------------
# A stand-in that negotiates like QEMU, then either never answers query-status or closes the
# socket once it has read it: hmp must report the outcome as unknown and not send it again.
cat >"$tmp/stall.py" <<'PY'
import json, socket, sys, time
path, mode = sys.argv[1], sys.argv[2]
server = socket.socket(socket.AF_UNIX)
server.bind(path)
server.listen(1)
conn, _ = server.accept()
stream = conn.makefile("rwb", buffering=0)
def send(obj): stream.write(json.dumps(obj).encode() + b"\r\n")
send({"QMP": {"version": {"qemu": {"major": 7, "minor": 2, "micro": 22}, "package": ""}, "capabilities": []}})
schema = [{"name": "query-status", "meta-type": "command", "arg-type": "0", "ret-type": "0"},
          {"name": "0", "meta-type": "object", "members": []}]
seen = 0
for line in stream:
    request = json.loads(line)
    name = request["execute"]
    if name == "query-status":
        seen += 1
        print("query-status", seen, flush=True)
        if seen == 1:
            continue  # the state read at connect gets nothing either: answer it late
        if mode == "close":
            conn.close()
            break
        time.sleep(30)
    reply = {"qmp_capabilities": {}, "query-version": {"qemu": {"major": 7, "minor": 2, "micro": 22}, "package": ""},
             "query-qmp-schema": schema}.get(name, {})
    send({"return": reply, "id": request.get("id")})
PY
for mode in stall close; do
    python3 "$tmp/stall.py" "$tmp/$mode.qmp" "$mode" >"$tmp/$mode.seen" &
    pids+=($!)
    for _ in $(seq 50); do [ -S "$tmp/$mode.qmp" ] && break; sleep 0.05; done
    out=$("$HMP" --connect "s=unix:$tmp/$mode.qmp" --timeout 1 -c 'info status' 2>&1) || true
    case $mode in
    stall) contains "a command without a reply: unknown outcome, naming the VM" "$out" "VM 's' at unix:$tmp/stall.qmp did not answer 'query-status' within 1 s: its outcome is unknown" "does not send it again" ;;
    close) contains "a reply lost with the connection: unknown outcome" "$out" "VM 's' went away before answering 'query-status'" "its outcome is unknown" ;;
    esac
    sleep 0.2
    if [ "$(grep -c '^query-status' "$tmp/$mode.seen")" -eq 2 ]; then pass "the command was sent once ($mode)"; else fail "query-status sent $(grep -c '^query-status' "$tmp/$mode.seen") times ($mode)"; fi
done

# --- the same console on the model served over QMP: one console, two kinds of VM -------------
"$HMP" --qmp "unix:$tmp/model.qmp" --no-console >"$tmp/model.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -S "$tmp/model.qmp" ] && break; sleep 0.05; done
out=$("$HMP" --connect "model=unix:$tmp/model.qmp" --connect "real=unix:$tmp/one.qmp" \
    -c '@all migrate_set_parameter max-bandwidth 64M; @all info migrate_parameters; @model block_resize virtio0 30G; @model savevm s1; @model info snapshots; @all info status')
contains "the model over QMP answers in the same shapes" "$out" \
    "model  max-bandwidth               64       MiB/s" "real   max-bandwidth               64     MiB/s" \
    "virtio0 resized from 20 GiB to 30 GiB" "snapshot s1 saved on virtio0" "model  VM status  running" "real   VM status  prelaunch"

if [ "$failures" -gt 0 ]; then
    echo "test-qemu: $failures check(s) failed" >&2
    exit 1
fi
echo "test-qemu: all checks passed"
