#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need. Idempotent: when every package is
# already installed it does nothing (no apt-get update, no network).
set -euo pipefail

PKGS=(
  cmake make g++ clang libclang-rt-14-dev     # native build, sanitizers, libFuzzer
  clang-format                                # the format check
  emscripten nodejs                           # wasm build (Debian's emscripten 3.1.6)
  libicu-dev icu-devtools dpkg-dev            # ICU native + icupkg + `apt-get source icu`
  nlohmann-json3-dev catch2                   # JSON and the unit-test framework
  libcurl4-openssl-dev                        # the CLI's HTTP client
  chromium                                    # browser tests (playwright-core drives it)
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

SRC_LIST=/etc/apt/sources.list.d/canopy-deb-src.sources
need_update=0
if [ ! -f "$SRC_LIST" ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "setup: need root to add the deb-src entry ($SRC_LIST)" >&2; exit 1; fi
  cat > "$SRC_LIST" <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  need_update=1
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
