#!/usr/bin/env bash
# Alternates load tests of two childsafed builds, run after run, and prints one line per run: the
# way the figures in docs/daemon.md were taken. On a shared machine the speed drifts from one minute
# to the next, so only runs made back to back, alternated, compare two builds fairly.
#
#   Examples/childsafed/loadtest/compare.sh BEFORE AFTER              # 3 rounds, 3 s warm-up, 10 s runs
#   ROUNDS=5 NO_CONVERSATION=1 Examples/childsafed/loadtest/compare.sh BEFORE AFTER
#
# BEFORE and AFTER are built daemons (e.g. `swift build -c release --static-swift-stdlib` of two
# checkouts, copied aside). Every variable of run.sh applies (NO_CONVERSATION, CONVERSATIONS, SCRIPT,
# CONNECTIONS, DAEMON_ARGS...); WARMUP and DURATION default to 3s and 10s here.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: compare.sh BEFORE AFTER (two childsafed binaries)" >&2; exit 2; }
here="$(cd "$(dirname "$0")" && pwd)"
for bin in "$1" "$2"; do
  [ -x "$bin" ] || { echo "compare.sh: $bin is not an executable" >&2; exit 2; }
done
export WARMUP="${WARMUP:-3s}" DURATION="${DURATION:-10s}"
printf '%-6s %-6s %10s %9s %12s %18s\n' round build "requests/s" p99 "CPU/request" "switches/request"
for round in $(seq 1 "${ROUNDS:-3}"); do
  for which in before after; do
    if [ "$which" = before ]; then bin="$1"; else bin="$2"; fi
    out="$(CHILDSAFED="$bin" "$here/run.sh" 2>&1)" || { echo "$out" >&2; exit 1; }
    rate="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
    p99="$(sed -n 's/^latency .* p99 \([0-9.]* ms\).*/\1/p' <<<"$out")"
    cpu="$(sed -n 's/^daemon: \([0-9.]* µs\) of daemon CPU.*/\1/p' <<<"$out")"
    switches="$(sed -n 's/.*, \([0-9.]*\) context switches per request.*/\1/p' <<<"$out")"
    printf '%-6s %-6s %10s %9s %12s %18s\n' "$round" "$which" "$rate" "$p99" "$cpu" "$switches"
  done
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
