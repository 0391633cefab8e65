#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, only those missing.
# libedit-dev: the line editor; the rest run the terminal, shell-completion and man-page tests;
# time (GNU time) measures peak memory in scripts/bench.sh.
# python3-venv, socat and qemu-system-x86 serve the QMP tests and benchmark, whose Python
# client (qemu.qmp, from PyPI) goes into a virtual environment under .build/venv; qemu-utils
# makes the disk images scripts/test-qemu.sh attaches to the real QEMUs it drives.
set -euo pipefail
cd "$(dirname "$0")/.."

# qemu.qmp in .build/venv, unless it is there already.
install_venv() {
    [ -x .build/venv/bin/qmp-shell ] && .build/venv/bin/python -c 'import qemu.qmp' 2>/dev/null && return 0
    echo "installing qemu.qmp into .build/venv" >&2
    mkdir -p .build
    python3 -m venv .build/venv
    .build/venv/bin/pip install -q --disable-pip-version-check 'qemu.qmp>=0.0.3'
}

packages=(libedit-dev tmux bash-completion zsh fish mandoc man-db shellcheck time python3 python3-venv socat qemu-system-x86 qemu-utils)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
fi
install_venv
