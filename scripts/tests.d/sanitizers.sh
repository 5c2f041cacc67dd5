#!/usr/bin/env bash
# The Swift test suite under AddressSanitizer (with leak checking) and ThreadSanitizer.
# Each sanitizer needs its own build (.build-asan, .build-tsan). Set SANITIZERS="address" to run one.
set -euo pipefail
cd "$(dirname "$0")/../.."
export LSAN_OPTIONS="suppressions=$PWD/scripts/sanitizers/lsan.supp:print_suppressions=0"
export TSAN_OPTIONS="halt_on_error=1"
for sanitizer in ${SANITIZERS:-address thread}; do
  scratch=".build-${sanitizer:0:1}san"
  echo "== swift test under ${sanitizer} sanitizer"
  swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch" 2>&1 | grep -E "error|warning: unre|Build complete" || true
  swift test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" 2>&1 | tee "$scratch/test.log" | grep -E "✘|Test run|ERROR|SUMMARY|WARNING: ThreadSanitizer" || true
  if grep -qE "ERROR: (Address|Leak)Sanitizer|WARNING: ThreadSanitizer|✘ Test run" "$scratch/test.log"; then
    echo "sanitizer run failed: see $scratch/test.log" >&2
    exit 1
  fi
  grep -q "✔ Test run" "$scratch/test.log" || { echo "no test run completed under $sanitizer" >&2; exit 1; }
done
