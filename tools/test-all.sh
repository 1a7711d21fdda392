#!/usr/bin/env bash
# Runs every suite: Catch2 (native, through CTest), the same under ASan+UBSan, node --test against the
# built wasm package and the reference server, Playwright in Debian's Chromium, the size budget and
# the format check. Fails on the first failing suite.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

echo "== Catch2 (native)"
ctest --test-dir build/native --output-on-failure -j"$(nproc)"

echo "== Types: index.d.ts against tests/types/usage.ts"
npx --no-install tsc -p tests/types

echo "== Node: wasm package, reference server, CLI"
node --test --test-concurrency=2 tests/node/

echo "== Browser (Playwright + Chromium)"
if ls tests/e2e/*.test.mjs >/dev/null 2>&1; then
  node --test --test-concurrency=1 tests/e2e/
fi
