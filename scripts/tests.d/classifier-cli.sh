#!/usr/bin/env bash
# End-to-end checks of the classifier CLI (issue 3): check (human, --json, --jsonl with an error
# line), conversation --jsonl on the development corpus format, explain, lint (exit codes and
# located errors), and --rules DIR. Needs python3 only to validate JSON output.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "classifier-cli: $1" >&2; exit 1; }
swift build --product childsafe > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; fail "build failed"; }
cs="$(swift build --show-bin-path)/childsafe"

# check --json: one JSON verdict with a span in the original text.
out="$("$cs" check --json --rules Tests/ChildSafeTests/Fixtures/rules --replace-defaults "pls DON'T t3ll ur mom")"
python3 -c 'import json,sys; v=json.loads(sys.argv[1]); assert v["flagged"] and v["categories"]==["secrecy"] and v["matches"][0]["start"]==4, v' "$out" \
  || fail "check --json: $out"

# check --jsonl: one line per input; a bad line gives an error object and the stream goes on.
printf '%s\n' '{"id":"a","text":"dont tell anyone","conversation":"c","from":"x"}' '{"id":"b","text":' \
  '{"id":"c","text":"hello","conversation":"c","from":"y"}' \
  | "$cs" check --jsonl --rules Tests/ChildSafeTests/Fixtures/rules --replace-defaults > "$work/jsonl.out"
python3 - "$work/jsonl.out" <<'PY' || fail "check --jsonl: $(cat "$work/jsonl.out")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) == 3, lines
assert lines[0]["id"] == "a" and lines[0]["flagged"] and lines[0]["conversation"]["messages"] == 1
assert lines[1]["error"]["code"] == "syntax"
assert lines[2]["id"] == "c" and lines[2]["conversation"]["messages"] == 2
PY

# conversation --jsonl: corpus format in, one verdict per conversation out. The development corpus
# (../shared/corpus beside the clone) when present, else the sample corpus of the repository.
conversations=../shared/corpus/dev-conversations.jsonl
if [ ! -f "$conversations" ]; then
  echo "classifier-cli: skipped conversation --jsonl on $conversations (absent); ran it on Examples/corpus"
  conversations=Examples/corpus/conversations.jsonl
fi
"$cs" conversation --jsonl < "$conversations" > "$work/conv.out" || fail "conversation --jsonl < $conversations failed"
python3 -c 'import json,sys; n=[json.loads(l)["stages"] for l in open(sys.argv[1])]; assert n, "no verdict"' "$work/conv.out" \
  || fail "conversation output"

# explain names the rule and the exception that cancelled it.
"$cs" explain --rules Tests/ChildSafeTests/Fixtures/rules --replace-defaults "dont tell mom about the surprise party" \
  | grep -q "cancelled by unless" || fail "explain does not show the cancelling exception"

# lint: the embedded packs are clean; a broken file fails with file:line:column.
"$cs" lint > /dev/null || fail "lint of the embedded packs failed"
printf '@pack en\nrule x secrecy 1.5\n  match: a\n' > "$work/bad.rules"
if "$cs" lint "$work/bad.rules" > "$work/lint.out"; then fail "lint accepted a bad file"; fi
grep -q "bad.rules:2:16: error: found weight 1.5; expected a weight in (0, 1]" "$work/lint.out" \
  || fail "lint message: $(cat "$work/lint.out")"

# A library error is printed once as "error: ...", not "Error: error: ..."; a missing --rules
# directory is named as missing.
for command in "check hi" "lint"; do
  if $cs $command --rules "$work/missing" 2>"$work/missing.err"; then fail "$command accepted a missing --rules"; fi
  [ "$(cat "$work/missing.err")" = "error: --rules $work/missing: no such directory" ] \
    || fail "$command --rules missing: $(cat "$work/missing.err")"
done
if "$cs" check --rules README.md hi 2>"$work/file.err"; then fail "check accepted a file as --rules"; fi
grep -q "^error: README.md is not a directory of rule files" "$work/file.err" || fail "--rules FILE: $(cat "$work/file.err")"
echo "classifier-cli: ok"
