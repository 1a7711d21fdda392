#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan, build/fuzz) and runs each for a given time.
#
#   tools/fuzz.sh [SECONDS] [-j N] [--runs N --seed S] [TARGET...]     (npm run fuzz -- 600 -j 2 parse)
#
# SECONDS per target (default 60); -j runs N targets at once (default 1); TARGET is any of parse,
# chunks, mapping, pipeline, submit, workbook (default all). --runs N --seed S: a deterministic run instead, what
# CI does (N inputs from random seed S, a tenth of N for chunks whose inputs expand, starting from the
# checked-in seeds only in a fresh work folder), so a failure there fails again on any machine.
# Otherwise new inputs go to build/fuzz/corpus/<target>/ (outside the tree); the checked-in seeds in
# tests/fuzz/corpus/<target>/, the regressions, samples/, the test vectors and csv-spectrum are read as
# extra seed folders. A crash leaves its input in build/fuzz/artifacts/<target>/ and makes the script
# fail: minimise it (fuzz_<target> -minimize_crash=1 -runs=10000 FILE), fix the bug, and copy the input
# to tests/fuzz/regressions/<target>/ so CTest replays it from then on. Prints executions, exec/s,
# coverage and peak memory per target.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

seconds=60
jobs=1
runs=
seed=
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    -j) jobs=$2; shift 2 ;;
    -j*) jobs=${1#-j}; shift ;;
    --runs) runs=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    [0-9]*) seconds=$1; shift ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(parse chunks mapping pipeline submit workbook)

if ! ls /usr/lib/llvm-14/lib/clang/14*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "fuzz: libFuzzer is missing: install libclang-rt-14-dev (tools/setup-system.sh does)" >&2
  exit 1
fi

bash tools/stale-builds.sh "$root"  # a moved or copied checkout: start old build folders over
build=build/fuzz
mkdir -p "$build"
# Several checkouts' test runs may share this tree: one build at a time, one log folder per run.
exec 9>"$build/.build.lock"
flock 9
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCANOPY_FUZZ=ON >/dev/null
fi
cmake --build "$build" -j2 --target "${targets[@]/#/fuzz_}" >/dev/null
flock -u 9
logs="$build/logs/$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$logs"

run_one() {
  local t=$1 work="$build/corpus/$1" art="$build/artifacts/$1/" log="$logs/$1.log"
  local budget=(-max_total_time="$seconds")
  if [ -n "$runs" ]; then
    work="$logs/work-$t"  # deterministic: no corpus carried over from earlier runs
    local n=$runs
    # chunks expands its inputs (up to 280 KB of text) and reads each four ways: a tenth as many.
    [ "$t" = chunks ] && n=$(( (runs + 9) / 10 ))
    budget=(-runs="$n" -seed="${seed:-1}")
  fi
  mkdir -p "$work" "$art"
  local seeds=("tests/fuzz/corpus/$t")
  [ -d "tests/fuzz/regressions/$t" ] && seeds+=("tests/fuzz/regressions/$t")
  local max_len=4096 dict=tests/fuzz/csv.dict
  case "$t" in
    workbook)
      # The seeds are whole workbooks (up to ~21 KB); XML tokens instead of CSV ones.
      max_len=32768
      dict=tests/fuzz/workbook.dict
      ;;
    parse|pipeline|chunks)
      max_len=16384
      for d in samples tests/vectors/encodings node_modules/csv-spectrum/csvs; do
        [ -d "$d" ] && [ "$t" != chunks ] && seeds+=("$d")
      done
      ;;
  esac
  local rc=0
  "$build/tests/fuzz/fuzz_$t" "${budget[@]}" -timeout=20 -rss_limit_mb=2048 -max_len="$max_len" \
    -dict="$dict" -artifact_prefix="$art" -print_final_stats=1 \
    "$work" "${seeds[@]}" >"$log" 2>&1 || rc=$?
  echo "$rc" >"$logs/$t.rc"
}

start=$(date +%s)
running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait || true

status=0
printf '%-10s %12s %9s %7s %8s %8s %s\n' target executions exec/s cov features rss_mb result
for t in "${targets[@]}"; do
  log="$logs/$t.log"
  rc=$(cat "$logs/$t.rc" 2>/dev/null || echo 1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  cov=$(grep -ao 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -ao 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  result=ok
  if [ "$rc" != 0 ]; then
    result="FAILED (exit $rc): see $log and $build/artifacts/$t/"
    status=1
  fi
  printf '%-10s %12s %9s %7s %8s %8s %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${rss:-?}" "$result"
done
what="${seconds}s each"
[ -n "$runs" ] && what="$runs runs each, seed ${seed:-1}"
echo "fuzz: ${#targets[@]} target(s), $what, $(( $(date +%s) - start ))s wall; logs in $logs" >&2
if [ "$status" != 0 ]; then
  for t in "${targets[@]}"; do
    if [ "$(cat "$logs/$t.rc" 2>/dev/null || echo 1)" != 0 ]; then
      echo "---- $t" >&2
      grep -aE 'ERROR|invariant failed|SUMMARY|Test unit written|==[0-9]+==' "$logs/$t.log" | head -20 >&2 || true
    fi
  done
fi
exit "$status"
