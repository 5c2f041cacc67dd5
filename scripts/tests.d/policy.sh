#!/usr/bin/env bash
# End-to-end checks of `childsafe defaults` and `childsafe policy` (exit codes, located errors, JSON).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build --product childsafe >/dev/null
bin="$(swift build --show-bin-path)/childsafe"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "policy.sh: $*" >&2; exit 1; }
json_get() { python3 -c "import json,sys; d=json.load(sys.stdin); print(json.dumps(d$1))"; }

# Defaults: unknown age, bands, boundaries.
[ "$("$bin" defaults --json | json_get '["age_assured"]')" = "false" ] || fail "unknown age must not be assured"
[ "$("$bin" defaults --json | json_get '["band"]')" = '"13-15"' ] || fail "unknown age must get 13-15"
[ "$("$bin" defaults --band 13-15 --json | json_get '["quiet_hours"]')" = '{"start": "21:00", "end": "07:00"}' ] || fail "13-15 quiet hours"
for pair in 5:0-5 6:6-9 9:6-9 10:10-12 12:10-12 13:13-15 15:13-15 16:16-17 17:16-17 18:18+; do
  age="${pair%%:*}"; band="${pair#*:}"
  [ "$("$bin" defaults --age "$age" --json | json_get '["band"]')" = "\"$band\"" ] || fail "age $age should be $band"
done
[ "$("$bin" defaults --birth-date 2012-02-29 --on 2025-02-28 --json | json_get '["age"]')" = "12" ] || fail "leap-day birthday"
"$bin" defaults --age 9 | grep -q "Safe search" || fail "human table"
if "$bin" defaults --band 13-16 2>/dev/null; then fail "a bad band must fail"; fi
# A negative age is out of range (not "Missing value", as if -3 were an option).
if "$bin" defaults --age -3 2>"$tmp/age.err"; then fail "a negative age must fail"; fi
grep -q "^Error: --age must be from 0 to 150" "$tmp/age.err" || fail "negative age: $(cat "$tmp/age.err")"

# The example policy lints clean and shows a child's effective settings.
"$bin" policy lint Rules/family.policy --on 2026-11-29 >"$tmp/lint.out" 2>&1
grep -q "OK, 4 children" "$tmp/lint.out" || fail "example policy must lint clean"
if grep -q "warning" "$tmp/lint.out"; then fail "example policy must lint without warnings: $(cat "$tmp/lint.out")"; fi
# A [family] line that loosens a younger child's default is a warning naming the child (exit 0).
printf '[family]\nbreak_reminder_minutes = 45\n[child Ann]\nage = 14\n[child Ben]\nage = 7\n' >"$tmp/family.policy"
"$bin" policy lint "$tmp/family.policy" --on 2026-11-29 >"$tmp/lint.out" 2>&1 || fail "a warning must not fail lint"
grep -q "family.policy:2:1: warning: this \[family\] line loosens break_reminder_minutes for Ben (6-9)" "$tmp/lint.out" \
  || fail "family loosening warning: $(cat "$tmp/lint.out")"
"$bin" policy show Rules/family.policy --child Sam --on 2026-11-29 --json >"$tmp/sam.json"
[ "$(json_get '["overridden"]' <"$tmp/sam.json")" = '["blocked_categories"]' ] || fail "Sam's override"
"$bin" policy show Rules/family.policy --child Sam --on 2026-11-29 | grep -q "LOOSENED" || fail "human show"

# A bad policy: non-zero exit and located messages on standard error.
printf '[family]\ncontry = GB\nquiet_hours = 21:00-25:00\n[child Sam]\nage = 11\nmessages_from = everyone\n' >"$tmp/bad.policy"
if "$bin" policy lint "$tmp/bad.policy" --on 2026-11-29 2>"$tmp/err"; then fail "bad policy must fail lint"; fi
grep -q "bad.policy:2:1: error: unknown setting 'contry'; did you mean 'country'?" "$tmp/err" || fail "unknown key message"
grep -q "bad.policy:3:21: error: quiet_hours: 25:00 is not a time of day" "$tmp/err" || fail "time message"
grep -q "bad.policy:6:1: error: messages_from is locked" "$tmp/err" || fail "locked message"
if "$bin" policy show "$tmp/bad.policy" --child Sam 2>/dev/null; then fail "bad policy must not be shown"; fi
echo "policy.sh: ok"
