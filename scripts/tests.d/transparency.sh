#!/usr/bin/env bash
# `childsafe transparency`: a report from a stream of messages and URLs holds counts only (no text,
# ids, conversation ids or URLs in any format), suppresses small counts, and reads back the counts
# a service saved.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "transparency.sh: $*" >&2; exit 1; }
swift build --product childsafe >/dev/null
bin="$(swift build --show-bin-path)/childsafe"
traffic=Examples/transparency/sample-traffic.jsonl

for format in markdown json html; do
  "$bin" transparency --messages "$traffic" --on 2026-12-06 --format "$format" --output "$tmp/report.$format"
  # Every text, id, conversation id and URL of the input must be absent from the report.
  python3 - "$traffic" "$tmp/report.$format" <<'PY' || fail "$format report leaks its input"
import json, sys
report = open(sys.argv[2], encoding="utf-8").read()
leaks = set()
for line in open(sys.argv[1], encoding="utf-8"):
    item = json.loads(line)
    for key in ("text", "id", "conversation", "url"):
        value = item.get(key)
        if isinstance(value, str) and len(value) > 2 and value in report:
            leaks.add(value)
    if "url" in item:
        host = item["url"].split("/")[2]
        if host in report:
            leaks.add(host)
if leaks:
    print("leaked:", sorted(leaks), file=sys.stderr)
    sys.exit(1)
PY
done

json_get() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps(d$2))" "$1"; }
[ "$(json_get "$tmp/report.json" '["period"]')" = '"2026-12"' ] || fail "period"
[ "$(json_get "$tmp/report.json" '["suppressed_below"]')" = "10" ] || fail "threshold"
[ "$(json_get "$tmp/report.json" '["totals"]["messages_checked"]')" = "79" ] || fail "messages checked: $(json_get "$tmp/report.json" '["totals"]')"
# The sample has 2 blocked URLs of 12 checked: suppressed, shown as "fewer than 10".
[ "$(json_get "$tmp/report.json" '["totals"]["urls_blocked"]')" = "null" ] || fail "2 blocked URLs must be suppressed"
grep -q '| URLs blocked | fewer than 10 |' "$tmp/report.markdown" || fail "Markdown suppression"
# A lower threshold is refused; a higher one suppresses more.
if "$bin" transparency --messages "$traffic" --threshold 5 2>/dev/null >/dev/null; then fail "--threshold 5 must be refused"; fi
"$bin" transparency --messages "$traffic" --on 2026-12-06 --threshold 20 --format json --output "$tmp/20.json"
[ "$(json_get "$tmp/20.json" '["totals"]["messages_flagged"]')" = "null" ] || fail "14 flagged must be suppressed at 20"

# Saved counts (TransparencyCounts JSON) are read back; a bad file names the problem.
printf '{"period":"2026-11","granularity":"month","messages_checked":500,"messages_flagged":12,"flagged_by_category":{"secrecy":12},"flagged_by_risk":{"high":12},"conversations_escalated":3,"interventions":{},"urls_checked":0,"urls_blocked":0,"urls_blocked_by_category":{},"age_bands":{"13-15":500}}\n' >"$tmp/counts.json"
"$bin" transparency --counts "$tmp/counts.json" --format json --output "$tmp/saved.json"
[ "$(json_get "$tmp/saved.json" '["flagged_by_category"]["secrecy"]')" = "12" ] || fail "saved counts"
[ "$(json_get "$tmp/saved.json" '["totals"]["conversations_escalated"]')" = "null" ] || fail "saved counts: 3 must be suppressed"
printf '{"period":"2026-11","granularity":"week"}\n' >"$tmp/bad.json"
if "$bin" transparency --counts "$tmp/bad.json" 2>"$tmp/err"; then fail "a bad counts file must fail"; fi
grep -q 'granularity' "$tmp/err" || fail "bad counts error: $(cat "$tmp/err")"
echo "transparency.sh: OK"
