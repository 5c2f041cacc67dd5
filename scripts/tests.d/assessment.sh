#!/usr/bin/env bash
# `childsafe assess`: the sample products' registers are regenerated and must equal the checked-in
# ones (run scripts/regenerate-assessment-examples after a deliberate change); a broken description
# fails with file:line:column; the registers' HTML makes no external request.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "assessment.sh: $*" >&2; exit 1; }

mkdir "$tmp/out"
scripts/regenerate-assessment-examples "$tmp/out"
for file in "$tmp"/out/*; do
  name="$(basename "$file")"
  diff -u "Examples/assessment/$name" "$file" >"$tmp/diff.txt" \
    || fail "Examples/assessment/$name is out of date (run scripts/regenerate-assessment-examples):
$(head -40 "$tmp/diff.txt")"
done
[ "$(ls "$tmp/out" | wc -l)" -eq 6 ] || fail "expected 3 formats for 2 products, got: $(ls "$tmp/out")"
python3 -c 'import json,sys; [json.load(open(f)) for f in sys.argv[1:]]' "$tmp"/out/*.json || fail "register JSON does not parse"
if grep -E '(src|href)="(https?:)?//' "$tmp"/out/*.html; then fail "a register page refers to another site"; fi

bin="$(swift build --show-bin-path)/childsafe"
# The samples lint clean; a broken description fails with a located, suggested error.
"$bin" assess --lint Examples/assessment/teen-chat.product >/dev/null || fail "teen-chat.product must lint clean"
printf '[product]\nname = X\nages = 13-15\nage_assurance = self_declared\nassessed_on = 2026-01-01\n[features]\nlocaton = on\n' >"$tmp/bad.product"
if "$bin" assess "$tmp/bad.product" >"$tmp/stdout" 2>"$tmp/err"; then fail "a broken description must fail"; fi
grep -q "bad.product:4:17: error: age_assurance: unknown value 'self_declared'; did you mean 'self_declaration'?" "$tmp/err" \
  || fail "age_assurance error: $(cat "$tmp/err")"
grep -q "bad.product:7:1: error: unknown feature 'locaton'; did you mean 'location'?" "$tmp/err" || fail "feature error: $(cat "$tmp/err")"
[ ! -s "$tmp/stdout" ] || fail "nothing may be written to standard output for a broken description"

# An organisation's own catalogue adds to the built-in one.
mkdir "$tmp/cat"
printf '[risk org.custom]\narea = conduct\ntitle = Our own risk\nharm = H\nneeds = image_sharing\nlikelihood = 2\nseverity = 2\nsources = Our policy 4.2\n' >"$tmp/cat/own.risks"
"$bin" assess Examples/assessment/teen-chat.product --catalogue "$tmp/cat" --format json >"$tmp/own.json"
grep -q '"org.custom"' "$tmp/own.json" || fail "a --catalogue risk must be assessed"
echo "assessment.sh: OK"
