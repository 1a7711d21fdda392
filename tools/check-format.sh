#!/usr/bin/env bash
# clang-format check (.clang-format: Google, 120 columns). Fails when a file on the allow-list below
# drifts from the style. Files not on it yet are reformatted in one go by the lead at a quiet moment,
# then added here; new files should be formatted before they are committed and added too.
#
#   tools/check-format.sh            check the allow-listed files (CI)
#   tools/check-format.sh --report   also list the C++ files that are not on the list and drift
#   tools/check-format.sh --fix      reformat the allow-listed files in place
#   tools/check-format.sh --fix-all  reformat every C++ file of the repository in place
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
clang_format=${CLANG_FORMAT:-clang-format}
if ! command -v "$clang_format" >/dev/null; then
  echo "check-format: $clang_format not found: apt-get install clang-format (Debian: clang-format-14)" >&2
  exit 1
fi

# Files that follow .clang-format exactly (one per line).
allowed=$(
  cat <<'EOF'
src/cli/args.cpp
src/cli/args.h
src/cli/chunked.cpp
src/cli/chunked.h
src/cli/commands.h
src/cli/common.cpp
src/cli/common.h
src/cli/http.cpp
src/cli/http.h
src/cli/journal.cpp
src/cli/journal.h
src/cli/lookups.cpp
src/cli/lookups.h
src/cli/main.cpp
src/cli/preview.cpp
src/cli/progress.cpp
src/cli/progress.h
src/cli/source.cpp
src/cli/source.h
src/cli/submit.cpp
src/core/messages.cpp
src/core/simd.h
src/detect/dialect.cpp
src/detect/icu_data.cpp
src/detect/icu_data.h
src/report/exports.cpp
src/report/exports.h
src/submit/plan.cpp
src/submit/plan.h
src/submit/submitter.cpp
src/submit/submitter.h
src/validate/values.cpp
tests/fuzz/fuzz_check.h
tests/fuzz/fuzz_mapping.cpp
tests/fuzz/fuzz_parse.cpp
tests/fuzz/fuzz_pipeline.cpp
tests/fuzz/fuzz_submit.cpp
tests/fuzz/replay_main.cpp
tests/unit/catch_main.cpp
tests/unit/test_conformance.cpp
tests/unit/test_detect.cpp
tests/unit/test_mapping.cpp
tests/unit/test_parse.cpp
tests/unit/test_report.cpp
tests/unit/test_session.cpp
tests/unit/test_submit.cpp
EOF
)

all_cpp() { git ls-files --cached --others --exclude-standard '*.cpp' '*.h' | grep -v '^node_modules/' | sort -u; }

mode=${1:-check}
case "$mode" in
  --fix-all)
    all_cpp | xargs "$clang_format" -i
    exit 0
    ;;
  --fix)
    for f in $allowed; do [ -f "$f" ] && "$clang_format" -i "$f"; done
    exit 0
    ;;
esac

status=0
checked=0
for f in $allowed; do
  if [ ! -f "$f" ]; then
    echo "check-format: $f is on the allow-list but does not exist" >&2
    status=1
    continue
  fi
  checked=$((checked + 1))
  if ! "$clang_format" --dry-run --Werror "$f" 2>/tmp/check-format.$$; then
    head -20 /tmp/check-format.$$ >&2
    echo "check-format: $f drifts from .clang-format (fix: $clang_format -i $f)" >&2
    status=1
  fi
done
rm -f /tmp/check-format.$$

if [ "$mode" = --report ]; then
  drift=()
  for f in $(all_cpp); do
    grep -qxF "$f" <<<"$allowed" && continue
    if ! "$clang_format" --dry-run --Werror "$f" >/dev/null 2>&1; then drift+=("$f"); fi
  done
  echo "check-format: ${#drift[@]} file(s) off the allow-list drift from the style:"
  printf '  %s\n' "${drift[@]}"
  echo "reformat them with: tools/check-format.sh --fix-all   (then add them to the allow-list)"
fi

[ "$status" = 0 ] && echo "check-format: $checked allow-listed file(s) follow .clang-format"
exit "$status"
