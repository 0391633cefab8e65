#!/usr/bin/env bash
# The committed completion scripts in real shells: bash with bash-completion loaded, zsh's
# completion system driven through a pseudo-terminal, and fish. Each case types a line after
# `hmp` and checks what TAB would offer. Builds hmp (or takes $HMP) and puts it first on PATH.
# Prints one line per check and `N passed, M failed`; exits 1 when a check failed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$PWD

if [[ -z ${HMP:-} ]]; then
    swift build --product hmp >&2 || exit 1
    HMP=$(swift build --show-bin-path)/hmp
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/images"
ln -s "$HMP" "$tmp/bin/hmp"
export PATH=$tmp/bin:$PATH
touch "$tmp/images/vm.img" "$tmp/images/vm.state" "$tmp/images/my disk.img"

passed=0
failed=0
report() {  # report OK NAME DETAIL
    if [[ $1 == ok ]]; then
        passed=$((passed + 1))
        printf 'ok    %s\n' "$2"
    else
        failed=$((failed + 1))
        printf 'FAIL  %s\n      %s\n' "$2" "$3"
    fi
}

# ---- bash -----------------------------------------------------------------------------------

# Runs _hmp the way readline would for LINE (cursor at the end) and prints the words TAB would
# leave on the line, one per line, then `(nospace)` if no space would follow. With `raw` it
# prints COMPREPLY as is.
bash_complete() {  # bash_complete LINE [raw]
    bash --norc --noprofile -c '
        source /usr/share/bash-completion/bash_completion
        source "$1"
        nospace=
        # compopt works only inside a completion that readline started; record what is asked.
        compopt() { [[ " $* " == *" -o nospace "* ]] && nospace=1; return 0; }
        line=$2
        # COMP_WORDS as readline fills them: split at blanks, and at ":" and "=" (in the
        # default COMP_WORDBREAKS), which become words of their own.
        COMP_WORDS=()
        word=
        for ((i = 0; i < ${#line}; i++)); do
            c=${line:i:1}
            case $c in
                " ") [[ -n $word ]] && COMP_WORDS+=("$word"); word= ;;
                [:=]) [[ -n $word ]] && COMP_WORDS+=("$word"); COMP_WORDS+=("$c"); word= ;;
                *) word+=$c ;;
            esac
        done
        [[ -n $word || $line == *" " ]] && COMP_WORDS+=("$word")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE=$line
        COMP_POINT=${#line}
        COMPREPLY=()
        _hmp hmp "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        if [[ $3 == raw ]]; then
            printf "%s\n" "${COMPREPLY[@]}"
            exit
        fi
        # Readline puts a reply in place of the text after the last blank, ":" or "=".
        shell_word=${line##* }
        readline_word=${line##*[ :=]}
        for reply in "${COMPREPLY[@]}"; do
            printf "%s\n" "${shell_word%"$readline_word"}$reply"
        done
        [[ $nospace ]] && echo "(nospace)"
        exit 0
    ' _ "$root/completions/hmp.bash" "$1" "${2:-}"
}

# ---- zsh ------------------------------------------------------------------------------------

# An interactive zsh on a pseudo-terminal, with compinit and completions/ on fpath; TAB runs the
# real completion system, and a wrapper around compadd prints each match that survives zsh's
# own matching (`compadd -O`), marked `(nospace)` when added with an empty suffix.
cat >"$tmp/zsh-setup.zsh" <<EOF
PS1='' RPS1=''
fpath=("$root/completions" \$fpath)
autoload -Uz compinit && compinit -u -D
zstyle ':completion:*' insert-tab false
compprefuncs=(_test_begin)
comppostfuncs=(_test_end)
_test_begin() { print -r -- '<BEGIN>' }
_test_end() { print -r -- '<END>'; exit }
compadd() {
    # -O, -A and -D ask for matches without offering them.
    if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
        builtin compadd "\$@"
        return
    fi
    local -a matches suffix
    builtin compadd -O matches "\$@"
    zparseopts -E -a suffix S:
    local mark=
    [[ \$suffix[1] == -S && -z \$suffix[2] ]] && mark=' (nospace)'
    local m
    for m in \$matches; do print -r -- "<MATCH>\$m\$mark"; done
    builtin compadd "\$@"
}
bindkey '^I' complete-word
print -r -- '<READY>'
EOF

cat >"$tmp/zsh-complete.zsh" <<'EOF'
# zsh zsh-complete.zsh SETUP LINE: prints the matches for LINE, one per line.
zmodload zsh/zpty || exit 2
zpty shell zsh -f -i
zpty -w shell "source ${(q)1}"
zpty -r shell out '*<READY>*' || exit 2
zpty -w -n shell "$2"$'\t'
zpty -r shell out '*<END>*' || exit 2
zpty -d shell
out=${out//$'\r'/}
out=${out#*<BEGIN>}
for line in ${(f)out}; do
    [[ $line == '<MATCH>'* ]] && print -r -- ${line#<MATCH>}
done
EOF

zsh_complete() {  # zsh_complete LINE
    timeout 60 zsh -f "$tmp/zsh-complete.zsh" "$tmp/zsh-setup.zsh" "$1"
}

# ---- fish -----------------------------------------------------------------------------------

# `complete -C` asks fish's completion machinery what it would offer; descriptions follow a tab.
fish_complete() {  # fish_complete LINE
    # shellcheck disable=SC2016  # fish expands $argv, not bash
    fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$root/completions/hmp.fish" "$1" | cut -f1
}

# ---- a real TAB -----------------------------------------------------------------------------

# Types LINE, TAB and "X" into SHELL running in tmux (after SETUP), and prints the line the
# shell then shows: what completion really inserted, space or not.
tmux_sessions=0
tmux_tab() {  # tmux_tab SHELL-COMMAND SETUP LINE
    # A server of its own each time: reusing a name just killed can race with its exit.
    tmux_sessions=$((tmux_sessions + 1))
    local server=hmp-completion-test-$$-$tmux_sessions screen
    tmux -L "$server" new-session -d -x 200 -y 20 "$1" || return 1
    tmux -L "$server" send-keys -l "$2"
    tmux -L "$server" send-keys Enter
    tmux -L "$server" send-keys -l "clear"
    tmux -L "$server" send-keys Enter
    # Type only once the cleared screen shows the bare prompt.
    for _ in $(seq 50); do
        screen=$(tmux -L "$server" capture-pane -p 2>/dev/null)
        [[ $(grep -v '^$' <<<"$screen") == '$' ]] && break
        sleep 0.1
    done
    tmux -L "$server" send-keys -l "$3"
    tmux -L "$server" send-keys Tab
    sleep 1
    tmux -L "$server" send-keys -l "X"
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        screen=$(tmux -L "$server" capture-pane -p)
        [[ $screen == *X* ]] && break
        sleep 0.5
    done
    tmux -L "$server" kill-server
    grep -m1 'X$' <<<"$screen"
}

tab_check() {  # tab_check SHELL LINE EXPECTED-SCREEN-LINE
    local setup command
    case $1 in
        bash)
            command="env -i PATH=$PATH HOME=$tmp TERM=xterm bash --norc --noprofile"
            setup="PS1='\$ '; source /usr/share/bash-completion/bash_completion; source $root/completions/hmp.bash"
            ;;
        zsh)
            command="env -i PATH=$PATH HOME=$tmp TERM=xterm zsh -f"
            setup="PS1='$ '; fpath=($root/completions \$fpath); autoload -Uz compinit; compinit -u -D"
            ;;
        fish)
            command="env -i PATH=$PATH HOME=$tmp TERM=xterm fish --no-config"
            setup="function fish_prompt; echo -n '$ '; end; source $root/completions/hmp.fish"
            ;;
    esac
    local got
    got=$(tmux_tab "$command" "$setup" "$2" 2>/dev/null)
    # An empty screen means tmux itself failed (its server can die under load): once more.
    [[ -n $got ]] || got=$(tmux_tab "$command" "$setup" "$2")
    local name="$1 (TAB in tmux): '$2' becomes '$3'"
    if [[ $got == "$3" ]]; then report ok "$name"; else report fail "$name" "screen shows: '$got'"; fi
}

# ---- checks ---------------------------------------------------------------------------------

# Checks that the offers for LINE in SHELL are exactly EXPECTED (order-insensitive), or with
# `contains`, include them.
check() {  # check SHELL exact|contains LINE EXPECTED...
    local shell=$1 mode=$2 line=$3
    shift 3
    local got
    got=$("${shell}_complete" "$line" | sort -u)
    local want
    want=$(printf '%s\n' "$@" | sort -u)
    local name="$shell: '$line' offers ${*}"
    if [[ $mode == exact ]]; then
        if [[ $got == "$want" ]]; then report ok "$name"; else report fail "$name" "got: $(echo "$got" | tr '\n' ' ')"; fi
    else
        local missing
        missing=$(comm -13 <(echo "$got") <(echo "$want"))
        if [[ -z $missing ]]; then
            report ok "$name (among others)"
        else
            report fail "$name" "missing: $missing; got: $(echo "$got" | tr '\n' ' ')"
        fi
    fi
}

if ! hmp --complete -- info mi 2>/dev/null | grep -qx migrate; then
    report fail "hmp --complete answers" "'hmp --complete -- info mi' did not offer migrate; is the console wired to ShellCompletion?"
    echo "$passed passed, $failed failed"
    exit 1
fi

for shell in bash zsh fish; do
    if ! command -v "$shell" >/dev/null; then
        report fail "$shell is installed" "run scripts/install-deps.sh"
        continue
    fi
    check "$shell" exact "hmp info mi" migrate migrate_capabilities migrate_parameters migration_stream
    check "$shell" exact "hmp migrate_set_parameter max-b" max-bandwidth
    check "$shell" exact "hmp migrate_set_capability xbz" xbzrle
    check "$shell" exact "hmp migrate_set_parameter multifd-compression z" zlib zstd
    # Only devices that can take the command: virtio1 is read-only, ide1-cd0 empty and removable.
    check "$shell" exact "hmp block_resize " virtio0 virtio0-fmt virtio0-file
    check "$shell" exact "hmp eject " ide1-cd0
    check "$shell" exact "hmp block_stream " virtio0 virtio1
    # The devices the options already typed describe, not the default ones.
    check "$shell" exact "hmp --disk data0:qcow2:10G block_resize " data0 data0-fmt data0-file
    check "$shell" exact "hmp --disk data0:raw:1G:ro --disk data1:qcow2:1G block_stream " data0 data1
    check "$shell" exact "hmp --disk data0:raw:1G:ro --disk data1:qcow2:1G block_resize " data1 data1-fmt data1-file
    check "$shell" exact "hmp --disk data0:qcow2:10G --disk cd0:cdrom eject " cd0
    check "$shell" exact "hmp --format " table qemu json
    check "$shell" exact "hmp --clock " real virtual
    check "$shell" exact "hmp --form" --format
    check "$shell" exact "hmp --format json info stat" status
    check "$shell" exact "hmp migrate tcp:localhost:4" tcp:localhost:4444
    check "$shell" exact "hmp migrate file:$tmp/images/vm." "file:$tmp/images/vm.img" "file:$tmp/images/vm.state"
done

# VMs named by --connect on the line being typed: two hmp models served over QMP stand in
# for QEMUs. `@d` and `use ` complete with their names, the rest of an @VM line as on that VM.
"$HMP" --qmp "unix:$tmp/src.qmp" --no-console & vm_src=$!
"$HMP" --qmp "unix:$tmp/dst.qmp" --no-console & vm_dst=$!
trap 'kill "$vm_src" "$vm_dst" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do [[ -S $tmp/src.qmp && -S $tmp/dst.qmp ]] && break; sleep 0.05; done
vms="hmp --connect src=unix:$tmp/src.qmp --connect dst=unix:$tmp/dst.qmp"
for shell in bash zsh fish; do
    command -v "$shell" >/dev/null || continue
    check "$shell" exact "$vms @" @src @dst @all
    check "$shell" exact "$vms @d" @dst
    check "$shell" exact "$vms @dst info migrate_c" migrate_capabilities
    check "$shell" exact "$vms use " src dst
    check "$shell" exact "$vms conn" connect
done
kill "$vm_src" "$vm_dst" 2>/dev/null
wait "$vm_src" "$vm_dst" 2>/dev/null

# What the shells do with the words, beyond the words themselves.
check bash exact "hmp migrate tc" "tcp:" "(nospace)"
check bash exact "hmp --format=j" --format=json
check zsh exact "hmp migrate tc" "tcp: (nospace)"
check zsh exact "hmp --format=j" --format=json
check fish exact "hmp --format=j" --format=json
# Readline replaces only the text after the last colon: the reply must be cut to match.
reply=$(bash_complete "hmp migrate tcp:localhost:4" raw)
name="bash: COMPREPLY after 'tcp:localhost:' is cut to '4444'"
if [[ $reply == 4444 ]]; then report ok "$name"; else report fail "$name" "got: $reply"; fi
if command -v tmux >/dev/null; then
    for shell in bash zsh fish; do
        command -v "$shell" >/dev/null || continue
        tab_check "$shell" "hmp migrate tcp:localhost:4" '$ hmp migrate tcp:localhost:4444 X'
        tab_check "$shell" "hmp migrate tc" '$ hmp migrate tcp:X'
        tab_check "$shell" "hmp migrate_set_parameter multifd-compression zs" '$ hmp migrate_set_parameter multifd-compression zstd X'
        tab_check "$shell" "hmp -c 'info sta" "\$ hmp -c 'info status' X"
        tab_check "$shell" "hmp --history-file $tmp/images/my" "\$ hmp --history-file $tmp/images/my\\ disk.img X"
    done
else
    report fail "tmux is installed" "run scripts/install-deps.sh"
fi
# The committed scripts are what the executable prints for users who source them directly.
for file in hmp.bash:bash _hmp:zsh hmp.fish:fish; do
    name="hmp --generate-completion-script ${file#*:} prints completions/${file%%:*}"
    if out=$(diff <(hmp --generate-completion-script "${file#*:}" 2>&1) "completions/${file%%:*}"); then
        report ok "$name"
    else
        report fail "$name" "$(head -5 <<<"$out")"
    fi
done
if command -v shellcheck >/dev/null; then
    if out=$(shellcheck completions/hmp.bash 2>&1); then
        report ok "shellcheck completions/hmp.bash"
    else
        report fail "shellcheck completions/hmp.bash" "$out"
    fi
else
    report fail "shellcheck is installed" "run scripts/install-deps.sh"
fi

echo "$passed passed, $failed failed"
((failed == 0))
