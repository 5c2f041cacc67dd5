#!/usr/bin/env bash
# The README's Swift snippet is Examples/swift-quickstart/main.swift (the `childsafe-quickstart`
# target, built with the package): checks that the README shows that file exactly, then runs it.
# The C quick starts are run by capi.sh, which builds the C library anyway.
set -euo pipefail
cd "$(dirname "$0")/../.."
fail() { echo "readme-snippets.sh: $*" >&2; exit 1; }

scripts/doc-snippet README.md swift 'import ChildSafe' | diff -u - Examples/swift-quickstart/main.swift \
  || fail "the README's Swift snippet differs from Examples/swift-quickstart/main.swift: make them the same"
swift build --product childsafe-quickstart >/dev/null
out="$("$(swift build --show-bin-path)/childsafe-quickstart")"
# The message is grooming toward a 12-year-old: the verdict line must say so.
grep -q '^{"id":"m1","flagged":true' <<<"$out" || fail "the quick start printed no flagged verdict: $out"
grep -q '"band":"13-15"' <<<"$out" || fail "the quick start printed no settings for age 14: $out"
echo "readme-snippets.sh: the README's Swift snippet compiles and runs"
