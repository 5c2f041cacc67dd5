#!/usr/bin/env bash
# The operator's view of transparency reports: starts childsafed on a Unix socket, sends messages and
# URLs, reloads it, and fetches GET /v1/transparency in each format: the counts span the reload,
# small counts are suppressed, and no text, conversation id or URL appears in any of them.
# Needs curl and python3. Only a Unix socket is used.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
scripts/bootstrap.sh curl

package=Examples/childsafed
swift build --package-path "$package" --product childsafed 2>&1 | grep -E "error" || true
bin="$(swift build --package-path "$package" --show-bin-path)/childsafed"
[ -x "$bin" ] || { echo "daemon-transparency: build failed" >&2; exit 1; }

work="$(mktemp -d)"
daemon_pid=""
cleanup() {
  if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then kill -TERM "$daemon_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "daemon-transparency: FAIL: $*" >&2; exit 1; }

socket="$work/childsafed.sock"
"$bin" --listen none --socket "$socket" >"$work/log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 150); do
  [ -S "$socket" ] && break
  kill -0 "$daemon_pid" 2>/dev/null || break
  sleep 0.2
done
[ -S "$socket" ] || { cat "$work/log" >&2; fail "childsafed did not start"; }

call() { curl -s -m 60 --unix-socket "$socket" "$@"; }
send() {
  for i in $(seq "$1" "$2"); do
    call -o /dev/null -H 'Content-Type: application/json' \
      --data-binary "{\"id\":\"msg-$i\",\"text\":\"ur so mature for ur age, dont tell ur parents about us ok\",\"conversation\":\"conv-hidden-$((i % 3))\",\"sender_age\":34,\"recipient_age\":14}" \
      http://childsafed/v1/classify
  done
}
send 1 12
call -o /dev/null -H 'Content-Type: application/json' --data-binary '{"url":"http://adult-example.test/hidden-path"}' http://childsafed/v1/url
[ "$(call -o /dev/null -w '%{http_code}' -X POST http://childsafed/v1/reload)" = 200 ] || fail "reload"
send 13 24

call http://childsafed/v1/transparency >"$work/report.json"
call 'http://childsafed/v1/transparency?format=markdown' >"$work/report.md"
call 'http://childsafed/v1/transparency?format=html' >"$work/report.html"
python3 - "$work" <<'PY' || fail "report checks failed"
import json, sys
work = sys.argv[1]
report = json.load(open(f"{work}/report.json"))
assert report["totals"]["messages_checked"] == 24, report["totals"]
assert report["age_bands"]["13-15"] == 24, report["age_bands"]
assert report["suppressed_below"] == 10
# 1 URL blocked and 3 conversations escalated: suppressed.
assert report["totals"]["urls_blocked"] is None, report["totals"]
assert report["totals"]["conversations_escalated"] is None, report["totals"]
assert report["methodology"]["rule_packs"], report["methodology"]
for name in ("report.json", "report.md", "report.html"):
    text = open(f"{work}/{name}", encoding="utf-8").read()
    for secret in ("mature", "parents", "conv-hidden", "msg-1", "adult-example", "hidden-path"):
        assert secret not in text, f"{secret} in {name}"
assert "<h1>Transparency report: childsafed" in open(f"{work}/report.html").read()
PY
echo "daemon-transparency: OK (24 messages across a reload, suppression, no text/ids/URLs in JSON, Markdown, HTML)"
