#!/usr/bin/env bash
# Real-terminal tests of the interactive console: hmp runs in a tmux pane on a private server
# (tmux -L hmp-terminal-$$), keys go in with send-keys, the screen comes back with capture-pane.
# Every check polls the screen until its pattern shows up or a timeout passes; no fixed sleeps.
# Prints "N passed, M failed" and exits non-zero when a check failed.
#
# HMP=path/to/hmp uses that binary instead of building one.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

# shellcheck source=scripts/lib/tmux-harness.sh
. scripts/lib/tmux-harness.sh
harness_init hmp-terminal 8000

# start NAME [hmp arguments...]: a pane running hmp; when hmp ends the pane shows "[exit N]".
start() {
    local name=$1; shift
    local cmd
    cmd="cd $(printf %q "$work") && env TERM=tmux-256color LANG=C.UTF-8 LC_ALL= NO_COLOR= HOME=$(printf %q "$work/home")"
    cmd+=" $(printf '%q ' "$HMP" "$@"); echo \"[exit \$?]\"; sleep 3600"
    tm new-session -d -s "$name" -x 100 -y 30 "$cmd"
    wait_for "$name" '^\(hmp\)' || { echo "  $name: no prompt"; screen "$name"; }
}

# Types text literally (no key names).
type_text() { tm send-keys -t "$1" -l -- "$2"; }

# The last non-blank line on the screen (where the prompt and the typed text are).
last_line() { screen "$1" | grep -v '^[[:space:]]*$' | tail -n 1; }

# wait_last NAME REGEX: the last non-blank line matches.
wait_last() {
    local deadline=$(( $(now_ms) + ${3:-$timeout_ms} ))
    while :; do
        last_line "$1" | grep -Eq -- "$2" && return 0
        [ "$(now_ms)" -ge "$deadline" ] && return 1
        sleep 0.05
    done
}

check_last() { if wait_last "$2" "$3" "${4:-$timeout_ms}"; then ok "$1"; else not_ok "$1" "$2"; fi; }

# Clears the line being typed (Ctrl-A Ctrl-K), then waits for a bare prompt.
clear_line() { keys "$1" C-a C-k; wait_last "$1" '^\(hmp\)$' >/dev/null; }

history_file=$work/history

# --- Start-up, completion -----------------------------------------------------------------
start t1 --history-file "$history_file" --ram 256M
check "greeting on start" t1 "swift-hmp [0-9.]+ monitor - type 'help' for more information"

type_text t1 "migrate_set_capa"
keys t1 Tab
type_text t1 "X"
check_last "TAB: a unique command is inserted with a space" t1 '^\(hmp\) migrate_set_capability X$'
clear_line t1

type_text t1 "info "
keys t1 Tab
check "TAB: several candidates are listed in columns" t1 'migrate_capabilities +migrate_parameters'
check_last "TAB: the line is drawn again under the list" t1 '^\(hmp\) info$'
clear_line t1

type_text t1 "migrate_set_parameter multifd-compression "
keys t1 Tab
check "TAB: values of a parameter (multifd-compression)" t1 'none +.*zlib +.*zstd'
check_last "TAB: the line survives the value list" t1 '^\(hmp\) migrate_set_parameter multifd-compression$'
type_text t1 "zl"
keys t1 Tab
type_text t1 "X"
check_last "TAB: a unique value is completed, with a space" t1 '^\(hmp\) migrate_set_parameter multifd-compression zlib X$'
clear_line t1

type_text t1 "migrate -d uni"
keys t1 Tab
type_text t1 "X"
check_last "TAB: no space after a completion ending in ':'" t1 '^\(hmp\) migrate -d unix:X$'
clear_line t1

type_text t1 "migrate_set_parameter downtime-limit "
keys t1 Tab
check "TAB: a hint when a number is expected" t1 'downtime-limit: milliseconds'
clear_line t1

# --- Ctrl-C ---------------------------------------------------------------------------------
type_text t1 "info sta"
keys t1 C-c
check_last "Ctrl-C clears a half-typed line" t1 '^\(hmp\)$'
type_text t1 "info version"
keys t1 Enter
check "the next line runs without the cleared text" t1 '^[0-9]+\.[0-9]+\.[0-9]+'

# --- Events while idle ----------------------------------------------------------------------
# MIGRATION events are sent only with the events capability, as in QEMU.
type_text t1 "migrate_set_capability events on"
keys t1 Enter
wait_last t1 '^\(hmp\)$' >/dev/null
type_text t1 "migrate -d tcp:192.0.2.1:4444"
keys t1 Enter
wait_last t1 '^\(hmp\)$' >/dev/null
type_text t1 "info sta"
check "an event is printed while the prompt waits, at its wall-clock time" t1 '\[[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}\] MIGRATION status=completed' 20000
check_last "the half-typed line survives the event" t1 '^\(hmp\) info sta$'
keys t1 C-c

# --- Progress of a foreground migrate, and Ctrl-C while waiting -------------------------------
start t2 --no-history --ram 2G
type_text t2 "migrate_set_parameter max-bandwidth 512M"
keys t2 Enter
type_text t2 "migrate tcp:192.0.2.1:4445"
keys t2 Enter
check "a foreground migrate shows a percentage" t2 '[0-9]+(\.[0-9]+)?%'
keys t2 C-c
check "Ctrl-C stops waiting and says how to cancel" t2 'migrate_cancel'
check_last "the prompt is back after Ctrl-C" t2 '^\(hmp\)$'
type_text t2 "migrate_cancel"
keys t2 Enter

