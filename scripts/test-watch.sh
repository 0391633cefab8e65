#!/usr/bin/env bash
# Real-terminal tests of watch and of the migration progress line: hmp runs in a tmux pane on
# a private server, keys go in with send-keys, the screen comes back with capture-pane and the
# bytes hmp wrote with pipe-pane. Every check polls until its pattern shows or a timeout passes.
# Prints "N passed, M failed" and exits non-zero when a check failed.
#
# HMP=path/to/hmp uses that binary instead of building one.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

# shellcheck source=scripts/lib/tmux-harness.sh
. scripts/lib/tmux-harness.sh
harness_init hmp-watch 10000

# start NAME COLUMNS [hmp arguments...]
start() {
    local name=$1 columns=$2; shift 2
    local cmd
    cmd="cd $(printf %q "$work") && env TERM=tmux-256color LANG=C.UTF-8 LC_ALL= NO_COLOR=1 HOME=$(printf %q "$work/home")"
    cmd+=" $(printf '%q ' "$HMP" --no-history "$@"); echo \"[exit \$?]\"; sleep 3600"
    tm new-session -d -s "$name" -x "$columns" -y 40 "$cmd"
    wait_for "$name" '^\(hmp\)' || { echo "  $name: no prompt"; screen "$name"; }
}
line() { tm send-keys -t "$1" -l -- "$2"; tm send-keys -t "$1" Enter; }
first_line() { screen "$1" | head -n 1; }

# --- watch: header, in-place redraw, q ---------------------------------------------------------
start w1 100
line w1 "stop"
line w1 "watch -n 0.5 info status"
check "watch: a header with the interval and the time" w1 '^Every 0\.5 s: info status +[0-9]{2}:[0-9]{2}:[0-9]{2}$'
check "watch: the command's output under it" w1 '^VM status +paused$'
# Only what changed is rewritten: with a paused VM only the header's clock moves, so a frame
# after the first writes far fewer bytes than the whole screen.
tm pipe-pane -t w1 -o "cat >> $(printf %q "$work/w1.bytes")"
first=$(first_line w1)
deadline=$(( $(now_ms) + 4000 ))
while [ "$(first_line w1)" = "$first" ] && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.05; done
sleep 1.2
tm pipe-pane -t w1
bytes=$(wc -c < "$work/w1.bytes" 2>/dev/null || echo 0)
if [ "$(first_line w1)" != "$first" ] && [ "$bytes" -gt 0 ] && [ "$bytes" -lt 400 ]; then
    ok "watch: the clock moves and only the changed row is redrawn ($bytes bytes in ~1.5 s)"
else
    failed=$((failed + 1)); echo "FAIL watch: redraw in place ($bytes bytes; header '$(first_line w1)' was '$first')"
fi
if screen w1 | grep -q '^(hmp) watch'; then
    failed=$((failed + 1)); echo "FAIL watch: the alternate screen hides the console while watching"
else
    ok "watch: the alternate screen hides the console while watching"
fi
keys w1 q
check "watch: q ends it, the last screen stays and the prompt is back" w1 '^\(hmp\)$'
check "watch: the last frame is printed below the command" w1 '^Every 0\.5 s: info status'
line w1 "info status"
check "watch: typed keys are not echoed afterwards; the console works" w1 'VM status +paused' 

# --- watch: Ctrl-C -------------------------------------------------------------------------------
line w1 "watch -n 1 info version"
check "watch: started again" w1 '^Every 1 s: info version'
keys w1 C-c
check "watch: Ctrl-C ends it" w1 '^\(hmp\)$'
line w1 "quit"
check "the console quits afterwards" w1 '^\[exit 0\]'

# --- watch: -c N ends by itself; a resize redraws everything -------------------------------------
start w2 100
line w2 "watch -n 0.2 -c 15 info name"
check "watch -c: running" w2 '^Every 0\.2 s: info name'
tm resize-window -t w2 -x 60 -y 20 2>/dev/null || tm resize-pane -t w2 -x 60 -y 20
check "watch: after a resize the header fits the new width" w2 '^Every 0\.2 s: info name +[0-9:]{8}$'
check "watch -c: ends after N runs" w2 '^\(hmp\)$'
line w2 "quit"

# --- The progress line: width, sent/left, verdict, events above it --------------------------------
start p1 130 --ram 1G --dirty-rate 50000
line p1 "guest_set hot-set 512M"
line p1 "migrate_set_capability events on"
line p1 "migrate_set_parameter max-bandwidth 128M"
line p1 "migrate tcp:192.0.2.1:4444"
check "progress: pass, sent and left shown apart, on a 130-column row with the expected downtime" p1 \
    'pass [0-9]+ [0-9.]+%  sent [0-9.]+ [KMG]i?B  left [0-9.]+ [KMG]i?B  .*downtime [0-9]+ ms'
check "progress: MIGRATION_PASS is printed above the line as it happens" p1 '^\[[0-9:.]+\] MIGRATION_PASS pass=2$' 20000
check "progress: the verdict says it does not converge" p1 'not converging' 20000
if screen p1 | grep -Eq '[0-9.]+/[0-9.]+ GiB'; then
    failed=$((failed + 1)); echo "FAIL progress: no transferred/total figure"
else
    ok "progress: no transferred/total figure"
fi
tm resize-window -t p1 -x 70 -y 40 2>/dev/null || tm resize-pane -t p1 -x 70
sleep 0.5
if screen p1 | awk 'length > 70 { bad = 1 } END { exit !bad }'; then
    failed=$((failed + 1)); echo "FAIL progress: the line fits a narrowed window"
else
    ok "progress: the line fits a narrowed window"
fi
tm send-keys -t p1 -l -- "info status"
sleep 0.5
if screen p1 | grep -q 'info status'; then
    failed=$((failed + 1)); echo "FAIL progress: keys typed meanwhile are not echoed onto the line"
else
    ok "progress: keys typed meanwhile are not echoed onto the line"
fi
keys p1 C-c
check "progress: Ctrl-C stops waiting" p1 'migrate_cancel'
check "progress: what was typed meanwhile is named and not run" p1 '^\(typed while waiting, not run: info status\)$'
line p1 "migrate_cancel"
line p1 "quit"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
