#!/usr/bin/env bash
# The example daemon's own unit tests (its package is separate so that the root build does not pay
# for Hummingbird). Shares the debug build that daemon.sh makes.
set -uo pipefail
cd "$(dirname "$0")/../.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
swift build --package-path Examples/childsafed --build-tests 2>&1 | grep -E "error|Build complete"
swift test --package-path Examples/childsafed --skip-build >"$log" 2>&1
status=$?
grep -E "✘|Test run with|error:" "$log"
[ $status -eq 0 ] && grep -q "✔ Test run with" "$log"
