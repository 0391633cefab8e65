#!/usr/bin/env bash
# `make install` into a temporary DESTDIR: the tree holds exactly the binary, the man page and
# the three completion scripts, each where its reader looks (man, bash-completion's loader,
# zsh's fpath, fish's vendor directory); PREFIX moves it all; `make uninstall` removes it.
# Prints one line per check and `N passed, M failed`; exits 1 when a check failed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

passed=0
failed=0
check() {  # check NAME COMMAND...: passes when COMMAND succeeds
    local name=$1
    shift
    local out
    if out=$("$@" 2>&1); then
        passed=$((passed + 1))
        printf 'ok    %s\n' "$name"
    else
        failed=$((failed + 1))
        printf 'FAIL  %s\n' "$name"
        [[ -n $out ]] && printf '      %s\n' "${out//$'\n'/$'\n      '}"
    fi
}

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
home=$dest/home
mkdir -p "$home"

if ! make --no-print-directory install DESTDIR="$dest" >"$dest/install.log" 2>&1; then
    cat "$dest/install.log"
    echo "0 passed, 1 failed"
    exit 1
fi
prefix=$dest/usr/local

tree_is() {  # tree_is DIR FILE...: DIR holds exactly these files
    local dir=$1
    shift
    diff <(cd "$dir" && find . -type f | sed 's|^\./||' | sort) <(printf '%s\n' "$@" | sort)
}
check "the tree under DESTDIR/usr/local is exactly the five files" tree_is "$prefix" \
    bin/hmp share/man/man1/hmp.1 share/bash-completion/completions/hmp share/zsh/site-functions/_hmp \
    share/fish/vendor_completions.d/hmp.fish
check "nothing is installed outside PREFIX" tree_is "$dest" \
    usr/local/bin/hmp usr/local/share/man/man1/hmp.1 usr/local/share/bash-completion/completions/hmp \
    usr/local/share/zsh/site-functions/_hmp usr/local/share/fish/vendor_completions.d/hmp.fish install.log

modes() { stat -c '%a %n' "$prefix/bin/hmp" "$prefix/share/man/man1/hmp.1" "$prefix/share/bash-completion/completions/hmp" \
    "$prefix/share/zsh/site-functions/_hmp" "$prefix/share/fish/vendor_completions.d/hmp.fish" | cut -d' ' -f1 | tr '\n' ' '; }
check "modes: 755 for the binary, 644 for the rest" test "$(modes)" = "755 644 644 644 644 "
check "the installed binary is the release build and runs" \
    cmp "$prefix/bin/hmp" "$(swift build -c release --show-bin-path)/hmp"
check "hmp --version" "$prefix/bin/hmp" --version
check "the installed files are the committed ones" \
    bash -c "cmp man/hmp.1 '$prefix/share/man/man1/hmp.1' && cmp completions/hmp.bash '$prefix/share/bash-completion/completions/hmp' &&
        cmp completions/_hmp '$prefix/share/zsh/site-functions/_hmp' && cmp completions/hmp.fish '$prefix/share/fish/vendor_completions.d/hmp.fish'"

# Each reader finds its file through its usual search path, pointed at the new prefix.
check "man finds hmp(1) through MANPATH" \
    bash -c "test \"\$(MANPATH='$prefix/share/man' man -w hmp)\" = '$prefix/share/man/man1/hmp.1'"
check "bash-completion's loader finds the script through XDG_DATA_DIRS" \
    env -i HOME="$home" PATH="$prefix/bin:/usr/bin:/bin" XDG_DATA_DIRS="$prefix/share" bash --norc --noprofile -c '
        source /usr/share/bash-completion/bash_completion
        __load_completion hmp && complete -p hmp | grep -qx "complete -F _hmp hmp"'
check "zsh's compinit maps hmp to _hmp from site-functions" \
    env -i HOME="$home" PATH="$prefix/bin:/usr/bin:/bin" zsh -f -c "
        fpath=('$prefix/share/zsh/site-functions' \$fpath)
        autoload -Uz compinit && compinit -u -D
        [[ \$_comps[hmp] == _hmp ]]"
check "fish loads the script from its vendor directory in XDG_DATA_DIRS" \
    env -i HOME="$home" PATH="$prefix/bin:/usr/bin:/bin" XDG_DATA_DIRS="$prefix/share:/usr/share" XDG_CONFIG_HOME="$home/.config" \
    fish -c 'complete -C "hmp --form" | string match -q -r "^--format\t"'

# PREFIX and uninstall.
check "PREFIX=/opt/hmp moves everything" bash -c "
    make --no-print-directory install DESTDIR='$dest/alt' PREFIX=/opt/hmp >/dev/null 2>&1 &&
    test -x '$dest/alt/opt/hmp/bin/hmp' && test -f '$dest/alt/opt/hmp/share/man/man1/hmp.1' &&
    test \"\$(find '$dest/alt' -type f | wc -l)\" -eq 5"
check "make uninstall removes every installed file" bash -c "
    make --no-print-directory uninstall DESTDIR='$dest' >/dev/null 2>&1 &&
    test -z \"\$(find '$dest/usr' -type f)\""

echo "$passed passed, $failed failed"
((failed == 0))
