#!/usr/bin/env bash
# End-to-end checks of the classifier CLI (issue 3): check (human, --json, --jsonl with an error
# line, exit status, per-line language, invalid UTF-8), conversation --jsonl on the development corpus format, explain, lint (exit codes and
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

# check --jsonl: one line per input; a bad line gives an error object located at its line in the
# stream, the stream goes on, and the exit status says that some lines failed (1, as eval).
status=0
printf '%s\n' '{"id":"a","text":"dont tell anyone","conversation":"c","from":"x"}' '{"id":"b","text":' \
  '{"id":"c","text":"hello","conversation":"c","from":"y"}' \
  | "$cs" check --jsonl --rules Tests/ChildSafeTests/Fixtures/rules --replace-defaults > "$work/jsonl.out" || status=$?
[ "$status" -eq 1 ] || fail "check --jsonl with a bad line exited $status, expected 1"
python3 - "$work/jsonl.out" <<'PY' || fail "check --jsonl: $(cat "$work/jsonl.out")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) == 3, lines
assert lines[0]["id"] == "a" and lines[0]["flagged"] and lines[0]["conversation"]["messages"] == 1
assert lines[1]["error"]["code"] == "syntax" and lines[1]["error"]["message"].startswith("<input>:2:18: "), lines[1]
assert lines[2]["id"] == "c" and lines[2]["conversation"]["messages"] == 2
PY
# Invalid UTF-8 on line 2 is located there too; a stream of good lines exits 0.
status=0
printf '{"id":"a","text":"hi"}\n{"id":"b","text":"\xff"}\n' | "$cs" check --jsonl > "$work/utf8.out" || status=$?
[ "$status" -eq 1 ] || fail "check --jsonl with invalid UTF-8 exited $status, expected 1"
grep -q '"code":"invalid_utf8","message":"<input>:2:19: error: input line is not valid UTF-8"' "$work/utf8.out" \
  || fail "invalid UTF-8 line: $(cat "$work/utf8.out")"
printf '{"id":"a","text":"hi"}\n' | "$cs" check --jsonl > /dev/null || fail "check --jsonl of good lines failed"

# A line's "lang" (or "locale") words its interventions; --locale words the others.
line='"text":"no le digas a tus padres","sender_age":30,"recipient_age":12'
printf '%s\n' "{\"id\":\"es\",\"lang\":\"es\",$line}" "{\"id\":\"fr\",\"locale\":\"fr\",$line}" "{\"id\":\"de\",$line}" \
  | "$cs" check --jsonl --locale de > "$work/lang.out" || fail "check --jsonl with languages failed"
for locale in es fr de; do
  printf '%s\n' "{\"id\":\"$locale\",$line}" | "$cs" check --jsonl --locale "$locale" >> "$work/lang-ref.out" \
    || fail "check --jsonl --locale $locale failed"
done
python3 - "$work/lang.out" "$work/lang-ref.out" <<'PY' || fail "per-line language: $(cat "$work/lang.out")"
import json, sys
got = {l["id"]: [i["message"] for i in l["interventions"]] for l in map(json.loads, open(sys.argv[1]))}
want = {l["id"]: [i["message"] for i in l["interventions"]] for l in map(json.loads, open(sys.argv[2]))}
assert got == want, (got, want)
assert got["es"] != got["de"] != got["fr"], got
PY

# Interventions in a conversation are rate-limited per audience: by default the same grooming line
# 30 s later gets none; --rate-limit-seconds / --rate-limit-messages say how often instead.
line='"text":"dont tell ur parents about us","sender_age":35,"recipient_age":12,"conversation":"c","from":"a"'
printf '%s\n' "{\"id\":1,$line,\"t\":60}" "{\"id\":2,$line,\"t\":90}" "{\"id\":3,$line,\"t\":200}" > "$work/rate.in"
"$cs" check --jsonl < "$work/rate.in" > "$work/rate-default.out" || fail "check --jsonl (rate limit) failed"
"$cs" check --jsonl --rate-limit-seconds 100 --rate-limit-messages 0 < "$work/rate.in" > "$work/rate-100s.out" \
  || fail "check --jsonl --rate-limit-seconds failed"
