#!/usr/bin/env bash
# Builds uchardet (the version Debian packages, 0.0.7) for WebAssembly with Debian's em++, from
# Debian's source package, into a cache outside the work tree, as tools/build-icu-wasm.sh does for ICU.
# Prints the cache folder (lib/libuchardet-wasm.a, include/uchardet.h) on stdout.
#
# The cache key covers the version, the flags and this script. Cache root: $CANOPY_CACHE or
# ~/.cache/canopy-csv-import.
set -euo pipefail
export NODE_PATH=/usr/share/nodejs

VERSION=$(dpkg-query -W -f='${Version}' libuchardet-dev)
FLAGS="-Oz -fno-exceptions -DNDEBUG"
key=$(printf '%s\n%s\n' "$VERSION" "$FLAGS" | cat - "$0" | sha256sum | cut -c1-16)
root=${CANOPY_CACHE:-$HOME/.cache/canopy-csv-import}
out="$root/uchardet-wasm-$key"
if [ -f "$out/done" ]; then echo "$out"; exit 0; fi

echo "uchardet-wasm: building uchardet $VERSION for wasm into $out (a minute, once)" >&2
mkdir -p "$root"
work="$root/uchardet-src-$VERSION"
if [ ! -f "$work/src/uchardet.h" ]; then
  tmp=$(mktemp -d "$root/.src.XXXXXX")
  (cd "$tmp" && apt-get source -qq "uchardet=$VERSION" >&2)
  src=$(find "$tmp" -maxdepth 1 -mindepth 1 -type d -name 'uchardet-*' | head -n1)
  [ -f "$src/src/uchardet.h" ] || { echo "uchardet-wasm: apt-get source uchardet gave no source folder" >&2; exit 1; }
  rm -rf "$work"; mv "$src" "$work"; rm -rf "$tmp"
fi
rm -rf "$out.tmp"; mkdir -p "$out.tmp/obj" "$out.tmp/lib" "$out.tmp/include"
# The sources its own CMakeLists.txt compiles (the command-line tool aside).
sed -n '/set(\s*$/,/)/p' "$work/src/CMakeLists.txt" | grep -o '[A-Za-z0-9_/]*\.cpp' | sort -u > "$out.tmp/sources.txt"
[ -s "$out.tmp/sources.txt" ] || { echo "uchardet-wasm: no sources listed in src/CMakeLists.txt" >&2; exit 1; }
export FLAGS work out
xargs -P "$(nproc)" -I{} bash -c 'f={}; em++ $FLAGS -std=c++11 -w -I"$work/src" -c "$work/src/$f" -o "$out.tmp/obj/$(echo "$f" | tr / _).o"' \
  < "$out.tmp/sources.txt"
emar rcs "$out.tmp/lib/libuchardet-wasm.a" "$out.tmp"/obj/*.o
cp "$work/src/uchardet.h" "$out.tmp/include/"
rm -rf "$out.tmp/obj"
touch "$out.tmp/done"
rm -rf "$out"; mv "$out.tmp" "$out"
echo "$out"
