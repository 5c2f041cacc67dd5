#!/usr/bin/env bash
# The Swift test suite under AddressSanitizer (with leak checking) and ThreadSanitizer.
# Each sanitizer needs its own build (.build-asan, .build-tsan). Set SANITIZERS="address" to run one.
# The documented subset: every suite except the scaling and quality suites (100k-rule packs,
# 200k-line lists, megabyte texts at two sizes, whole corpora under every evasion), which check cost
# and accuracy rather than memory or thread safety, run in the plain `swift test` of scripts/test,
# and would take most of CI's time under a sanitizer. Set SANITIZE_ALL=1 to run them too.
set -euo pipefail
cd "$(dirname "$0")/../.."
export LSAN_OPTIONS="suppressions=$PWD/scripts/sanitizers/lsan.supp:print_suppressions=0"
export TSAN_OPTIONS="halt_on_error=1"
heavy="ListLimitsTests|RulePackLimitsTests|JSONDepthTests|URLLimitsTests|CanonicalIdempotenceTests|HostileInputTests|QualityTests"
for sanitizer in ${SANITIZERS:-address thread}; do
  scratch=".build-${sanitizer:0:1}san"
  echo "== swift test under ${sanitizer} sanitizer"
  # Under ASan every scratch buffer is its own heap allocation (bounds checked); TSan keeps the
  # per-thread scratch arena, whose thread confinement is what it checks.
  defines=()
  [ "$sanitizer" != address ] || defines=(-Xswiftc -DCHILDSAFE_SCRATCH_HEAP)
  swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch" "${defines[@]}" 2>&1 | grep -E "error|warning: unre|Build complete" || true
  skip=()
  [ "${SANITIZE_ALL:-0}" = 1 ] || skip=(--skip "$heavy")
  swift test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" "${skip[@]}" 2>&1 | tee "$scratch/test.log" | grep -E "✘|Test run|ERROR|SUMMARY|WARNING: ThreadSanitizer" || true
  if grep -qE "ERROR: (Address|Leak)Sanitizer|WARNING: ThreadSanitizer|✘ Test run" "$scratch/test.log"; then
    echo "sanitizer run failed: see $scratch/test.log" >&2
    exit 1
  fi
  # A passing run ends "✔ Test run ... passed", or "━ Test run ... passed ... with N known issues"
  # when expected failures were recorded (withKnownIssue).
  grep -qE "(✔|━) Test run with .* passed" "$scratch/test.log" || { echo "no test run completed under $sanitizer" >&2; exit 1; }
done
