#!/usr/bin/env bash
# `childsafe train` and --model from the command line (docs/model.md): training is deterministic,
# a model file combines with the rules in check, explain, conversation and eval, and a damaged
# or foreign model file is a clear error. With ../shared/corpus/real present, also trains on the
# real dev split and checks the cross-validated figures are printed (skipped otherwise).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
cs() { scripts/childsafe "$@" 2>/dev/null; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "model: $1" >&2; exit 1; }

cs train --level message --corpus Examples/corpus/messages.jsonl --folds 3 --seed 5 --out "$work/a.csm" >"$work/a.md"
cs train --level message --corpus Examples/corpus/messages.jsonl --folds 3 --seed 5 --out "$work/b.csm" >/dev/null
cmp -s "$work/a.csm" "$work/b.csm" || fail "the same corpus and seed gave different model files"
grep -q '^| all | 27 | 15 |' "$work/a.md" || fail "train printed no figures for the 27 positive and 15 benign messages"
grep -q 'rules + model' "$work/a.md" || fail "train printed no rules / model / hybrid comparison"

grep -q '^Toward a known minor: threshold' "$work/a.md" || fail "train printed no threshold toward a known minor"

# --weak-corpus: conversations learnt from in pieces, never scored (the figures stay the messages').
cs train --level message --corpus Examples/corpus/messages.jsonl --folds 3 --seed 5 --out "$work/w.csm" \
  --weak-corpus Examples/corpus/conversations.jsonl --piece-words 20 >"$work/w.md"
grep -q '^| all | 27 | 15 |' "$work/w.md" || fail "--weak-corpus changed which units are scored"
strings "$work/w.csm" | grep -q 'weakly labelled units' || fail "the model does not record its weakly labelled units"
cmp -s "$work/a.csm" "$work/w.csm" && fail "--weak-corpus changed nothing"
set +e
msg="$(scripts/childsafe train --level conversation --corpus Examples/corpus/conversations.jsonl \
  --weak-corpus Examples/corpus/conversations.jsonl --out "$work/x.csm" 2>&1 >/dev/null)"
set -e
grep -q 'use it with --level message' <<<"$msg" || fail "--weak-corpus at conversation level was accepted: $msg"
set +e
msg="$(scripts/childsafe train --level message --corpus Examples/corpus/messages.jsonl \
  --weak-corpus Examples/corpus/messages.jsonl --out "$work/x.csm" 2>&1 >/dev/null)"; status=$?
set -e
[ "$status" -eq 2 ] && grep -q 'holds no conversations' <<<"$msg" \
  || fail "a --weak-corpus of messages was not refused (status $status): $msg"

# --scores-out: one line of numbers per unit (out-of-fold score beside the label), no text.
cs train --level message --corpus Examples/corpus/messages.jsonl --folds 3 --seed 5 --out "$work/s.csm" \
  --scores-out "$work/scores.tsv" >/dev/null
[ "$(head -n1 "$work/scores.tsv")" = "$(printf 'source\tpositive\trules_flagged\trules_risk\tscore')" ] \
  || fail "--scores-out has no header"
[ "$(tail -n +2 "$work/scores.tsv" | wc -l)" -eq 42 ] || fail "--scores-out does not have one line per message (42)"
[ "$(tail -n +2 "$work/scores.tsv" | awk -F'\t' '$2 == 1' | wc -l)" -eq 27 ] || fail "--scores-out lost the labels"
awk -F'\t' 'NR > 1 && !($5 >= 0 && $5 <= 1 && NF == 5) { exit 1 }' "$work/scores.tsv" \
  || fail "--scores-out has a line that is not five fields with a score in [0, 1]"

# check: the model's score and its features as spans, never the message's text.
out="$(echo '{"id":"m1","text":"turn on your cam for me"}' | cs check --jsonl --model "$work/a.csm")"
grep -q '"model":{"score":' <<<"$out" || fail "check --jsonl --model printed no model score"
grep -q '"features":\[{"kind":' <<<"$out" || fail "check --jsonl --model printed no features"
[ "$(grep -o 'cam for me' <<<"$out" | wc -l)" -eq 0 ] || fail "the verdict repeats the message text"
out="$(cs explain --model "$work/a.csm" "turn on your cam for me")"
grep -q '^model: score .* (threshold 0\.[0-9]*)$' <<<"$out" || fail "explain shows no model and threshold: $out"

# conversation level
cs train --level conversation --corpus Examples/corpus/conversations.jsonl --folds 2 --window 8 \
  --out "$work/c.csm" >/dev/null
strings "$work/c.csm" | grep -q 'participants true' || fail "a conversation model does not read who talks to whom by default"
set +e
msg="$(scripts/childsafe train --level message --participants --corpus Examples/corpus/messages.jsonl --out "$work/p.csm" 2>&1 >/dev/null)"
set -e
grep -q 'use it with --level conversation' <<<"$msg" || fail "--participants at message level was accepted: $msg"
out="$(head -n1 Examples/corpus/conversations.jsonl | cs conversation --explain --model "$work/c.csm" --model "$work/a.csm")"
grep -q 'model: best window score' <<<"$out" || fail "conversation --explain shows no model score"
out="$(head -n1 Examples/corpus/conversations.jsonl | cs conversation --model "$work/c.csm")"
grep -q '"model_score":' <<<"$out" || fail "conversation prints no model_score"

# eval: rules and rules + model side by side.
cs eval --corpus Examples/corpus/messages.jsonl --model "$work/a.csm" --format json >"$work/eval.json"
python3 - "$work/eval.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
assert "baseline" in report and "delta" in report, "eval --model has no rules-only baseline"
assert report["settings"]["models"], "eval --model does not record the model"
names = [row["name"] for row in report["model_comparison"]]
assert names == ["rules", "model", "rules + model"], names
PY
cs eval --corpus Examples/corpus/messages.jsonl --model "$work/a.csm" >"$work/eval.md"
grep -q '^| rules + model |' "$work/eval.md" || fail "eval --model prints no rules / model / both table"

# Bad model files: clear errors, exit status 2.
printf 'not a model' >"$work/foreign.csm"
set +e
msg="$(scripts/childsafe check --model "$work/foreign.csm" "hi" 2>&1 >/dev/null)"; status=$?
set -e
[ "$status" -ne 0 ] || fail "a foreign model file was accepted"
grep -q 'not a valid ChildSafe model' <<<"$msg" || fail "unclear error for a foreign file: $msg"
head -c 3000 "$work/a.csm" >"$work/truncated.csm"
set +e
msg="$(scripts/childsafe check --model "$work/truncated.csm" "hi" 2>&1 >/dev/null)"
set -e
grep -q 'truncated\|checksum\|holds' <<<"$msg" || fail "unclear error for a truncated file: $msg"
set +e
msg="$(scripts/childsafe check --model "$work/a.csm" --model "$work/b.csm" "hi" 2>&1 >/dev/null)"
set -e
grep -q 'second message-level model' <<<"$msg" || fail "two message-level models were accepted: $msg"

real="$root/../shared/corpus/real/dev"
if [ -d "$real" ]; then
  cs train --level conversation --corpus "$real/pan12-vtpan-segments-en.jsonl" \
    --corpus "$real/chatterbot-corpus-conversations.jsonl" --out "$work/real.csm" >"$work/real.md"
  grep -q '^| pan12-vtpan-segments-en.jsonl | 125 | 859 |' "$work/real.md" || fail "no figures for the real dev split"
  echo "model: trained on the real dev split"
else
  echo "model: SKIP real-corpus training: ../shared/corpus/real is absent"
fi
echo "model: ok"
