#!/usr/bin/env bash
# clang-tidy (.clang-tidy) over the C++ sources of src/ that git tracks (no tests, nothing generated),
# with build/native's compile_commands.json, two files at a time. Fails on any finding: .clang-tidy
# makes every warning an error, and any warning or error line in the output fails too. Writes nothing
# into the tree.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if ! command -v clang-tidy >/dev/null; then
  echo "tidy: clang-tidy not found: apt-get install clang-tidy" >&2
  exit 1
fi
# A build folder configured before CMakeLists.txt exported compile commands: configure it again.
[ -f build/native/compile_commands.json ] || cmake -S . -B build/native >/dev/null

mapfile -t files < <(git ls-files 'src/*.cpp')
out=$(mktemp)
trap 'rm -f "$out"' EXIT
start=$(date +%s)
status=0
if command -v run-clang-tidy >/dev/null; then
  # Its file arguments are regular expressions over the database's absolute paths.
  printf '%s\n' "${files[@]}" | sed "s|^|^$root/|; s|\.|\\\\.|g; s|\$|\$|" |
    xargs run-clang-tidy -quiet -j2 -p build/native >"$out" 2>&1 || status=$?
else
  printf '%s\n' "${files[@]}" | xargs -P2 -n4 clang-tidy -quiet -p build/native >"$out" 2>&1 || status=$?
fi
if [ "$status" != 0 ] || grep -qE '(warning|error):' "$out"; then
  grep -E '(warning|error):' "$out" >&2 || tail -40 "$out" >&2
  echo "tidy: clang-tidy found the above in src/ (fix it, or turn the check off in .clang-tidy saying why)" >&2
  exit 1
fi
echo "tidy: ${#files[@]} files of src/ clean ($(($(date +%s) - start)) s)"
