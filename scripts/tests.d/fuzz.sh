#!/usr/bin/env bash
# CI smoke run of every libFuzzer target (Fuzz/, see docs/fuzzing.md): builds the fuzz package once
# (libFuzzer + AddressSanitizer, also instrumenting the library), then runs each target from its
# committed seeds for FUZZ_SECONDS (default 6: about a minute for all nine targets). Fails when any
# target crashes, trips an oracle, leaks, times out on one input or runs out of memory; the input
# is kept as .build-fuzz/crash-TARGET-* (replay: .build-fuzz/release/fuzz-TARGET FILE).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seconds="${FUZZ_SECONDS:-6}"
"$root/scripts/bootstrap.sh"
echo "== building the fuzz targets"
swift build --package-path "$root/Fuzz" -c release --scratch-path "$root/.build-fuzz" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld \
  -Xswiftc -DCHILDSAFE_SCRATCH_HEAP 2>&1 |
  grep -E "error|warning: unre|Build complete" || true
start=$(date +%s)
failed=()
for target in $("$root/scripts/fuzz.sh" --list); do
  [ -x "$root/.build-fuzz/release/fuzz-$target" ] || { echo "fuzz-$target was not built" >&2; failed+=("$target"); continue; }
  if ! FUZZ_NO_BUILD=1 "$root/scripts/fuzz.sh" "$target" "$seconds"; then
    failed+=("$target")
  fi
  # grep's status above is not the fuzzer's: look at the log for the verdict.
  if grep -qE "==[0-9]+==ERROR|deadly signal|Test unit written" "$root/.build-fuzz/fuzz-$target.log"; then
    [[ " ${failed[*]} " == *" $target "* ]] || failed+=("$target")
  fi
done
echo "fuzzed $(( $("$root/scripts/fuzz.sh" --list | wc -l) )) targets in $(( $(date +%s) - start )) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]} (inputs in $root/.build-fuzz/crash-*)" >&2
  exit 1
fi
