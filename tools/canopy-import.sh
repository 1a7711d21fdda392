#!/usr/bin/env bash
# The `canopy-import` command of a checkout (not part of the npm package): runs the native CLI from build/native,
# building it first when it is missing. docs/cli.md is the manual.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
bin="$root/build/native/canopy-import"
if [ ! -x "$bin" ]; then
  echo "canopy-import: building the native CLI first (once) ..." >&2
  if [ -f "$root/build/native/CMakeCache.txt" ]; then
    cmake --build "$root/build/native" --target canopy-import -j"$(nproc)" >&2
  else
    bash "$root/tools/bootstrap.sh" >&2
  fi
  if [ ! -x "$bin" ]; then
    echo "canopy-import: the build did not produce $bin; libcurl's headers are needed (Debian: libcurl4-openssl-dev)." >&2
    exit 2
  fi
fi
exec "$bin" "$@"
