#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need. Idempotent: when every package is
# already installed it does nothing (no apt-get update, no network).
set -euo pipefail

PKGS=(
  cmake make g++ clang libclang-rt-14-dev     # native build, sanitizers, libFuzzer
  ccache                                      # native builds of any checkout reuse each other's objects
  clang-format                                # the format check
  clang-tidy                                  # the tidy check (tools/tidy.sh)
  emscripten nodejs                           # wasm build (Debian's emscripten 3.1.6)
  libicu-dev icu-devtools dpkg-dev            # ICU native + icupkg + `apt-get source icu`
  libuchardet-dev pkg-config                  # uchardet native (wasm: from `apt-get source uchardet`)
  nlohmann-json3-dev catch2                   # JSON and the unit-test framework
  zlib1g-dev libexpat1-dev                    # the workbook reader (XLSX/ODS): inflate and XML
  libcurl4-openssl-dev                        # the CLI's HTTP client
  chromium                                    # browser tests (playwright-core drives it)
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# `apt-get source icu` needs deb-src entries. They are derived from the machine's own deb sources
# (same mirror, suites, components and key; tools/apt-deb-src.sh), never a host written here.
SRC_LIST=/etc/apt/sources.list.d/canopy-deb-src.sources
need_update=0
derived=$(bash "$(dirname "$0")/apt-deb-src.sh" --exclude "$SRC_LIST")
current=$(cat "$SRC_LIST" 2>/dev/null || true)
if [ -z "$derived" ] && [ -z "$current" ] && ! grep -rqs '^[^#]*deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "setup: no Debian deb entry in /etc/apt/sources.list{,.d} to derive a deb-src entry from; add a deb-src line for your mirror so that 'apt-get source icu' works" >&2
elif [ "$derived" != "$current" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: need root to write the deb-src entries ($SRC_LIST)" >&2
    [ -n "$current" ] || exit 1
  elif [ -z "$derived" ]; then
    rm -f "$SRC_LIST" # the machine has its own deb-src entries now
  else
    printf '%s\n' "$derived" > "$SRC_LIST"
    need_update=1
  fi
fi

if [ ${#missing[@]} -eq 0 ] && [ $need_update -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing Debian packages: ${missing[*]} — run as root or install them with apt-get" >&2
  exit 1
fi
echo "setup: installing Debian packages: ${missing[*]:-(sources only)}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
