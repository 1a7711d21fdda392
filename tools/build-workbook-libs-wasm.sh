#!/usr/bin/env bash
# Builds zlib (inflate only) and expat for WebAssembly with Debian's emcc, from Debian's own source
# packages, into a cache outside the work tree, the way tools/build-icu-wasm.sh builds ICU. They are the
# workbook reader's libraries (src/workbook/); natively it links Debian's zlib1g-dev and libexpat1-dev.
# Prints the cache folder (lib/libz.a, lib/libexpat.a, include/) on stdout.
#
# The source version is the installed -dev package's when Debian still serves its source, else the
# newest that `apt-get source` can fetch. The cache key covers both versions, the flags and this script.
# Cache root: $CANOPY_CACHE or ~/.cache/canopy-csv-import.
set -euo pipefail
export NODE_PATH=/usr/share/nodejs
root=${CANOPY_CACHE:-$HOME/.cache/canopy-csv-import}
mkdir -p "$root"
# zlib's inflate and expat's tokenizer are where a workbook's time goes (every byte of every part goes
# through both), so they are built -O2; the rest of the workbook module is -Oz (wasm/CMakeLists.txt).
FLAGS="-O2 -fno-exceptions"

# fetch_source PKG DEVPKG: prints the folder holding PKG's unpacked source, fetching it once.
fetch_source() {
  local pkg=$1 dev=$2 v tmp src
  local versions
  versions=$( (dpkg-query -W -f='${Version}\n' "$dev" 2>/dev/null; apt-cache showsrc "$pkg" 2>/dev/null |
    sed -n 's/^Version: //p' | sort -rV) | awk 'NF && !seen[$0]++')
  # A copy already fetched wins (no network on later runs).
  for v in $versions; do
    if [ -f "$root/$pkg-src-$v/.done" ]; then echo "$v $root/$pkg-src-$v"; return 0; fi
  done
  for v in $versions; do
    tmp=$(mktemp -d "$root/.src.XXXXXX")
    if (cd "$tmp" && apt-get source -qq "$pkg=$v" >/dev/null 2>&1); then
      src=$(find "$tmp" -maxdepth 1 -mindepth 1 -type d | head -n1)
      rm -rf "$root/$pkg-src-$v"; mv "$src" "$root/$pkg-src-$v"; rm -rf "$tmp"
      touch "$root/$pkg-src-$v/.done"
      echo "$v $root/$pkg-src-$v"; return 0
    fi
    rm -rf "$tmp"
  done
  echo "workbook-libs: apt-get source $pkg failed for every version ($versions); check the deb-src entries (tools/setup-system.sh)" >&2
  return 1
}

read -r zv zsrc < <(fetch_source zlib zlib1g-dev)
read -r ev esrc < <(fetch_source expat libexpat1-dev)
key=$(printf '%s\n%s\n%s\n' "$zv" "$ev" "$FLAGS" | cat - "$0" | sha256sum | cut -c1-16)
out="$root/workbook-wasm-$key"
if [ -f "$out/done" ]; then echo "$out"; exit 0; fi
echo "workbook-libs: building zlib $zv and expat $ev for wasm into $out" >&2
rm -rf "$out.tmp"; mkdir -p "$out.tmp/lib" "$out.tmp/include" "$out.tmp/obj"
o="$out.tmp/obj"

# zlib: only what inflate needs.
for f in inflate inftrees inffast adler32 crc32 zutil; do
  emcc $FLAGS -DHAVE_UNISTD_H -DHAVE_STDARG_H -c "$zsrc/$f.c" -o "$o/z_$f.o"
done
emar rcs "$out.tmp/lib/libz.a" "$o"/z_*.o
cp "$zsrc/zlib.h" "$zsrc/zconf.h" "$out.tmp/include/"

# expat: no DTD support (the reader refuses any DOCTYPE anyway), namespaces on, and no entropy source
# in wasm: the reader sets the hash salt itself (XML_SetHashSalt).
e="$esrc/expat/lib"
cat > "$o/expat_config.h" <<'EOF'
#define BYTEORDER 1234
#define HAVE_MEMMOVE 1
#define XML_CONTEXT_BYTES 1024
#define XML_NS 1
#define XML_POOR_ENTROPY 1
EOF
for f in xmlparse xmlrole xmltok; do
  emcc $FLAGS -DHAVE_EXPAT_CONFIG_H -I"$o" -I"$e" -c "$e/$f.c" -o "$o/x_$f.o"
done
emar rcs "$out.tmp/lib/libexpat.a" "$o"/x_*.o
cp "$e/expat.h" "$e/expat_external.h" "$out.tmp/include/"
rm -rf "$o"
printf 'zlib %s\nexpat %s\nflags %s\n' "$zv" "$ev" "$FLAGS" > "$out.tmp/versions.txt"
touch "$out.tmp/done"
rm -rf "$out"; mv "$out.tmp" "$out"
echo "$out"
