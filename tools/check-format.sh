#!/usr/bin/env bash
# clang-format check (.clang-format: Google base, 120 columns) over every C++ file of the repository.
#
#   tools/check-format.sh         check (CI): fails on any drift and names the file
#   tools/check-format.sh --fix   reformat every C++ file in place
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
clang_format=${CLANG_FORMAT:-clang-format}
if ! command -v "$clang_format" >/dev/null; then
  echo "check-format: $clang_format not found: apt-get install clang-format" >&2
  exit 1
fi

all_cpp() { git ls-files --cached --others --exclude-standard '*.cpp' '*.h' | grep -v '^node_modules/' | sort -u; }

if [ "${1:-}" = --fix ] || [ "${1:-}" = --fix-all ]; then
  all_cpp | xargs "$clang_format" -i
  exit 0
fi

status=0
checked=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for f in $(all_cpp); do
  [ -f "$f" ] || continue
  checked=$((checked + 1))
  if ! "$clang_format" --dry-run --Werror "$f" 2>"$tmp"; then
    head -20 "$tmp" >&2
    echo "check-format: $f drifts from .clang-format (fix: tools/check-format.sh --fix)" >&2
    status=1
  fi
done
[ "$status" = 0 ] && echo "check-format: all $checked C++ files follow .clang-format"
exit "$status"
