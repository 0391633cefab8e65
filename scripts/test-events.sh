#!/usr/bin/env bash
# Real-terminal tests of how the console shows events: wall-clock times (model time on the
# virtual clock), failures in red, and the internal snapshot jobs' events left out. hmp runs
# in tmux panes on a private server; the screen comes back with capture-pane (-e keeps the
# colours). Every check polls until its pattern shows up or a timeout passes.
# Prints "N passed, M failed" and exits non-zero when a check failed.
#
# HMP=path/to/hmp uses that binary instead of building one.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

if [ -z "${HMP:-}" ]; then
    swift build --product hmp >&2 || { echo "0 passed, 1 failed (build)"; exit 1; }
    HMP=$PWD/.build/debug/hmp
fi
command -v tmux >/dev/null || { echo "tmux is not installed (scripts/install-deps.sh)" >&2; exit 1; }

socket=hmp-events-$$
work=$(mktemp -d "${TMPDIR:-/tmp}/hmp-events.XXXXXX")
tm() { tmux -L "$socket" -f /dev/null "$@"; }
cleanup() {
    tm kill-server >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

passed=0
failed=0
timeout_ms=${TIMEOUT_MS:-8000}
esc=$'\e'

now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }

# start NAME NO_COLOR [hmp arguments...]: a pane running hmp.
start() {
    local name=$1 nocolor=$2; shift 2
    local cmd
    cmd="cd $(printf %q "$work") && env TERM=tmux-256color LANG=C.UTF-8 LC_ALL= NO_COLOR=$nocolor HOME=$(printf %q "$work/home")"
    cmd+=" $(printf '%q ' "$HMP" --no-history "$@"); echo \"[exit \$?]\"; sleep 3600"
    tm new-session -d -s "$name" -x 120 -y 40 "$cmd"
    wait_for "$name" '^\(hmp\)' "$timeout_ms" plain || { echo "  $name: no prompt"; plain "$name"; }
}

# The screen with its colours as escape sequences.
screen() { tm capture-pane -e -p -t "$1" 2>/dev/null; }
# The screen as text.
plain() { screen "$1" | sed "s/$esc\[[0-9;]*m//g"; }
run_line() { tm send-keys -t "$1" -l -- "$2"; tm send-keys -t "$1" Enter; }

# wait_for NAME REGEX [TIMEOUT_MS] [plain]: true once the screen (or its text) matches.
wait_for() {
    local deadline=$(( $(now_ms) + ${3:-$timeout_ms} ))
    while :; do
        if [ "${4:-}" = plain ]; then plain "$1"; else screen "$1"; fi | grep -Eq -- "$2" && return 0
        [ "$(now_ms)" -ge "$deadline" ] && return 1
        sleep 0.05
    done
}

ok() { passed=$((passed + 1)); echo "ok   $1"; }
not_ok() {
    failed=$((failed + 1))
    echo "FAIL $1"
    echo "---- screen of $2 ----"
    screen "$2" | grep -v '^[[:space:]]*$' | tail -n 20 | cat -v | sed 's/^/    /'
    echo "----"
}
# check DESCRIPTION NAME REGEX: the screen's text shows REGEX in time.
check() { if wait_for "$2" "$3" "$timeout_ms" plain; then ok "$1"; else not_ok "$1" "$2"; fi; }
# check_colour DESCRIPTION NAME REGEX: the screen with its escapes shows REGEX in time.
check_colour() { if wait_for "$2" "$3"; then ok "$1"; else not_ok "$1" "$2"; fi; }
# check_absent DESCRIPTION NAME REGEX: the screen's text does not show REGEX.
check_absent() { if plain "$2" | grep -Eq -- "$3"; then not_ok "$1" "$2"; else ok "$1"; fi; }

clock='[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}'

# --- Real clock: wall-clock times, a failure in red, no internal job events ------------------
start e1 "" --ram 256M
run_line e1 "migrate_set_capability events on"
run_line e1 "inject_fault refuse-connection"
run_line e1 "migrate -d tcp:192.0.2.1:4444"
check "an event shows its wall-clock time" e1 "^\[$clock\] MIGRATION status=setup$"
# capture-pane -e gives the colour where it starts; the reset shows where the next one does.
check_colour "a failed migration's event is red" e1 "^$esc\[31m\[$clock\] MIGRATION status=failed$"
check_absent "an ordinary event is not coloured" e1 "$esc\[31m\[$clock\] MIGRATION status=setup"
run_line e1 "savevm s1"
check "savevm's STOP and RESUME show" e1 "^\[$clock\] RESUME$"
check_absent "savevm's internal job events do not show" e1 "JOB_STATUS_CHANGE"
run_line e1 "info events"
check "info events: local wall-clock times" e1 "^$clock +MIGRATION +status=setup"
check_colour "info events: the failure's row is red" e1 "^$esc\[31m$clock +MIGRATION +status=failed"
check_absent "info events: no internal job events" e1 "hmp-savevm"
run_line e1 "info events -a -n 3"
check "info events -a: the internal job events too" e1 "JOB_STATUS_CHANGE +id=hmp-savevm status=null"

# --- Virtual clock: model time, said so ---------------------------------------------------------
start e2 "" --clock virtual --ram 256M
run_line e2 "migrate_set_capability events on"
run_line e2 "migrate -d tcp:192.0.2.1:4444"
run_line e2 "sleep 1s"
check "on the virtual clock an event shows model time" e2 '^\[model \+0\.[0-9]{3} s\] MIGRATION status=active$'
run_line e2 "info events -n 2"
check "info events on the virtual clock: a Model time column" e2 '^Model time +Event'

# --- NO_COLOR: no colour ------------------------------------------------------------------------
start e3 1 --ram 256M
run_line e3 "migrate_set_capability events on"
run_line e3 "inject_fault refuse-connection"
run_line e3 "migrate -d tcp:192.0.2.1:4444"
check "with NO_COLOR the failure still shows" e3 "^\[$clock\] MIGRATION status=failed$"
if screen e3 | grep -q "$esc\[31m"; then not_ok "with NO_COLOR nothing is red" e3; else ok "with NO_COLOR nothing is red"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
