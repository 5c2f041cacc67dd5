#!/usr/bin/env bash
# End-to-end checks of `childsafe eval` on the sample corpus: formats, stdin, bad lines, plot, baseline,
# and that no report prints message text.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
swift build --product childsafe >/dev/null
bin="$(swift build --show-bin-path)/childsafe"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "eval.sh: $*" >&2; exit 1; }

# JSON on the sample corpus (both formats), with robustness and a chart.
"$bin" eval --corpus Examples/corpus --robustness --format json --plot "$tmp/pr.svg" >"$tmp/report.json" \
  || fail "eval on the sample corpus failed"
for key in '"schema": "childsafe-eval/1"' '"messages": {' '"categories": {' '"rules": \[' '"conversations": {' \
  '"robustness": {' '"latency_p90"' '"false_alarm_rate"' '"f05"' '"leetspeak": {' '"count": 42'; do
  grep -q "$key" "$tmp/report.json" || fail "JSON report lacks $key"
done
head -c 4 "$tmp/pr.svg" | grep -q '<svg' || fail "--plot did not write an SVG"
tail -c 7 "$tmp/pr.svg" | grep -q '</svg>' || fail "the SVG is not complete"

# Markdown and CSV; a baseline adds delta columns.
"$bin" eval --corpus Examples/corpus/messages.jsonl --format markdown >"$tmp/report.md"
grep -q '^## Categories' "$tmp/report.md" || fail "Markdown report lacks the category table"
"$bin" eval --corpus Examples/corpus --baseline embedded --format csv >"$tmp/report.csv"
head -1 "$tmp/report.csv" | grep -qx 'section,name,metric,value,baseline,delta' || fail "CSV comparison header"

# No report carries message text (ids only).
for file in "$tmp/report.json" "$tmp/report.md" "$tmp/report.csv" "$tmp/pr.svg"; do
  ! grep -q 'surprise party\|what street\|art stuff' "$file" || fail "$file contains message text"
done

# Standard input, with a bad line: its line number on stderr, the rest evaluated, exit status 1.
status=0
{ head -3 Examples/corpus/messages.jsonl; echo '{"id": "broken", "text": "x"}'; tail -2 Examples/corpus/messages.jsonl; } \
  | "$bin" eval --format json >"$tmp/stdin.json" 2>"$tmp/stdin.err" || status=$?
[ "$status" -eq 1 ] || fail "a bad line should give exit status 1, got $status"
grep -q '<stdin>:4:1: error: message broken: expected "labels"' "$tmp/stdin.err" || fail "bad line not reported: $(cat "$tmp/stdin.err")"
grep -q '"count": 5' "$tmp/stdin.json" || fail "the other lines were not evaluated"

# A label that is not a category (a typo) is an error with a suggestion, not a new category.
status=0
{ head -2 Examples/corpus/messages.jsonl; echo '{"id": "typo", "text": "x", "labels": ["secrecey"]}'; } \
  | "$bin" eval --format json >"$tmp/typo.json" 2>"$tmp/typo.err" || status=$?
[ "$status" -eq 1 ] || fail "an unknown label should give exit status 1, got $status"
grep -q "<stdin>:3:1: error: message typo: unknown label 'secrecey'; did you mean 'secrecy'?" "$tmp/typo.err" \
  || fail "unknown label not reported: $(cat "$tmp/typo.err")"
! grep -q '"secrecey"' "$tmp/typo.json" || fail "the unknown label became a category"

# Nothing to evaluate: exit status 2.
status=0
echo 'not json' | "$bin" eval >/dev/null 2>&1 || status=$?
[ "$status" -eq 2 ] || fail "an empty corpus should give exit status 2, got $status"
echo "eval.sh: ok"
