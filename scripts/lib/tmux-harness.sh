# shellcheck shell=bash
# The set-up shared by the real-terminal tests (scripts/test-terminal.sh, scripts/test-watch.sh):
# an hmp binary (built unless HMP=path is given), a private tmux server, a scratch directory,
# clean-up on every exit, and the checks that poll the screen until a pattern shows or a
# timeout passes. Source it from the repository root:
#
#     harness_init NAME DEFAULT_TIMEOUT_MS
#
# NAME tags the tmux socket (NAME-PID) and the scratch directory; TIMEOUT_MS overrides the
# default. Afterwards: $HMP, $work, tm, screen, keys, wait_for, ok, not_ok, check, and the
# counters $passed and $failed for the script's summary.

harness_init() {
    local name=$1
    if [ -z "${HMP:-}" ]; then
        swift build --product hmp >&2 || { echo "0 passed, 1 failed (build)"; exit 1; }
        HMP=$PWD/.build/debug/hmp
    fi
    command -v tmux >/dev/null || { echo "tmux is not installed (scripts/install-deps.sh)" >&2; exit 1; }

    socket=$name-$$
    work=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")
    trap harness_cleanup EXIT
    trap 'exit 130' INT TERM HUP

    passed=0
    failed=0
    timeout_ms=${TIMEOUT_MS:-$2}
}

# tmux on the private server, without the user's configuration.
tm() { tmux -L "$socket" -f /dev/null "$@"; }

harness_cleanup() {
    tm kill-server >/dev/null 2>&1 || true
    # kill-server leaves the socket file behind; it is ours alone (NAME-PID).
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$socket"
    rm -rf "$work"
}

now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }

screen() { tm capture-pane -p -t "$1" 2>/dev/null; }
keys() { local name=$1; shift; tm send-keys -t "$name" "$@"; }

# wait_for NAME REGEX [TIMEOUT_MS]: true once the screen matches.
wait_for() {
    local deadline=$(( $(now_ms) + ${3:-$timeout_ms} ))
    while :; do
        screen "$1" | grep -Eq -- "$2" && return 0
        [ "$(now_ms)" -ge "$deadline" ] && return 1
        sleep 0.05
    done
}

ok() { passed=$((passed + 1)); echo "ok   $1"; }
not_ok() {
    failed=$((failed + 1))
    echo "FAIL $1"
    echo "---- screen of $2 ----"
    screen "$2" | grep -v '^[[:space:]]*$' | tail -n 20 | sed 's/^/    /'
    echo "----"
}

# check DESCRIPTION NAME REGEX [TIMEOUT_MS]: passes when the screen shows REGEX in time.
check() { if wait_for "$2" "$3" "${4:-$timeout_ms}"; then ok "$1"; else not_ok "$1" "$2"; fi; }
