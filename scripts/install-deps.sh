#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, only those missing.
# libedit-dev: the line editor; the rest run the terminal, shell-completion and man-page tests;
# time (GNU time) measures peak memory in scripts/bench.sh; qemu-system-x86 and qemu-utils are
# the real QEMU the migration-stream tests exchange streams with.
set -euo pipefail

packages=(libedit-dev tmux bash-completion zsh fish mandoc man-db shellcheck time qemu-system-x86 qemu-utils)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
