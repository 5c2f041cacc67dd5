#!/usr/bin/env bash
# Privacy audit of the CLI (issue 10): runs `check --jsonl` (with interventions when the CLI has
# them), `conversation --jsonl` and `url --jsonl` over the development corpus and asserts that no
# message text appears on stderr or in any verdict or intervention payload, that no URL appears on
# stderr (stdout of `url` answers the caller about its own URL, so it is the one place a URL may be),
# and that nothing is written to disk (the CLI keeps no log, cache or state: HOME and the working
# directory are empty temporary directories and stay empty).
# The daemon's trace-level log and metrics get the same check in tests.d/daemon.sh ("Privacy").
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
swift build --product childsafe 2>&1 | grep -E "error" || true
cs="$(swift build --show-bin-path)/childsafe"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "privacy.sh: FAIL: $*" >&2; exit 1; }
command -v python3 >/dev/null || scripts/bootstrap.sh python3

corpus="${CHILDSAFE_CORPUS:-$root/../shared/corpus}"
messages="$corpus/dev-messages.jsonl"
conversations="$corpus/dev-conversations.jsonl"
if [ ! -f "$messages" ] || [ ! -f "$conversations" ]; then
  # A fresh machine without the shared corpus: a few made-up lines in the same formats.
  echo "privacy.sh: skipped the development corpus (none at $corpus); using made-up lines"
  messages="$work/messages.jsonl"
  conversations="$work/conversations.jsonl"
  printf '%s\n' '{"id":"a","lang":"en","text":"dont tell ur parents about us ok, its our little secret","labels":["secrecy"]}' \
    '{"id":"b","lang":"en","text":"how old are you? are you home alone right now","labels":["age_probe"]}' \
    '{"id":"c","lang":"en","text":"see you at practice tomorrow, bring your cleats","labels":[]}' >"$messages"
  printf '%s\n' '{"id":"c1","lang":"en","participants":{"A":{"age":34},"B":{"age":12}},"messages":[{"from":"A","t":0,"text":"hey how old r u"},{"from":"B","t":5,"text":"twelve why do you ask"},{"from":"A","t":9,"text":"dont tell ur mom we talk ok"}]}' >"$conversations"
fi

# Needles: every message text, and every 24-byte stretch of it starting at a word (so that a
# truncated or partial echo is caught too), plus the URLs built below.
python3 - "$messages" "$conversations" "$work" <<'PY'
import json, sys, urllib.parse
messages, conversations, work = sys.argv[1:4]
texts = []
for line in open(messages, encoding="utf-8"):
    if line.strip():
        texts.append(json.loads(line)["text"])
for line in open(conversations, encoding="utf-8"):
    if line.strip():
        texts += [m["text"] for m in json.loads(line)["messages"]]
needles = set()
for t in texts:
    if len(t) >= 12:
        needles.add(t)
    for i, c in enumerate(t):
        if (i == 0 or t[i - 1] == " ") and len(t) - i >= 24:
            needles.add(t[i:i + 24])
open(f"{work}/text-needles", "w", encoding="utf-8").write("\n".join(sorted(needles)) + "\n")
# URLs a child might visit, made from the corpus: a host from the first words, the text as path and query.
urls, url_needles = [], set()
for k, t in enumerate(texts[:200]):
    words = [w for w in "".join(c if c.isalnum() else " " for c in t.lower()).split() if w.isascii()]
    if len(words) < 3:
        continue
    host = f"{words[0]}-{words[1]}-{k}.example"
    url = f"https://{host}/{'/'.join(words[2:6])}?q={urllib.parse.quote(t)}"
    urls.append(url)
    url_needles.update([host, url])
open(f"{work}/urls.jsonl", "w").write("".join(json.dumps({"id": k, "url": u}) + "\n" for k, u in enumerate(urls)))
open(f"{work}/url-needles", "w").write("\n".join(sorted(url_needles)) + "\n")
print(f"privacy.sh: {len(texts)} texts, {len(needles)} text needles, {len(urls)} URLs")
PY

home="$work/home"
cwd="$work/cwd"
mkdir -p "$home" "$cwd"
run() { (cd "$cwd" && HOME="$home" XDG_CACHE_HOME="$home/.cache" "$cs" "$@"); }

# Interventions (deterrence messages, signposts) are part of check's output when the CLI has them.
extra=()
if "$cs" check --help 2>&1 | grep -q -- "--country"; then extra+=(--country GB); fi
if "$cs" check --help 2>&1 | grep -q -- "--locale"; then extra+=(--locale en); fi

run check --jsonl "${extra[@]}" <"$messages" >"$work/check.out" 2>"$work/check.err"
run check --jsonl --sender-age 35 --recipient-age 12 "${extra[@]}" <"$messages" >"$work/check-ages.out" 2>"$work/check-ages.err"
run conversation --jsonl <"$conversations" >"$work/conv.out" 2>"$work/conv.err"
# A list with bad lines makes the URL command write warnings to stderr: they may name list lines,
# never the URLs checked.
printf 'bad line here\n||x.example^$third-party\nblocked-host.example\n' >"$work/test.list"
run url --jsonl --lists "$work/test.list" --with-defaults <"$work/urls.jsonl" >"$work/url.out" 2>"$work/url.err"
cut -d'"' -f8 "$work/urls.jsonl" | run url --jsonl >"$work/url-plain.out" 2>"$work/url-plain.err"

# The needles must be able to match: url --jsonl echoes each URL on stdout by design.
grep -qF -f "$work/url-needles" "$work/url.out" || fail "the URL needles match nothing, not even the echo on stdout"
flagged=$(grep -c '"flagged":true' "$work/check-ages.out" || true)
[ "$(wc -l <"$work/check.out")" -eq "$(grep -c . "$messages")" ] || fail "check --jsonl did not answer every line"
[ "$flagged" -gt 0 ] || fail "nothing was flagged: the audit would not see any intervention payload"
[ -s "$work/url.out" ] && [ -s "$work/conv.out" ] || fail "a command gave no output"
if [ ${#extra[@]} -gt 0 ]; then
  grep -q '"interventions":\[{' "$work/check-ages.out" || fail "no intervention payload in the output: the audit would not cover them"
fi
[ -s "$work/url.err" ] || fail "the list warnings did not reach stderr (the stderr check would be empty)"

for f in check.out check.err check-ages.out check-ages.err conv.out conv.err url.err url-plain.err; do
  if grep -qF -f "$work/text-needles" "$work/$f"; then
    fail "message text in $f: $(grep -oF -f "$work/text-needles" "$work/$f" | head -3 | tr '\n' '|')"
  fi
done
for f in check.out check.err check-ages.out check-ages.err conv.out conv.err url.err url-plain.err; do
  if grep -qF -f "$work/url-needles" "$work/$f"; then
    fail "a URL in $f: $(grep -oF -f "$work/url-needles" "$work/$f" | head -3 | tr '\n' '|')"
  fi
done
written="$(find "$home" "$cwd" -mindepth 1)"
[ -z "$written" ] || fail "the CLI wrote files: $written"
echo "privacy.sh: ok ($(grep -c . "$messages") messages, $flagged flagged with ages, $(wc -l <"$work/urls.jsonl") URLs; no text or URL on stderr or in verdicts, nothing written to disk)"
