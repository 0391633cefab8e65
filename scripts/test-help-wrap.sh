#!/usr/bin/env bash
# Help in a real terminal: hmp runs in tmux panes 44 and 100 columns wide; `help` and
# `help CMD` must fit the pane (hmp breaks the lines itself, so capture-pane -J finds no
# terminal-wrapped line longer than the pane) and break only between words (every word on the
# screen is a word of the same help printed unwrapped through a pipe). A pipe gets no wrapping.
# Prints "N passed, M failed"; exits non-zero when a check failed.
#
# HMP=path/to/hmp uses that binary instead of building one.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

if [ -z "${HMP:-}" ]; then
    swift build --product hmp >&2 || { echo "0 passed, 1 failed (build)"; exit 1; }
    HMP=$PWD/.build/debug/hmp
fi
command -v tmux >/dev/null || { echo "tmux is not installed (scripts/install-deps.sh)" >&2; exit 1; }

socket=hmp-wrap-$$
work=$(mktemp -d "${TMPDIR:-/tmp}/hmp-wrap.XXXXXX")
tm() { tmux -L "$socket" -f /dev/null "$@"; }
cleanup() {
    tm kill-server >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

passed=0
failed=0
now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }
ok() { passed=$((passed + 1)); echo "ok   $1"; }
not_ok() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /'; }

# start NAME WIDTH: the console in a pane WIDTH columns wide, COLUMNS unset (the ioctl decides).
start() {
    local cmd="cd $(printf %q "$work") && env -u COLUMNS TERM=tmux-256color LANG=C.UTF-8 NO_COLOR=1 HOME=$(printf %q "$work/home")"
    cmd+=" $(printf %q "$HMP") --clock virtual; sleep 3600"
    tm new-session -d -s "$1" -x "$2" -y 200 "$cmd"
    wait_for "$1" '^\(hmp\)'
}
screen() { tm capture-pane -p -J -S - -t "$1" 2>/dev/null; }
wait_for() {
    local deadline=$(( $(now_ms) + 8000 ))
    while :; do
        screen "$1" | grep -Eq -- "$2" && return 0
        [ "$(now_ms)" -ge "$deadline" ] && return 1
        sleep 0.05
    done
}

# run_help NAME WIDTH LINE MARKER: types LINE, waits for MARKER, checks the screen against
# the unwrapped text of LINE.
run_help() {
    local name=$1 width=$2 line=$3 marker=$4
    tm send-keys -t "$name" -l -- "$line"
    tm send-keys -t "$name" Enter
    if ! wait_for "$name" "$marker"; then not_ok "$line at $width columns: no output" "$(screen "$name" | tail -n 20)"; return; fi
    sleep 0.2
    local shown long unknown
    # What the line printed: after the last prompt showing it, up to the next prompt.
    shown=$(screen "$name" | sed 's/[[:space:]]*$//' | awk -v cmd="(hmp) $line" '$0 == cmd { out = ""; on = 1; next } /^\(hmp\)/ { on = 0 } on { out = out $0 "\n" } END { printf "%s", out }')
    long=$(printf '%s\n' "$shown" | awk -v w="$width" 'length($0) > w')
    if [ -z "$long" ]; then ok "$line fits $width columns"; else not_ok "$line fits $width columns" "$long"; fi
    printf '%s\n' "$("$HMP" --clock virtual -c "$line" | tr -s ' ' '\n')" | sort -u >"$work/words"
    unknown=$(printf '%s\n' "$shown" | tr -s ' ' '\n' | grep -v '^$' | sort -u | comm -23 - "$work/words")
    if [ -z "$unknown" ]; then ok "$line breaks between words at $width columns"; else not_ok "$line breaks between words at $width columns" "$unknown"; fi
}

for width in 44 100; do
    name=w$width
    if ! start "$name" "$width"; then not_ok "console starts at $width columns" "$(screen "$name")"; continue; fi
    run_help "$name" "$width" "help migrate_set_parameter" '^QMP: migrate-set-parameters'
    run_help "$name" "$width" "help" '^watch '
    run_help "$name" "$width" "help info" '^info vcpu_dirty_limit'
    run_help "$name" "$width" "help drive_mirror" '^QMP: '
done

# The narrow pane really wraps: the parameter rules take more lines than through a pipe.
piped=$("$HMP" --clock virtual -c "help migrate_set_parameter" | wc -l)
if [ "$piped" -le 12 ]; then ok "a pipe gets one line per paragraph ($piped lines)"; else not_ok "a pipe gets one line per paragraph ($piped lines)"; fi
longest=$("$HMP" --clock virtual -c "help migrate_set_parameter" | awk '{ if (length($0) > m) m = length($0) } END { print m }')
if [ "$longest" -gt 200 ]; then ok "a pipe gets the paragraph whole ($longest columns)"; else not_ok "a pipe gets the paragraph whole ($longest columns)"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
