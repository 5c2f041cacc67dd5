#!/usr/bin/env bash
# What long runs print: scripts/test (a header per check, a summary counting passed, failed and skipped
# checks that repeats what was skipped, the end of a failing check's log), scripts/childsafe (no build
# lines when nothing is rebuilt) and `childsafe eval` (progress on a terminal's stderr, none when piped).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "long-runs: $*" >&2; exit 1; }

# scripts/test on made-up checks: one passes, one skips part of its work, one is skipped, one fails.
mkdir "$work/checks"
printf 'echo fine\n' >"$work/checks/a-pass.sh"
printf 'echo "part: skipped the corpus checks: ../shared/corpus is absent"\n' >"$work/checks/b-partial.sh"
printf 'echo "needs the network"; exit 77\n' >"$work/checks/c-skip.sh"
printf 'for i in $(seq 100); do echo "line $i"; done\necho "the reason it failed" >&2; exit 3\n' >"$work/checks/d-fail.sh"
status=0
TEST_CHECKS="$work/checks" TEST_LOGS="$work/logs" scripts/test a-pass b-partial c-skip d-fail >"$work/test.out" 2>&1 \
  || status=$?
[ "$status" = 1 ] || fail "scripts/test with a failing check exited $status: $(cat "$work/test.out")"
for line in "check 1 of 4: a-pass" "check 4 of 4: d-fail" "  skipped: needs the network" \
  "summary: 4 checks: 2 passed, 1 failed, 1 skipped" "  failed: d-fail" "  skipped checks: c-skip" \
  "    b-partial: part: skipped the corpus checks: ../shared/corpus is absent" "  | the reason it failed"; do
  grep -qxF -- "$line" "$work/test.out" || fail "scripts/test printed no line '$line':"$'\n'"$(cat "$work/test.out")"
done
! grep -q "line 50$" "$work/test.out" || fail "scripts/test printed the whole log of the failing check"
grep -q "line 100$" "$work/logs/d-fail.log" || fail "the failing check's log is incomplete"
! grep -q "^fine" "$work/test.out" || fail "scripts/test printed the output of a passing check"

# scripts/childsafe: the second call has nothing to build and prints only the command's output.
CHILDSAFE_CONFIGURATION=debug scripts/childsafe --version >/dev/null 2>&1 || fail "scripts/childsafe --version failed"
CHILDSAFE_CONFIGURATION=debug scripts/childsafe --version >"$work/version.out" 2>"$work/version.err"
[ ! -s "$work/version.err" ] || fail "scripts/childsafe printed build lines with nothing to build: $(cat "$work/version.err")"
[ "$(cat "$work/version.out")" != "" ] || fail "scripts/childsafe --version printed nothing"

# eval: a progress bar on a terminal's standard error (script(1) provides the terminal), nothing piped.
bin="$(swift build --show-bin-path)/childsafe"
"$bin" eval --corpus Examples/corpus --format json >"$work/report.json" 2>"$work/eval.err"
[ ! -s "$work/eval.err" ] || fail "eval wrote to a non-terminal stderr: $(cat "$work/eval.err")"
if command -v script >/dev/null 2>&1; then
  script -qec "'$bin' eval --corpus Examples/corpus --format json >'$work/tty-report.json'" /dev/null >"$work/tty.out"
  grep -q '100% ' "$work/tty.out" || fail "eval showed no progress on a terminal: $(od -c "$work/tty.out" | head)"
  cmp -s "$work/report.json" "$work/tty-report.json" || fail "the progress bar changed the report"
else
  echo "long-runs: skipped eval's progress on a terminal: script(1) is not installed"
fi
echo "long-runs: ok"
