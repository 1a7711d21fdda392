#!/usr/bin/env bash
# Runs every suite: Catch2 (native, through CTest), the same under ASan+UBSan, node --test against the
# built wasm package and the reference server, Playwright in Debian's Chromium, the size budget,
# the format check and clang-tidy. Fails on the first failing suite.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash tools/stale-builds.sh "$root"  # a moved or copied checkout: start old build folders over
echo "== Catch2 (native)"
ctest --test-dir build/native --output-on-failure -j"$(nproc)"

echo "== Catch2 + fuzz corpus replays under ASan + UBSan (build/asan)"
if [ ! -f build/asan/CMakeCache.txt ]; then
  # clang: compiles the Catch2 tests with ASan about 3x faster than g++ (the g++ build is build/native).
  CC=clang CXX=clang++ cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
    -DCANOPY_SANITIZE=ON >/dev/null
fi
cmake --build build/asan -j2 >/dev/null
ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan --output-on-failure -j2

echo "== Types: index.d.ts against tests/types/usage.ts"
npx --no-install tsc -p tests/types
npx --no-install tsc -p tests/types/tsconfig.web.json

echo "== Node: wasm package, reference server, CLI"
node --test --test-concurrency=2 tests/node/

echo "== Browser (Playwright + Chromium)"
if ls tests/e2e/*.test.mjs >/dev/null 2>&1; then
  # Two files at a time: each waits on its own Chromium and server most of the time (2 cores).
  node --test --test-concurrency=2 tests/e2e/
fi

# Deterministic: a fixed number of inputs from a fixed seed, from the checked-in seeds only, so a CI
# failure fails again anywhere. Long runs: npm run fuzz -- 1800 -j 2 (see tools/fuzz.sh).
echo "== Fuzz: each libFuzzer target for ${CANOPY_FUZZ_RUNS:-20000} inputs, seed 1, two at a time (build/fuzz)"
bash tools/fuzz.sh --runs "${CANOPY_FUZZ_RUNS:-20000}" --seed 1 -j2

echo "== Size budget: gzip -9 of the wasm, the ICU data and the JS <= 600 KB"
node tools/size-report.mjs

echo "== Format: clang-format on every C++ file"
bash tools/check-format.sh

echo "== Tidy: clang-tidy on src/, two files at a time (build/native/compile_commands.json)"
bash tools/tidy.sh
