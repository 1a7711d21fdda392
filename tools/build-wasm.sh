#!/usr/bin/env bash
# Builds the wasm package into dist/: canopy-core.mjs + .wasm (embind), the trimmed ICU data, the JS
# wrapper and its types. Incremental: CMake rebuilds only what changed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export NODE_PATH=/usr/share/nodejs
# The libraries are built once into a cache that every checkout on the machine shares: one build at a
# time (two checkouts bootstrapping together would write the same object files), the others wait.
cache=${CANOPY_CACHE:-$HOME/.cache/canopy-csv-import}
mkdir -p "$cache"
exec 9>"$cache/.build.lock"
flock 9
icu=$(bash "$root/tools/build-icu-wasm.sh")
wbl=$(bash "$root/tools/build-workbook-libs-wasm.sh")  # zlib + expat for the workbook module
uchardet=$(bash "$root/tools/build-uchardet-wasm.sh")  # for the detectors module
flock -u 9
# em++ must not see /usr/include (host glibc headers break the wasm build): give it a folder that
# holds only the nlohmann headers.
inc="$root/build/wasm-include"
if [ ! -f "$inc/nlohmann/json.hpp" ]; then
  mkdir -p "$inc" && cp -r /usr/include/nlohmann "$inc/"
fi
if [ ! -f "$root/build/wasm/CMakeCache.txt" ]; then
  emcmake cmake -S "$root" -B "$root/build/wasm" -DCMAKE_BUILD_TYPE=Release \
    -DCANOPY_ICU_WASM_DIR="$icu" -DCANOPY_WORKBOOK_WASM_DIR="$wbl" -DCANOPY_UCHARDET_WASM_DIR="$uchardet" -DCANOPY_WASM_INCLUDE_DIR="$inc" >/dev/null
else
  cmake "$root/build/wasm" -DCANOPY_ICU_WASM_DIR="$icu" -DCANOPY_WORKBOOK_WASM_DIR="$wbl" -DCANOPY_UCHARDET_WASM_DIR="$uchardet" >/dev/null
fi
# --bench also builds the benchmark's own module (build/wasm/wasm/canopy-bench.*), never copied to dist/.
targets=(canopy-core canopy-workbook canopy-detectors)
if [ "${1:-}" = "--bench" ]; then targets+=(canopy-bench); fi
cmake --build "$root/build/wasm" --target "${targets[@]}" -j"$(nproc)"
mkdir -p "$root/dist"
cp "$root/build/wasm/wasm/canopy-core.mjs" "$root/build/wasm/wasm/canopy-core.wasm" "$root/dist/"
# The workbook reader: its own module, fetched only when a workbook is dropped (wasm/index.mjs).
cp "$root/build/wasm/wasm/canopy-workbook.mjs" "$root/build/wasm/wasm/canopy-workbook.wasm" "$root/dist/"
cp "$root/build/wasm/wasm/canopy-detectors.mjs" "$root/build/wasm/wasm/canopy-detectors.wasm" "$root/dist/"
cp "$icu/icudt72l.dat" "$root/dist/"
# The decoders' lazily loaded tables (tools/gen-encoding-tables.mjs, run by the build).
cp "$root"/build/wasm/generated/encoding/enc-*.bin "$root/dist/"
cp "$root/wasm/index.mjs" "$root/wasm/send-batch.mjs" "$root/wasm/check-directory.mjs" "$root/wasm/index.d.ts" "$root/dist/"
# The same types for a relative import of index.mjs (TypeScript looks for index.d.mts there).
cp "$root/wasm/index.d.ts" "$root/dist/index.d.mts"
echo "export { sendBatch } from './index.mjs';" > "$root/dist/send-batch.d.mts"
echo "export { checkDirectory } from './index.mjs';" > "$root/dist/check-directory.d.mts"
