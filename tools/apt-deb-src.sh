#!/usr/bin/env bash
# Prints the deb-src entries (deb822) that mirror this machine's own Debian "deb" sources, so that
# `apt-get source` fetches from the same mirror apt already uses (no host is written into the tree).
#
#   bash tools/apt-deb-src.sh [--root DIR] [--exclude FILE]
#
# Reads DIR/etc/apt/sources.list, DIR/etc/apt/sources.list.d/*.list (one-line style) and *.sources
# (deb822). Keeps "deb" entries whose suite is the release's own (VERSION_CODENAME from
# DIR/etc/os-release, with -updates, -security, -backports, -proposed-updates), skips comments, disabled
# entries (Enabled: no, commented-out lines, files apt itself ignores) and other vendors' repositories
# (their suites are not the codename), and drops pairs that already have a deb-src entry. FILE (our own
# output from an earlier run) is not read. Prints nothing when there is nothing to add.
set -euo pipefail
root=
exclude=
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root=$2; shift 2 ;;
    --exclude) exclude=$2; shift 2 ;;
    *) echo "apt-deb-src: unknown argument $1" >&2; exit 2 ;;
  esac
done

codename=
if [ -f "$root/etc/os-release" ]; then
  codename=$(sed -n 's/^VERSION_CODENAME=["'"'"']\{0,1\}\([A-Za-z0-9._-]*\).*/\1/p' "$root/etc/os-release" | head -n1)
fi
[ -n "$codename" ] || exit 0

files=()
[ -f "$root/etc/apt/sources.list" ] && files+=("$root/etc/apt/sources.list")
shopt -s nullglob
for f in "$root"/etc/apt/sources.list.d/*.list "$root"/etc/apt/sources.list.d/*.sources; do
  [ -n "$exclude" ] && [ "$f" -ef "$exclude" ] && continue
  files+=("$f")
done
[ ${#files[@]} -gt 0 ] || exit 0

# Each file is fed as "@FILE <name>" then its lines; awk turns both styles into entries
# "type|uri|suite|components|signed-by|continuation" and prints the missing deb-src stanzas.
for f in "${files[@]}"; do
  printf '@FILE %s\n' "$f"
  cat "$f"
  printf '\n'
done | awk -v codename="$codename" '
function debian_suite(s,   rest) {
  if (s == codename) return 1
  if (index(s, codename "-") != 1) return 0
  rest = substr(s, length(codename) + 2)
  return rest == "updates" || rest == "security" || rest == "backports" || rest == "proposed-updates"
}
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
function add(type, uri, suite, comps, signed, cont,   k) {
  sub(/\/+$/, "", uri)
  k = uri "|" suite
  if (type == "deb-src") { have[k] = 1; return }
  if (type != "deb" || !debian_suite(suite) || (k in wanted)) return
  wanted[k] = 1
  order[++n] = k
  e_uri[k] = uri; e_suite[k] = suite; e_comps[k] = comps; e_signed[k] = signed; e_cont[k] = cont
}
# deb822: flush one stanza.
function flush(   i, j, nt, nu, ns, t, u, s) {
  if (!instanza) return
  instanza = 0
  if (tolower(f["enabled"]) == "no") { delete f; return }
  nt = split(f["types"], t, /[ \t]+/); nu = split(f["uris"], u, /[ \t]+/); ns = split(f["suites"], s, /[ \t]+/)
  for (i = 1; i <= nt; i++) for (j = 1; j <= nu; j++) for (k2 = 1; k2 <= ns; k2++)
    if (t[i] != "" && u[j] != "" && s[k2] != "") add(t[i], u[j], s[k2], f["components"], f["signed-by"], f["signed-by+"])
  delete f
}
/^@FILE / { flush(); file = substr($0, 7); deb822 = (file ~ /\.sources$/); last = ""; next }
deb822 {
  if ($0 ~ /^[ \t]*$/) { flush(); next }
  if ($0 ~ /^#/) next
  if ($0 ~ /^[ \t]/) { if (last != "") f[last "+"] = f[last "+"] $0 "\n"; next }
  p = index($0, ":"); if (!p) next
  last = tolower(trim(substr($0, 1, p - 1)))
  f[last] = trim(substr($0, p + 1))
  instanza = 1
  next
}
{
  line = $0
  sub(/#.*/, "", line)
  nf = split(trim(line), w, /[ \t]+/)
  if (nf < 3) next
  type = w[1]; i = 2; signed = ""
  if (w[2] ~ /^\[/) {
    opts = ""
    for (; i <= nf; i++) { opts = opts " " w[i]; if (w[i] ~ /\]$/) { i++; break } }
    gsub(/[\[\]]/, "", opts)
    no = split(opts, o, /[ \t]+/)
    for (m = 1; m <= no; m++) if (tolower(o[m]) ~ /^signed-by=/) signed = substr(o[m], 11)
  }
  if (nf < i + 1) next
  comps = ""
  for (m = i + 2; m <= nf; m++) comps = comps (comps == "" ? "" : " ") w[m]
  add(type, w[i], w[i + 1], comps, signed, "")
}
END {
  flush()
  # One stanza per (URI, components, key), its suites in the order they came.
  for (x = 1; x <= n; x++) {
    k = order[x]
    if (k in have) continue
    g = e_uri[k] "|" e_comps[k] "|" e_signed[k] "|" e_cont[k]
    if (!(g in suites)) { groups[++ng] = g; g_first[g] = k; suites[g] = e_suite[k] }
    else suites[g] = suites[g] " " e_suite[k]
  }
  for (x = 1; x <= ng; x++) {
    g = groups[x]; k = g_first[g]
    if (x > 1) printf "\n"
    printf "Types: deb-src\nURIs: %s\nSuites: %s\n", e_uri[k], suites[g]
    if (e_comps[k] != "") printf "Components: %s\n", e_comps[k]
    if (e_signed[k] != "" || e_cont[k] != "") printf "Signed-By: %s\n%s", e_signed[k], e_cont[k]
  }
}'
