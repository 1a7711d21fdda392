#!/usr/bin/env bash
# Removes the build folders that were configured in another checkout: a copied or moved tree carries
# CMakeCaches naming the old folders, and CMake then refuses to build ("The current CMakeCache.txt
# directory ... is different from the directory ... where CMakeCache.txt was created"). Each folder
# listed is started over by the script that makes it (bootstrap, build-wasm.sh, test-all.sh, fuzz.sh).
#
#   bash tools/stale-builds.sh [ROOT]      (default: this checkout)
set -euo pipefail
root=$(cd "${1:-$(dirname "$0")/..}" && pwd -P)
for b in build/native build/wasm build/asan build/fuzz; do
  cache="$root/$b/CMakeCache.txt"
  [ -f "$cache" ] || continue
  src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$cache")
  dir=$(sed -n 's/^CMAKE_CACHEFILE_DIR:INTERNAL=//p' "$cache")
  src_real=$(cd "$src" 2>/dev/null && pwd -P || true)
  dir_real=$(cd "$dir" 2>/dev/null && pwd -P || true)
  if [ "$src_real" != "$root" ] || [ "$dir_real" != "$root/$b" ]; then
    echo "bootstrap: $b was configured in ${dir:-another folder}; starting it over" >&2
    rm -rf "${root:?}/$b"
  fi
done