# --- Ctrl-D, history across runs --------------------------------------------------------------
type_text t1 "info status"
keys t1 Enter
wait_last t1 '^\(hmp\)$' >/dev/null
keys t1 C-d
check "Ctrl-D on an empty line quits" t1 '^\[exit 0\]'
if [ -s "$history_file" ] && grep -q 'info' "$history_file"; then ok "the history file is written"; else not_ok "the history file is written" t1; fi

start t3 --history-file "$history_file"
keys t3 Up
check_last "Up in a new session recalls the last line of the previous one" t3 '^\(hmp\) info status$'
keys t3 C-c
keys t3 C-r
type_text t3 "vers"
check "Ctrl-R finds an older line" t3 'info version'
keys t3 C-c
type_text t3 "quit"
keys t3 Enter
check "quit ends the console" t3 '^\[exit 0\]'

# --- Ctrl-C ends a sleep; quit and Ctrl-D ask while a migration runs ---------------------------
start t4 --no-history --ram 64G
type_text t4 "sleep 1h"
keys t4 Enter
wait_for t4 'sleep 1h$' >/dev/null
keys t4 C-c
check "Ctrl-C ends a sleep" t4 'sleep interrupted'
check_last "the prompt is back after the interrupted sleep" t4 '^\(hmp\)$'
type_text t4 "migrate_set_parameter max-bandwidth 1M"
keys t4 Enter
type_text t4 "migrate -d tcp:192.0.2.1:9"
keys t4 Enter
wait_last t4 '^\(hmp\)$' >/dev/null
type_text t4 "quit"
keys t4 Enter
check "quit asks while a migration runs" t4 'Quit anyway\? \(y/N\)'
type_text t4 "n"
keys t4 Enter
check "answering no keeps the console" t4 '^Not quitting'
check_last "the prompt is back after no" t4 '^\(hmp\)$'
keys t4 C-d
check "Ctrl-D asks too" t4 'Quit anyway\? \(y/N\) *$'
type_text t4 "y"
keys t4 Enter
check "answering yes quits" t4 '^\[exit 0\]'

# --- A FIFO as history file neither blocks start-up nor is replaced ---------------------------
mkfifo "$work/history.fifo"
start t5 --history-file "$work/history.fifo"
check "a FIFO history file is left alone, with a word" t5 'not a regular file; it is left alone'
type_text t5 "quit"
keys t5 Enter
check "the console works with history in memory" t5 '^\[exit 0\]'
if [ -p "$work/history.fifo" ]; then ok "the FIFO is still a FIFO"; else not_ok "the FIFO is still a FIFO" t5; fi

# --- Errors: one red mark for every failure; a "no" at a question is no error ---------------
# capture-pane -e keeps the colours: tmux writes red as ESC[31m and its end as ESC[39m.
start t6 --no-history
type_text t6 "migrte"
keys t6 Enter
type_text t6 "migrate_set_parameter multifd-compression zsdt"
keys t6 Enter
type_text t6 "block_resize virtio0 1G"
keys t6 Enter
wait_for t6 'The data past the new end is lost\. \(y/N\)' >/dev/null
type_text t6 "n"
keys t6 Enter
wait_for t6 '^Not resized' >/dev/null
colours=$(tm capture-pane -e -p -t t6)
red=$'\e[31mError:'
if grep -qF -- "${red}"$'\e[39m'" unknown command: 'migrte'; did you mean 'migrate'?" <<<"$colours"; then
    ok "a parse error is marked with a red Error:"
else not_ok "a parse error is marked with a red Error:" t6; fi
if grep -qF -- "${red}"$'\e[39m'" Parameter 'multifd-compression' does not accept value 'zsdt'; did you mean 'zstd'?" <<<"$colours" &&
    grep -q '^Accepted values: none, zlib, zstd' <<<"$colours"; then
    ok "a bad value: the same red Error:, the accepted values on a plain line"
else not_ok "a bad value: the same red Error:, the accepted values on a plain line" t6; fi
if grep -q '^Not resized: virtio0 stays at 20 GiB' <<<"$colours" && [ "$(grep -c $'\e\\[31m' <<<"$colours")" -eq 2 ]; then
    ok "no at the shrink question is an answer, not a red error"
else not_ok "no at the shrink question is an answer, not a red error" t6; fi
type_text t6 "quit"
keys t6 Enter

# --- TAB offers the devices a command can use, on the VM the options describe -----------------
start t7 --no-history --disk data0:qcow2:10G --disk data1:raw:1G:ro --disk cd0:cdrom
type_text t7 "block_resize "
keys t7 Tab
check_last "TAB: block_resize inserts what its candidates share" t7 '^\(hmp\) block_resize data0$'
keys t7 Tab
check "TAB: block_resize lists the writable disk and its nodes" t7 'data0 +data0-file +data0-fmt *$'
if screen t7 | grep -q 'data1\|cd0'; then not_ok "TAB: block_resize leaves out read-only and empty drives" t7; else
    ok "TAB: block_resize leaves out read-only and empty drives"; fi
clear_line t7
type_text t7 "eject "
keys t7 Tab
type_text t7 "X"
check_last "TAB: eject completes the only removable drive" t7 '^\(hmp\) eject cd0 X$'
clear_line t7
type_text t7 "quit"
keys t7 Enter

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
