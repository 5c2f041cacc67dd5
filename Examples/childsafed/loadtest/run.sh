#!/usr/bin/env bash
# Load test of childsafed's /v1/classify with wrk (Debian package `wrk`), on loopback only.
# Builds the daemon in release mode, starts it on a free loopback port, runs wrk, samples the
# daemon's resident memory once a second, and prints throughput, latency and memory figures.
#
#   Examples/childsafed/loadtest/run.sh                       # 30 s, a new conversation per request
#   DURATION=120s CONNECTIONS=64 Examples/childsafed/loadtest/run.sh
#   REQUESTS_TARGET=1000000 Examples/childsafed/loadtest/run.sh   # run until >= 1M conversations were sent
#   NO_CONVERSATION=1 Examples/childsafed/loadtest/run.sh     # stateless classification
#   SCRIPT=url.lua Examples/childsafed/loadtest/run.sh        # POST /v1/url instead
#
# Variables: DURATION (30s), WARMUP (20s), CONNECTIONS (32), THREADS (1: the daemon needs the other core),
# MAX_CONVERSATIONS (100000), CONVERSATIONS (0 = a new one per request), REQUESTS_TARGET (unset),
# DAEMON_ARGS (extra flags for childsafed), CHILDSAFED (a built binary to run instead of building one),
# SCRIPT (the wrk script in this directory: classify.lua, the default, or url.lua).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
package="$root/Examples/childsafed"
command -v wrk >/dev/null || "$root/scripts/bootstrap.sh" wrk
"$root/scripts/bootstrap.sh" curl

if [ -n "${CHILDSAFED:-}" ]; then
  bin="$CHILDSAFED"  # a given binary, e.g. to compare two builds run after run
else
  # As docs/daemon.md builds it: with its own Swift runtime (a fifth less CPU per request than
  # calling the shared runtime's libraries).
  swift build -c release --static-swift-stdlib --package-path "$package" --product childsafed >&2
  bin="$(swift build -c release --static-swift-stdlib --package-path "$package" --show-bin-path)/childsafed"
fi

work="$(mktemp -d)"
pid=""
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck disable=SC2086
"$bin" --listen 127.0.0.1:0 --max-conversations "${MAX_CONVERSATIONS:-100000}" --log-level notice ${DAEMON_ARGS:-} \
  >"$work/log" 2>&1 &
pid=$!
port=""
for _ in $(seq 1 100); do
  port="$(grep -so 'address=127\.0\.0\.1:[0-9]*' "$work/log" | head -1 | cut -d: -f2 || true)"
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/log" >&2; exit 1; }
url="http://127.0.0.1:$port"
echo "childsafed pid $pid on $url; $(nproc) cores"

rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
# CPU time the daemon used (user + system, all threads), in clock ticks: with the request count it gives
# the CPU cost of a request, a figure that other jobs on a shared machine disturb much less than req/s.
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz="$(getconf CLK_TCK)"
# Context switches of all the daemon's threads (voluntary and not): each is a thread that slept
# (on epoll, a lock, a futex) or was preempted.
switches() { cat /proc/"$pid"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {n += $2} END {print n + 0}'; }
cost() { # REQUESTS TICKS SWITCHES: "N µs of daemon CPU per request, M context switches per request"
  awk -v r="$1" -v t="$2" -v s="$3" -v hz="$hz" \
    'BEGIN { if (r > 0) printf "%.1f µs of daemon CPU per request, %.2f context switches per request", t / hz * 1e6 / r, s / r }'
}
( while kill -0 "$pid" 2>/dev/null; do echo "$(date +%s) $(rss)"; sleep 1; done ) >"$work/rss" &
sampler=$!

# Warm-up: fill the conversation table and let the allocator reach its working set, so that the
# figures below are of the steady state (WARMUP, default 20s).
script="$here/${SCRIPT:-classify.lua}"
wrk -t1 -c32 -d"${WARMUP:-20s}" -s "$script" "$url" >/dev/null
rss_start="$(rss)"
echo "RSS after warm-up: $((rss_start / 1024)) MiB; conversations: $(curl -s "$url/healthz" | grep -o '"live":[0-9]*')"

run() {
  local before switched out n
  before="$(ticks)"
  switched="$(switches)"
  out="$(wrk -t"${THREADS:-1}" -c"${CONNECTIONS:-32}" -d"${DURATION:-30s}" --latency -s "$script" "$url")"
  n="$(echo "$out" | awk '/^requests:/ {gsub(",", "", $2); print $2}')"
  echo "$out"
  echo "daemon: $(cost "$n" $(( $(ticks) - before )) $(( $(switches) - switched ))); load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
total=0
if [ -n "${REQUESTS_TARGET:-}" ]; then
  while [ "$total" -lt "$REQUESTS_TARGET" ]; do
    out="$(run)"
    echo "$out" | grep -E "Requests/sec|requests:|latency p50|^daemon:"
    total=$((total + $(echo "$out" | awk '/^requests:/ {gsub(",", "", $2); print $2}')))
    echo "  total requests so far: $total; RSS $(( $(rss) / 1024 )) MiB"
  done
else
  run
fi
rss_end="$(rss)"
kill "$sampler" 2>/dev/null || true
sampler=""
echo "RSS: after warm-up $((rss_start / 1024)) MiB, at the end $((rss_end / 1024)) MiB," \
  "peak $(( $(awk '{print $2}' "$work/rss" | sort -n | tail -1) / 1024 )) MiB"
curl -s "$url/metrics" | grep -E '^childsafed_(conversations|conversation_evictions_total)'
