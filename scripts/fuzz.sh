#!/usr/bin/env bash
# Coverage-guided fuzzing of ChildSafe with libFuzzer and AddressSanitizer.
#   scripts/fuzz.sh --list              names the targets
#   scripts/fuzz.sh TARGET SECONDS      runs one target (corpus in Fuzz/corpus/TARGET, seeds committed)
#   scripts/fuzz.sh --all SECONDS       runs every target for SECONDS each
# New inputs found go to a scratch copy of the corpus, so runs never dirty the committed seeds.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
targets=$(sed -n 's/^let targets = \[\(.*\)\]/\1/p' "$root/Fuzz/Package.swift" | tr -d '", ' | tr ',' ' ')
targets=$(sed -n 's/^let targets = \[\(.*\)\]/\1/p' "$root/Fuzz/Package.swift" | tr -d '"' | tr ',' '\n' | tr -d ' ')

# CHILDSAFE_SCRATCH_HEAP: every scratch buffer is its own heap allocation, so ASan sees its bounds
# (the per-thread scratch arena would hide an overrun inside the block).
build() {
  [ -z "${FUZZ_NO_BUILD:-}" ] || return 0  # the caller built .build-fuzz already (tests.d/fuzz.sh)
  "$root/scripts/bootstrap.sh"
  swift build --package-path "$root/Fuzz" -c release --scratch-path "$root/.build-fuzz" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld \
    -Xswiftc -DCHILDSAFE_SCRATCH_HEAP "$@" >&2
}

run() {
  local target=$1 seconds=$2
  local seeds="$root/Fuzz/corpus/$target"
  local work log status=0
  work=$(mktemp -d)
  log="$root/.build-fuzz/fuzz-$target.log"
  mkdir -p "$seeds"
  cp -r "$seeds/." "$work/" 2>/dev/null || true
  echo "== fuzz-$target for ${seconds}s" >&2
  # Swift's own crash backtracer would run inside ASan's process and muddle the report: let libFuzzer
  # print the trap. Leaks of once-built statics are suppressed (Fuzz/lsan.supp).
  SWIFT_BACKTRACE=enable=no LSAN_OPTIONS="suppressions=$root/Fuzz/lsan.supp:print_suppressions=0" \
    "$root/.build-fuzz/release/fuzz-$target" "$work" -max_total_time="$seconds" -max_len=65536 \
    -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$root/.build-fuzz/crash-$target-" \
    ${FUZZ_FLAGS:-} >"$log" 2>&1 || status=$?
  grep -E "^(#[0-9]+.*(DONE|INITED)|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY|Done|Fatal error|.*precondition failure|artifact_prefix|Test unit written)" "$log" || true
  [ "$status" -eq 0 ] || echo "fuzz-$target failed (exit $status); full log: $log" >&2
  rm -rf "$work"
  return "$status"
}

case "${1:-}" in
  --list) printf '%s\n' $targets ;;
  --all)
    build
    for t in $targets; do run "$t" "${2:-10}"; done
    ;;
  "" | -h | --help) sed -n '2,6p' "$0" ;;
  *)
    echo "$targets" | grep -qx "$1" || { echo "unknown target $1 (see --list)" >&2; exit 2; }
    build --product "fuzz-$1"
    run "$1" "${2:-60}"
    ;;
esac