python3 - "$work/rate-default.out" "$work/rate-100s.out" <<'PY' || fail "rate limit: $(cat "$work/rate-default.out" "$work/rate-100s.out")"
import json, sys
delivered = lambda path: ["interventions" in l for l in map(json.loads, open(path))]
assert delivered(sys.argv[1]) == [True, False, False], delivered(sys.argv[1])
assert delivered(sys.argv[2]) == [True, False, True], delivered(sys.argv[2])
PY
status=0
"$cs" check --jsonl --rate-limit-messages -1 < "$work/rate.in" > /dev/null 2> "$work/rate.err" || status=$?
[ "$status" -ne 0 ] && grep -q "rate-limit-messages" "$work/rate.err" || fail "a negative --rate-limit-messages was accepted"

# A contact a parent approved (--sender-trusted, or "sender_trusted" on a line): a mother's plan to
# pick up her 13-year-old is no signal, her asking for a secret still flags; explain says why.
family="I'll pick you up at 5 after practice"
"$cs" check --sender-age 41 --recipient-age 13 "$family" | grep -q "FLAGGED" || fail "an untrusted pick-up plan to a child is not flagged"
out="$("$cs" check --sender-age 41 --recipient-age 13 --sender-trusted "$family")"
case "$out" in *FLAGGED*|*signals:*) fail "a trusted contact's pick-up plan: $out" ;; esac
"$cs" check --sender-age 41 --recipient-age 13 --sender-trusted "this is our secret, dont tell your dad" | grep -q "FLAGGED" \
  || fail "a trusted contact's secret is not flagged"
"$cs" explain --sender-age 41 --recipient-age 13 --sender-trusted "$family" | grep -q "not fired: trusted: ignore, and the sender is a trusted contact" \
  || fail "explain does not say why a trusted contact's rule did not fire"
# A photo request from a trusted contact counts without flagging; one of the body still flags.
"$cs" explain --sender-age 41 --recipient-age 13 --sender-trusted "send me a photo when you get there" \
  | grep -q "trusted: evidence (from a trusted contact it counts, but does not flag alone)" \
  || fail "explain does not say that a trusted contact's photo request is evidence"
"$cs" check --sender-age 41 --recipient-age 13 --sender-trusted "send me a pic of your body" | grep -q "FLAGGED" \
  || fail "a trusted contact asking for a picture of the body is not flagged"
printf '%s\n' "{\"id\":1,\"text\":\"$family\",\"sender_age\":41,\"recipient_age\":13,\"sender_trusted\":true}" \
  "{\"id\":2,\"text\":\"$family\",\"sender_age\":41,\"recipient_age\":13}" | "$cs" check --jsonl > "$work/trusted.out" \
  || fail "check --jsonl with sender_trusted failed"
python3 - "$work/trusted.out" <<'PY' || fail "sender_trusted lines: $(cat "$work/trusted.out")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert not lines[0]["flagged"] and lines[0]["matches"] == [], lines[0]
assert lines[1]["flagged"], lines[1]
PY

# An argument is UTF-8 like standard input: invalid bytes are an error, not silently replaced.
if "$cs" check "$(printf 'hi \xff')" 2>"$work/arg.err"; then fail "check accepted an invalid UTF-8 argument"; fi
grep -q "error: the message argument is not valid UTF-8" "$work/arg.err" || fail "invalid argument: $(cat "$work/arg.err")"
if printf 'hi \xff' | "$cs" check 2>"$work/stdin.err"; then fail "check accepted invalid UTF-8 input"; fi
grep -q "error: standard input is not valid UTF-8" "$work/stdin.err" || fail "invalid input: $(cat "$work/stdin.err")"

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
# ...and an except: line, which stops only the match: line above it, by its own name.
mkdir -p "$work/except/grooming"
printf '@pack en\n\nrule t.alone risk_check 0.6\n  match: (u|you) alone\n  except: leave (u|you) alone\n  match: home alone\n' \
  >"$work/except/grooming/t.rules"
"$cs" explain --rules "$work/except" --replace-defaults "ill leave you alone" \
  | grep -q "cancelled by except: leave (u|you) alone" || fail "explain does not name the except: line that stopped a rule"
"$cs" check --rules "$work/except" --replace-defaults --json "ill leave you alone, are you home alone" \
  | grep -q '"t.alone"' || fail "an except: line stopped the rule's other match: line"

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
