#!/usr/bin/env bash
# Everything `npm start` and `npm test` need, installed and built idempotently: Debian packages, npm
# packages, ICU for wasm (cached outside the tree), the wasm package in dist/, and (unless --product)
# the native build with the tests and the CLI. A second run does nothing slow.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mode=${1:-all}

bash tools/setup-system.sh
# A checkout that was moved or copied carries build folders configured for the old place.
bash tools/stale-builds.sh "$root"

# npm packages: install when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "bootstrap: npm ci" >&2
  npm ci --no-audit --no-fund >&2
fi

bash tools/build-wasm.sh >&2

if [ "$mode" != "--product" ]; then
  if [ ! -f build/native/CMakeCache.txt ]; then
    cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >&2
  fi
  cmake --build build/native -j"$(nproc)" >&2
fi
