#!/usr/bin/env bash
# Lints the Swift the formatter has been applied to, with the repository's .swift-format.
# .swift-format-scope lists those files, one path per line, or says `all` once
# scripts/format.sh has formatted the whole tree. Files not listed yet are not linted, so work
# written before the formatter ran does not fail the build.
#   scripts/lint.sh              lint the files in scope (fails on any finding)
#   scripts/lint.sh --list-all   print every hand-written Swift file
set -euo pipefail
cd "$(dirname "$0")/.."

all_files() {
    { find Sources Tests -name '*.swift' -not -path 'Sources/QAPI/Generated/*'; echo Package.swift; } | LC_ALL=C sort
}

if [ "${1:-}" = "--list-all" ]; then
    all_files
    exit 0
fi

if ! swift format --version >/dev/null 2>&1; then
    echo "lint: 'swift format' is not in this toolchain (Swift 6 ships it)" >&2
    exit 1
fi

scope=.swift-format-scope
if [ ! -f "$scope" ]; then
    echo "lint: no $scope; nothing to lint" >&2
    exit 0
fi
if grep -qx all "$scope"; then
    mapfile -t files < <(all_files)
else
    mapfile -t files < <(grep -v -e '^#' -e '^$' "$scope" | while read -r f; do [ -f "$f" ] && echo "$f"; done)
fi
[ "${#files[@]}" -gt 0 ] || { echo "lint: $scope lists no existing file" >&2; exit 0; }
swift format lint --strict --parallel "${files[@]}"
echo "lint: ${#files[@]} files clean" >&2
