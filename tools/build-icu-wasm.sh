#!/usr/bin/env bash
# Builds ICU (the version Debian's libicu-dev has, 72.1) for WebAssembly with Debian's em++, plus a
# trimmed ICU data archive, into a cache outside the work tree. Prints the cache folder on stdout.
#
# The cache key covers the ICU version, the compiler flags and this script, so a change to any of them
# builds a fresh copy; an unchanged key costs nothing. Cache root: $CANOPY_CACHE or ~/.cache/canopy-csv-import.
set -euo pipefail
shopt -s nullglob
here=$(cd "$(dirname "$0")" && pwd)
export NODE_PATH=/usr/share/nodejs

ICU_DEB_VERSION=$(dpkg-query -W -f='${Version}' libicu-dev)
ICU_FLAGS="-Os -DU_STATIC_IMPLEMENTATION -DU_CHARSET_IS_UTF8=1 -DU_USING_ICU_NAMESPACE=0 -DU_NO_DEFAULT_INCLUDE_UTF_HEADERS=1 -DUNISTR_FROM_CHAR_EXPLICIT=explicit -DUNISTR_FROM_STRING_EXPLICIT=explicit -DUCONFIG_NO_BREAK_ITERATION=1 -DUCONFIG_NO_FORMATTING=1 -DUCONFIG_NO_TRANSLITERATION=1 -DUCONFIG_NO_REGULAR_EXPRESSIONS=1 -DUCONFIG_NO_COLLATION=1 -DUCONFIG_NO_SERVICE=1"
# The normalisation data of header matching and email checks. No converters: the WHATWG decoders
# (src/detect/decoder.h) decode every encoding with their own tables; ucsdet needs none.
ICU_DATA_ITEMS="nfkc_cf.nrm uts46.nrm"
key=$(printf '%s\n%s\n%s\n' "$ICU_DEB_VERSION" "$ICU_FLAGS" "$ICU_DATA_ITEMS" | cat - "$0" | sha256sum | cut -c1-16)
root=${CANOPY_CACHE:-$HOME/.cache/canopy-csv-import}
out="$root/icu-wasm-$key"
if [ -f "$out/done" ]; then echo "$out"; exit 0; fi

echo "icu-wasm: building ICU $ICU_DEB_VERSION for wasm into $out (a few minutes, once)" >&2
work="$root/icu-src-$ICU_DEB_VERSION"
if [ ! -d "$work/source" ]; then
  tmp=$(mktemp -d "$root/.src.XXXXXX" 2>/dev/null || { mkdir -p "$root"; mktemp -d "$root/.src.XXXXXX"; })
  (cd "$tmp" && apt-get source -qq "icu=$ICU_DEB_VERSION" >&2)
  src=$(find "$tmp" -maxdepth 1 -mindepth 1 -type d -name 'icu-*' | head -n1)
  [ -d "$src/source" ] || { echo "icu-wasm: apt-get source icu gave no source folder" >&2; exit 1; }
  rm -rf "$work"; mv "$src" "$work"; rm -rf "$tmp"
fi
S="$work/source"
# Objects are keyed on the version and flags alone, so an interrupted build resumes where it stopped.
objkey=$(printf '%s\n%s\n' "$ICU_DEB_VERSION" "$ICU_FLAGS" | sha256sum | cut -c1-16)
obj="$root/icu-obj-$objkey"
rm -rf "$out.tmp"; mkdir -p "$obj" "$out.tmp/lib" "$out.tmp/include"

compile() { # dir define file
  local f=$3 o
  o="$obj/$1_$(basename "${f%.*}").o"
  [ -f "$o" ] && return 0
  case "$f" in
    *.c) emcc $ICU_FLAGS -std=c11 -D"$2" -I"$S/common" -I"$S/$1" -c "$f" -o "$o.tmp" && mv "$o.tmp" "$o" ;;
    *) em++ $ICU_FLAGS -std=c++17 -D"$2" -I"$S/common" -I"$S/$1" -c "$f" -o "$o.tmp" && mv "$o.tmp" "$o" ;;
  esac
}
export -f compile; export ICU_FLAGS S obj
jobs=$(nproc)
{ for f in "$S"/common/*.c "$S"/common/*.cpp; do echo "common U_COMMON_IMPLEMENTATION $f"; done
  for f in "$S"/i18n/*.c "$S"/i18n/*.cpp; do echo "i18n U_I18N_IMPLEMENTATION $f"; done
  for f in "$S"/stubdata/*.cpp; do echo "stubdata U_COMMON_IMPLEMENTATION $f"; done
} | xargs -P "$jobs" -L 1 bash -c 'compile "$@"' _
emar rcs "$out.tmp/lib/libicu-wasm.a" "$obj"/*.o
mkdir -p "$out.tmp/include/unicode"
cp "$S"/common/unicode/*.h "$S"/i18n/unicode/*.h "$out.tmp/include/unicode/"

# Trimmed data archive: the items must keep the icudt72l prefix, so the file keeps its name.
d=$(mktemp -d)
icupkg -l "$S/data/in/icudt72l.dat" > "$d/all.txt"
: > "$d/keep.txt"
for item in $ICU_DATA_ITEMS; do
  grep -qx "$item" "$d/all.txt" || { echo "icu-wasm: $item not in icudt72l.dat" >&2; exit 1; }
  echo "$item" >> "$d/keep.txt"
done
mkdir -p "$d/items"
(cd "$d" && icupkg -tl -x keep.txt -d "$d/items" "$S/data/in/icudt72l.dat" &&
  icupkg -tl -a keep.txt -s "$d/items" new "$out.tmp/icudt72l.dat")
rm -rf "$d"
touch "$out.tmp/done"
rm -rf "$out"; mv "$out.tmp" "$out"
echo "$out"
