#!/usr/bin/env bash
# Formats the hand-written Swift with the repository's .swift-format (generated code under
# Sources/QAPI/Generated is left as qapi-gen writes it), then records in .swift-format-scope
# that the whole tree is formatted, so `make test` (scripts/lint.sh) lints all of it from then on.
# Run it on a quiet tree: it rewrites files in place.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(scripts/lint.sh --list-all)
swift format format --in-place --parallel "${files[@]}"
echo all >.swift-format-scope
echo "formatted ${#files[@]} files; .swift-format-scope now says all" >&2
