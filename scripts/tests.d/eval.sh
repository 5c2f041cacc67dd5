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
  2>"$tmp/plot.err" || fail "eval on the sample corpus failed"
[ "$(cat "$tmp/plot.err")" = "wrote the chart to $tmp/pr.svg" ] || fail "--plot did not say where it wrote: $(cat "$tmp/plot.err")"
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

# An all-benign corpus: the chart says why it has no curve, and so does stderr; the Markdown report
# has no empty sections, and rules that never fired are a table by id prefix.
grep '"labels": \[\]' Examples/corpus/messages.jsonl >"$tmp/benign.jsonl"
"$bin" eval --corpus "$tmp/benign.jsonl" --plot "$tmp/benign.svg" >"$tmp/benign.md" 2>"$tmp/benign.err" \
  || fail "eval on benign messages failed"
grep -qF "wrote the chart to $tmp/benign.svg (no precision/recall curve: no message is labelled, so recall is undefined)" \
  "$tmp/benign.err" || fail "no note on the missing curve: $(cat "$tmp/benign.err")"
grep -q "No precision/recall curve:" "$tmp/benign.svg" || fail "the chart of benign messages does not say why it is empty"
for heading in '## False negatives' '## Categories'; do
  ! grep -q "^$heading" "$tmp/benign.md" || fail "the benign report has an empty '$heading' section"
done
grep -q '^### Rules that never fired ([0-9]*)$' "$tmp/benign.md" || fail "no table of rules that never fired"
grep -q '^| en\.secrecy | [0-9]* | [a-z_]*, ' "$tmp/benign.md" || fail "rules that never fired are not grouped by prefix"

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
# scripts/quality-report over a made-up corpus root: its tables, the ages it sends (an ordinary
# meeting plan flags only toward a 13-year-old, from an adult or from a sender of unknown age), no text.
mkdir -p "$tmp/real/dev"
printf '%s\n' '{"id": "n1", "lang": "en", "text": "wanna meet up at the mall after school", "labels": []}' \
  '{"id": "n2", "lang": "en", "text": "lol same", "labels": []}' >"$tmp/real/dev/nps-chat-messages.jsonl"
cp "$tmp/real/dev/nps-chat-messages.jsonl" "$tmp/real/dev/sms-ham-messages.jsonl"
cp "$tmp/real/dev/nps-chat-messages.jsonl" "$tmp/real/dev/chatterbot-corpus-messages.jsonl"
printf '%s\n' '{"id": "p1", "lang": "en", "text": "dont tell ur parents about us ok", "labels": ["secrecy"], "stage": "geheimhaltung/isolation"}' \
  '{"id": "p2", "lang": "en", "text": "wanna meet up at the mall after school", "labels": ["meeting"], "stage": "offline-eskalation"}' \
  >"$tmp/real/dev/pan12-annotated-predator-messages.jsonl"
scripts/quality-report --split dev --childsafe "$bin" --corpus-root "$tmp/real" >"$tmp/quality.md" \
  || fail "quality-report failed on a made-up corpus"
grep -qF '| flagged, adult to a 13-year-old | flagged, unknown sender to a 13-year-old |' "$tmp/quality.md" \
  || fail "quality-report lacks the unknown-sender column: $(cat "$tmp/quality.md")"
grep -qF '| NPS chat rooms | 2 | 0.0 % | 50.0 % | 0.0 % | 50.0 % | 50.0 % |' "$tmp/quality.md" \
  || fail "quality-report's benign row: $(grep NPS "$tmp/quality.md")"
grep -qF '| all stages but neutral | 2 | 50.0 % | 100.0 % | 100.0 % |' "$tmp/quality.md" \
  || fail "quality-report's predator row: $(grep 'all stages' "$tmp/quality.md")"
! grep -q 'mall after school' "$tmp/quality.md" || fail "quality-report printed message text"
out="$(scripts/quality-report --split test --childsafe "$bin" --corpus-root "$tmp/real")"
[[ "$out" == *"skipped"* ]] || fail "quality-report should skip an absent split: $out"
echo "eval.sh: ok"
