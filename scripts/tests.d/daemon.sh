#!/usr/bin/env bash
# End-to-end test of the example daemon (Examples/childsafed): builds it, starts it on a free loopback
# port and on a Unix socket, and checks every endpoint, every error status, reload (HTTP and SIGHUP)
# with a good and a broken rules file, the conversation bound, that no message text or URL reaches
# the log even at trace level, slow-client timeouts, and a graceful SIGTERM that finishes a request
# in flight. Needs curl and jq (installed when missing). Only loopback and a Unix socket are used.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
scripts/bootstrap.sh curl jq

package=Examples/childsafed
echo "daemon: building childsafed (debug)"
swift build --package-path "$package" --product childsafed 2>&1 | grep -E "error|warning: .*childsafed" || true
bin="$(swift build --package-path "$package" --show-bin-path)/childsafed"
[ -x "$bin" ] || { echo "daemon: build failed" >&2; exit 1; }

work="$(mktemp -d)"
daemon_pid=""
cleanup() {
  if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then kill -KILL "$daemon_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
checks=0
fail() {
  echo "daemon: FAIL: $*" >&2
  failures=$((failures + 1))
}
pass() { checks=$((checks + 1)); }

# logged FIXED-STRING: the daemon's log holds the string within 5 s. The daemon writes its log in
# batches, a few milliseconds after the lines were logged, so a line may not be there yet.
logged() {
  local _
  for _ in $(seq 1 250); do
    grep -qF -- "$1" "$log" && return 0
    sleep 0.02
  done
  return 1
}

# request METHOD PATH [BODY] [TRANSPORT]: sets $status, $body (file) and $headers (file).
# TRANSPORT is "tcp" (default) or "unix". The time limit is generous: a reload in a debug build on a
# busy machine takes several seconds.
body="$work/body"
headers="$work/headers"
request() {
  local method="$1" path="$2" data="${3-}" transport="${4:-tcp}" base target
  local args=(-s -m 60 -X "$method" -o "$body" -D "$headers" -w '%{http_code}')
  if [ "$transport" = unix ]; then
    args+=(--unix-socket "$socket")
    base="http://childsafed"
  else
    base="http://127.0.0.1:$port"
  fi
  target="$base$path"
  if [ -n "$data" ]; then args+=(-H 'Content-Type: application/json' --data-binary "$data"); fi
  status="$(curl "${args[@]}" "$target" || true)"
}

# expect NAME STATUS [JQ-FILTER...]: the last request answered STATUS and every filter holds on its body.
expect() {
  local name="$1" want="$2"
  shift 2
  if [ "$status" != "$want" ]; then
    fail "$name: status $status, expected $want; body: $(head -c 300 "$body")"
    return
  fi
  local filter
  for filter in "$@"; do
    if ! jq -e "$filter" "$body" >/dev/null 2>&1; then
      fail "$name: '$filter' does not hold on $(head -c 400 "$body")"
      return
    fi
  done
  pass
}

header_is() {
  local name="$1" header="$2" value="$3"
  if grep -qi "^$header: $value" "$headers"; then pass; else fail "$name: no '$header: $value' header"; fi
}

# ---------------------------------------------------------------------------------------------------
# Configuration: a rules directory with one small pack (extending the built-in ones), a family policy
# whose helpline must show up in interventions, a URL list.
rules="$work/rules"
mkdir -p "$rules/grooming"
# Its own file name, so that it adds to the built-in grooming/en.rules instead of replacing it.
pack="$rules/grooming/daemon-test.rules"
write_good_pack() {
  cat >"$pack" <<'EOF'
@pack en
# A test pack for the daemon's integration test.
rule test.daemon_secret secrecy 0.9
  match: keep ..2 (secret|between us)
  unless: surprise | party | birthday
EOF
}
write_good_pack
policy="$work/family.policy"
write_good_policy() {
  printf '[family]\nlocale = en-GB\ncountry = GB\nchild_helpline = Daemon Test Kids Line | 0800 000 111 | https://kids-line.example\n' >"$policy"
}
write_good_policy
# A URL list: one category, one domain, one line the filter skips with a warning (adblock options).
urllist="$work/test.list"
printf '#! category: gambling\ncasino-daemon-test.example\n||tracker-daemon-test.example^$third-party\n' >"$urllist"
socket="$work/childsafed.sock"
log="$work/childsafed.log"

# The command line: generated help naming every variable, errors naming the flag (status 64).
"$bin" --help >"$work/help" && grep -q 'CHILDSAFED_MAX_CONVERSATIONS' "$work/help" && pass ||
  fail "--help does not name the environment variables"
status=0
CHILDSAFED_LOG_LEVEL=loud "$bin" >/dev/null 2>"$work/usage" || status=$?
[ "$status" = 64 ] && grep -q -- '--log-level: unknown level' "$work/usage" && pass ||
  fail "a bad CHILDSAFED_LOG_LEVEL: status $status, $(cat "$work/usage")"

# Some settings come from the environment, as in a container: the conversation bound and the
# trace-level privacy checks below depend on them being honoured (a flag would win over them).
CHILDSAFED_MAX_CONVERSATIONS=3 CHILDSAFED_LOG_LEVEL=trace CHILDSAFED_LISTS="$urllist" \
  "$bin" --listen 127.0.0.1:0 --socket "$socket" --rules "$rules" --policy "$policy" \
  --max-body-bytes 4096 --conversation-ttl 600 --request-timeout 2 --idle-timeout 3 >"$log" 2>&1 &
daemon_pid=$!

port=""
for _ in $(seq 1 150); do
  port="$(grep -o 'address=127\.0\.0\.1:[0-9]*' "$log" 2>/dev/null | head -1 | cut -d: -f2 || true)"
  if [ -n "$port" ] && [ -S "$socket" ] && grep -q "address=unix:" "$log"; then break; fi
  kill -0 "$daemon_pid" 2>/dev/null || break
  sleep 0.2
done
if [ -z "$port" ] || [ ! -S "$socket" ]; then
  echo "daemon: childsafed did not start; its log:" >&2
  cat "$log" >&2
  exit 1
fi
echo "daemon: childsafed pid $daemon_pid on 127.0.0.1:$port and $socket"

# Texts and URLs sent below; none may appear in the log.
secret_texts=(
  "hey you seem really mature, keep this between us ok lanternfish"
  "what school do you go to marigold-77"
  "happy birthday, keep the party a secret from your sister quokka"
  "ur so pretty send a pic velvetmoth"
)
secret_urls=("https://private.example.net/search?q=tangerine-otter" "http://another.example.org/plum-heron"
  "http://www.casino-daemon-test.example/roulette-night")

# --- GET /healthz -----------------------------------------------------------------------------------
request GET /healthz
expect "healthz" 200 '.status == "ok"' '.generation == 1' '.rules.files == 1' '(.rules.version | type) == "string"' \
  '.rules.source == ["'"$rules"'"]' '(.lists.version | type) == "string"' '.lists.files == 1' '.lists.warnings == 1' \
  '.policy.files == 1' \
  '.last_reload_error == null' '.conversations.capacity == 3' '(.version | type) == "string"'
header_is "healthz" Content-Type "application/json"
request GET /healthz "" unix
expect "healthz over the socket" 200 '.status == "ok"'

# --- POST /v1/classify --------------------------------------------------------------------------------
request POST /v1/classify '{"id":"m1","text":"'"${secret_texts[1]}"'","sender_age":13,"recipient_age":14,"lang":"en"}'
expect "classify" 200 '.id == "m1"' '(.flagged | type) == "boolean"' \
  '.risk as $r | ["none","low","medium","high","critical"] | index($r) != null' \
  '(.score >= 0 and .score <= 1)' '(.categories | type) == "array"' '(.matches | type) == "array"' \
  '.conversation == null' 'keys_unsorted[0:6] == ["id","flagged","risk","score","categories","matches"]'
request POST /v1/classify '{"id":"clean","text":"see you at practice tomorrow, bring your cleats","sender_age":12,"recipient_age":12}'
expect "a benign message comes back clean" 200 '.flagged == false' '.risk == "none"' '.categories == []' \
  '.matches == []' 'has("interventions") | not'
# An adult grooming a 12-year-old: flagged with secrecy, its spans inside the text, and interventions
# for the sender, the child and the guardian (with the policy's helpline), none quoting the text. The
# next two, a minute apart in the same conversation, are rate-limited as in `childsafe check --jsonl`.
grooming_bytes="$(printf '%s' "${secret_texts[0]}" | wc -c)"
for n in 1 2 3; do
  request POST /v1/classify '{"id":'"$n"',"text":"'"${secret_texts[0]}"'","conversation":"conv-a","from":"u-adult","sender_age":34,"recipient_age":12,"t":'"$((n * 60))"'}'
  expect "grooming in a conversation ($n)" 200 ".id == $n" ".conversation.messages == $n" '.flagged == true' \
    '.categories | index("secrecy") != null' '.conversation.risky_sender == "u-adult"' \
    "all(.matches[]; .start >= 0 and .start < .end and .end <= $grooming_bytes)"
  if [ "$n" = 1 ]; then
    expect "interventions for the three audiences" 200 '[.interventions[].audience] == ["sender","recipient","guardian"]' \
      'all(.interventions[]; .conversation == "conv-a" and (.message | length) > 0)' \
      '[.interventions[] | select(.audience == "recipient") | .signpost.name] == ["Daemon Test Kids Line"]' \
      '[.interventions[] | tostring | contains("lanternfish") or contains("between us")] | any | not'
  else
    expect "interventions rate-limited in the conversation ($n)" 200 'has("interventions") | not'
  fi
done
request POST /v1/classify '{"id":"b1","text":"'"${secret_texts[2]}"'","conversation":"conv-b","sender_age":12,"recipient_age":12}' unix
expect "classify over the socket" 200 '.id == "b1"' '.conversation.messages == 1'
request POST /v1/classify '{"text":"'"${secret_texts[3]}"'","context":"query"}'
expect "classify a search query" 200 '.id == null' '.conversation == null'

# The conversation table holds at most 3 (--max-conversations 3): the least recently used go first.
for n in 1 2 3 4 5 6; do
  request POST /v1/classify '{"text":"hi","conversation":"bulk-'"$n"'"}'
done
request GET /healthz
expect "conversation bound" 200 '.conversations.live == 3'
request POST /v1/classify '{"text":"hi again","conversation":"conv-a"}'
expect "an evicted conversation starts over" 200 '.conversation.messages == 1'

# --- Errors on /v1/classify ---------------------------------------------------------------------------
request POST /v1/classify '{"id":"m2","text":'
expect "malformed JSON" 400 '.error.code == "syntax"' '(.error.message | length) > 0' '.error.line == 1'
header_is "malformed JSON" Content-Type "application/json"
request POST /v1/classify '{"id":"m3"}'
expect "missing text" 400 '.id == "m3"' '.error.code == "invalid_argument"'
request POST /v1/classify '{"id":"m4","text":"hi","sender_age":"twelve"}'
expect "bad age" 400 '.id == "m4"' '.error.code == "invalid_value"'
request POST /v1/classify '{"text":"hi","context":"email"}'
expect "bad context" 400 '.error.code == "invalid_value"'
request POST /v1/classify "$(printf '{"text":"%s"}' "$(head -c 5000 /dev/zero | tr '\0' a)")"
expect "body over --max-body-bytes" 413 '.error.code == "input_too_large"'
header_is "body over --max-body-bytes" Connection close
# The same without Content-Length (chunked): refused once 4096 bytes have arrived.
status="$(head -c 6000 /dev/zero | tr '\0' a | curl -s -m 10 -o "$body" -D "$headers" -w '%{http_code}' \
  -X POST -T - -H 'Expect:' "http://127.0.0.1:$port/v1/classify" || true)"
expect "chunked body over --max-body-bytes" 413 '.error.code == "input_too_large"'
request GET /v1/classify
expect "wrong method" 405 '.error.code == "method_not_allowed"'
header_is "wrong method" Allow POST
request GET /v1/nothing-here
expect "unknown route" 404 '.error.code == "not_found"'
request POST /
expect "unknown route (root)" 404 '.error.code == "not_found"'

# --- Ids and log injection ----------------------------------------------------------------------------
# Client-supplied values are escaped in the log: a newline in a conversation id cannot forge a line.
request POST /v1/classify '{"id":"inj\n1","text":"'"${secret_texts[0]}"'","conversation":"inj\nFORGED-LINE level=critical \u001b[2J","sender_age":34,"recipient_age":12}'
expect "a conversation id with a newline" 200 '.flagged == true' '.id == "inj\n1"'
# The escaped line first: once it is written, so is everything logged before it.
logged 'conversation="inj\nFORGED-LINE level=critical \u001b[2J"' && pass ||
  fail "the conversation id is not in the log, escaped: $(grep 'FORGED' "$log" | head -2)"
if grep -q '^FORGED-LINE' "$log" || grep -q $'\e' "$log"; then
  fail "a conversation id forged a log line: $(grep -n 'FORGED-LINE' "$log" | head -2)"
else
  pass
fi
long_id="$(head -c 1000 /dev/zero | tr '\0' i)"
request POST /v1/classify '{"id":"'"$long_id"'","text":"hi"}'
expect "an id over 256 bytes" 400 '.error.code == "invalid_value"' 'has("id") | not'
request POST /v1/url '{"id":"'"$long_id"'","url":"https://example.org/"}'
expect "an id over 256 bytes (url)" 400 '.error.code == "invalid_value"' 'has("id") | not'
request POST /v1/classify '{"text":"hi","conversation":"'"$long_id"'"}'
expect "a conversation id over 256 bytes" 400 '.error.code == "invalid_value"'

# --- Expect: 100-continue ------------------------------------------------------------------------------
# curl sends "Expect: 100-continue" with a body over 1 KiB and waits for "100 Continue" before sending
# it; unanswered, it would wait --expect100-timeout (8 s here) and so run into -m 6.
expect_body='{"id":"e1","text":"'"$(head -c 2000 /dev/zero | tr '\0' a)"'"}'
status="$(curl -s -m 6 --expect100-timeout 8 -o "$body" -D "$headers" -w '%{http_code}' -H 'Expect: 100-continue' \
  -H 'Content-Type: application/json' --data-binary "$expect_body" "http://127.0.0.1:$port/v1/classify" || true)"
expect "Expect: 100-continue" 200 '.id == "e1"'
grep -q '^HTTP/1.1 100' "$headers" && pass || fail "Expect: 100-continue: no 100 Continue"
# Over --max-body-bytes (4096): 413 at once, and the body is never sent.
uploaded="$(curl -s -m 6 --expect100-timeout 8 -o "$body" -D "$headers" -w '%{http_code} %{size_upload}' \
  -H 'Expect: 100-continue' -H 'Content-Type: application/json' \
  --data-binary "$(printf '{"text":"%s"}' "$(head -c 5000 /dev/zero | tr '\0' a)")" "http://127.0.0.1:$port/v1/classify" || true)"
status="${uploaded% *}"
expect "Expect: 100-continue over the body limit" 413 '.error.code == "input_too_large"'
[ "${uploaded#* }" = 0 ] && pass || fail "Expect: 100-continue over the limit: ${uploaded#* } bytes of body sent"

# --- Malformed HTTP: refused by the HTTP parser, answered with a JSON error ------------------------------
# raw NAME BYTES: sends BYTES (printf %b escapes) on a new connection; sets $status, $headers and $body.
raw() {
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  # The server may answer and close before it has read everything: no SIGPIPE for the script.
  (trap '' PIPE; printf '%b' "$2" >&3) 2>/dev/null || true
  timeout 5 cat <&3 >"$work/raw" 2>/dev/null || true
  exec 3<&- 3>&-
  status="$(head -1 "$work/raw" | cut -d' ' -f2)"
  sed '/^\r$/q' "$work/raw" | tr -d '\r' >"$headers"
  sed '1,/^\r$/d' "$work/raw" >"$body"
}
# malformed_checks NAME WORD: the JSON error, whose message names the problem (contains WORD).
malformed_checks() {
  expect "$1" 400 '.error.code == "bad_request"' '(.error.message | startswith("malformed HTTP request"))' \
    "(.error.message | contains(\"$2\"))"
  header_is "$1" Content-Type "application/json"
  header_is "$1" Connection close
}
raw "bad Content-Length" 'POST /v1/classify HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n\r\n{"text":"pangolin-raw"}'
malformed_checks "bad Content-Length" Content-Length
raw "Content-Length and Transfer-Encoding" \
  'POST /v1/classify HTTP/1.1\r\nHost: x\r\nContent-Length: 24\r\nTransfer-Encoding: chunked\r\n\r\n{"text":"pangolin-raw"}'
malformed_checks "Content-Length and Transfer-Encoding" Transfer-Encoding
raw "oversized headers" "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: $(head -c 90000 /dev/zero | tr '\0' b)\r\n\r\n"
malformed_checks "oversized headers" "headers are too large"
raw "HTTP/2 preface" 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'
malformed_checks "HTTP/2 preface" "HTTP/2"
# A body that breaks the chunked framing halfway: the responder is reading it and answers the same way.
raw "invalid chunk size" 'POST /v1/classify HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"tex\r\nzz\r\n'
expect "invalid chunk size" 400 '.error.code == "bad_request"' '.error.message == "the request body could not be read"'
header_is "invalid chunk size" Connection close
request GET /healthz
expect "still serving after malformed requests" 200 '.status == "ok"'

# --- Pipelined requests: answered in the order they were sent ------------------------------------------
# /v1/classify is answered on the event loop, every other route in Swift concurrency: a classify
# request sent behind a /healthz one must still be answered after it.
pipelined_body='{"id":"p2","text":"hi"}'
raw "pipelined" "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nPOST /v1/classify HTTP/1.1\r\nHost: x\r\nContent-Length: ${#pipelined_body}\r\n\r\n${pipelined_body}POST /v1/classify HTTP/1.1\r\nHost: x\r\nContent-Length: ${#pipelined_body}\r\n\r\n${pipelined_body}GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
order="$(grep -ao '"status":"ok"\|"id":"p2"' "$work/raw" | tr '\n' ' ')"
[ "$order" = '"status":"ok" "id":"p2" "id":"p2" "status":"ok" ' ] && pass ||
  fail "pipelined requests: answers out of order or missing: $order"
[ "$(grep -ac '^Date: ' "$work/raw")" = 4 ] && pass || fail "pipelined requests: not every answer has a Date header"

# --- HTTP/1.0: the connection closes after the answer unless the request asks to keep it ------------
# (under 2 s: the idle timeout, 3 s here, would close it anyway)
http10() {
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf "$1" >&3
  if timeout 2 cat <&3 >"$work/raw"; then closed=yes; else closed=no; fi
  exec 3<&- 3>&-
}
http10 "POST /v1/classify HTTP/1.0\r\nContent-Length: ${#pipelined_body}\r\n\r\n${pipelined_body}"
[ "$closed" = yes ] && grep -aq '"id":"p2"' "$work/raw" && pass ||
  fail "HTTP/1.0: the connection was not closed after the answer (closed: $closed)"
http10 "POST /v1/classify HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: ${#pipelined_body}\r\n\r\n${pipelined_body}GET /healthz HTTP/1.0\r\n\r\n"
[ "$closed" = yes ] && grep -aqi '^Connection: keep-alive' "$work/raw" && grep -aq '"status":"ok"' "$work/raw" && pass ||
  fail "HTTP/1.0 keep-alive: expected the answer to say keep-alive and the next request to be answered (closed: $closed)"

# --- POST /v1/url --------------------------------------------------------------------------------------
request POST /v1/url '{"url":"'"${secret_urls[0]}"'"}'
expect "url, not listed" 200 '.blocked == false' '.reason == "not_listed"' '(.canonical | type) == "string"' \
  'has("category")' 'has("list")' 'has("rule")' 'has("url") | not'
request POST /v1/url '{"id":"u2","url":"'"${secret_urls[2]}"'"}' unix
expect "url on the block list, over the socket" 200 '.id == "u2"' '.blocked == true' '.category == "gambling"' \
  '.reason == "blocklist"' '.rule == "casino-daemon-test.example"'
request POST /v1/url '{"url":"'"${secret_urls[1]}"'"}'
expect "url, another" 200 '.blocked == false'
logged "list lines skipped" && pass || fail "the skipped list line is not reported in the log"
request POST /v1/url '{"link":"x"}'
expect "url without url" 400 '.error.code == "invalid_argument"'
request POST /v1/url 'not json'
expect "url malformed" 400 '.error.code == "syntax"'

# --- GET /v1/defaults ----------------------------------------------------------------------------------
request GET '/v1/defaults?age=9'
expect "defaults for 9" 200 '.age == 9' '(.band | type) == "string"' '.age_assured == true'
request GET /v1/defaults
expect "defaults, age unknown" 200 '.age == null' '.age_assured == false'
request GET '/v1/defaults?age=nine'
expect "defaults, bad age" 400 '.error.code == "invalid_value"'
request GET '/v1/defaults?age=400'
expect "defaults, age out of range" 400 '.error.code == "invalid_value"'
request GET '/v1/defaults?age=150'
expect "defaults, the oldest age accepted (as in sender_age)" 200 '.age == 150'
request GET '/v1/defaults?age=151'
expect "defaults, one year over" 400 '.error.code == "invalid_value"'

# --- Slow clients --------------------------------------------------------------------------------------
# A body that takes longer than --request-timeout (2 s) gets 408 and the connection is closed.
status="$( (sleep 3; echo '{"text":"late"}') | curl -s -m 10 -o "$body" -D "$headers" -w '%{http_code}' \
  -X POST -T - -H 'Expect:' "http://127.0.0.1:$port/v1/classify" || true)"
expect "slow body" 408 '.error.code == "request_timeout"'
# Headers that never complete: the connection is closed after --idle-timeout (3 s), not held open.
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n' >&3
if timeout 10 cat <&3 >/dev/null; then pass; else fail "slow headers: connection still open after 10 s"; fi
exec 3<&- 3>&-

# --- Reload --------------------------------------------------------------------------------------------
request GET /healthz
version1="$(jq -r .rules.version "$body")"
# A conversation going before the reload: its next message after the reload is classified by the new
# rule, with its evidence kept.
live_text="lets meet up at the park after school"
request POST /v1/classify '{"text":"'"$live_text"'","conversation":"live-1","from":"u-live","sender_age":34,"recipient_age":12,"t":0}'
expect "a conversation before the reload" 200 '[.matches[].rule] | index("test.daemon_meet") == null' '.conversation.messages == 1'
printf '\nrule test.daemon_meet meeting 0.6\n  match: meet (me|up) ..3 (park|mall)\n' >>"$pack"
request POST /v1/reload "" unix
expect "reload over the socket" 200 '.reloaded == true' '.generation == 2' '.rules.version != "'"$version1"'"'
request POST /v1/classify '{"text":"'"$live_text"'","conversation":"live-1","from":"u-live","sender_age":34,"recipient_age":12,"t":60}'
expect "the same conversation after the reload uses the new rule" 200 \
  '[.matches[].rule] | index("test.daemon_meet") != null' '.conversation.messages == 2' \
  '.conversation.stages | index("meeting") != null'
request POST /v1/reload
expect "reload over loopback" 200 '.reloaded == true' '.generation == 3'

# A broken file: invalid UTF-8. The previous configuration keeps serving; the error is reported.
printf '@pack en\n\xff\xfe broken\n' >"$pack"
request POST /v1/reload "" unix
expect "reload with a broken rules file" 422 '.reloaded == false' '.generation == 3' '(.error.message | contains("daemon-test.rules"))'
request GET /healthz
expect "healthz after a failed reload" 200 '.status == "degraded"' '.generation == 3' \
  '(.last_reload_error.message | contains("daemon-test.rules"))'
request POST /v1/classify '{"text":"are you there quasar-fig?"}'
expect "classify after a failed reload" 200 '(.flagged | type) == "boolean"'
logged "reload failed" && pass || fail "the failed reload is not in the log"

# A list file that disappeared: the reload fails, the old lists keep blocking.
write_good_pack
mv "$urllist" "$urllist.moved"
request POST /v1/reload "" unix
expect "reload with a missing list file" 422 '.reloaded == false' '(.error.message | contains("test.list"))'
request POST /v1/url '{"url":"'"${secret_urls[2]}"'"}'
expect "the previous lists keep serving" 200 '.blocked == true'
mv "$urllist.moved" "$urllist"

# A rules file with a syntax error (valid UTF-8): refused with its file and line; generation 3 (with
# the meeting rule added above) keeps serving.
printf '@pack en\nrule test.daemon_secret secrecy 0.9\n  match: keep ..2 (secret|between us\n' >"$pack"
request POST /v1/reload "" unix
expect "reload with a rule syntax error" 422 '.reloaded == false' '.generation == 3' '.error.code == "syntax"' \
  '(.error.file | endswith("grooming/daemon-test.rules"))' '.error.line == 3' '(.error.column | type) == "number"'
request POST /v1/classify '{"text":"lets meet up at the park after school"}'
expect "the previous rules keep serving" 200 '[.matches[].rule] | index("test.daemon_meet") != null'

# A family policy with a syntax error: refused the same way; the previous policy's helpline stays.
write_good_pack
printf '[family]\nlocale = en-GB\ncountry GB\n' >"$policy"
request POST /v1/reload
expect "reload with a broken policy" 422 '.reloaded == false' '.generation == 3' '(.error.file | endswith("family.policy"))' \
  '.error.line == 3' '(.error.code | length) > 0'
request GET /healthz
expect "healthz after a broken policy" 200 '.status == "degraded"' '.last_reload_error.line == 3'
request POST /v1/classify '{"text":"'"${secret_texts[0]}"'","sender_age":34,"recipient_age":12}'
expect "the previous policy keeps serving" 200 \
  '[.interventions[] | select(.audience == "recipient") | .signpost.name] == ["Daemon Test Kids Line"]'
write_good_policy

# SIGHUP: fix the file, send the signal, and the next generation serves.
write_good_pack
request GET /healthz
generation="$(jq -r .generation "$body")"
kill -HUP "$daemon_pid"
for _ in $(seq 1 50); do
  request GET /healthz
  [ "$(jq -r .generation "$body")" -gt "$generation" ] && break
  sleep 0.1
done
expect "SIGHUP reload" 200 '.status == "ok"' ".generation == $((generation + 1))" '.last_reload_error == null'
# SIGHUP with a broken file: still serving, degraded.
printf '\xff' >"$pack"
kill -HUP "$daemon_pid"
for _ in $(seq 1 50); do
  request GET /healthz
  [ "$(jq -r .status "$body")" = degraded ] && break
  sleep 0.1
done
expect "SIGHUP with a broken file" 200 '.status == "degraded"' ".generation == $((generation + 1))"
write_good_pack
kill -HUP "$daemon_pid"

# A pack over the rule-source limit (2 MiB in all) is refused before it is built, at the line where
# the limit is reached; the configuration in force keeps serving.
huge="$rules/grooming/huge.rules"
awk 'BEGIN { print "@pack en"; for (i = 0; i < 34000; i++) print "# a padding line in a rule pack far larger than the limit, 64 b" }' >"$huge"
request POST /v1/reload "" unix
expect "reload with a pack over the size limit" 422 '.reloaded == false' '.error.code == "syntax"' \
  '(.error.file | endswith("grooming/huge.rules"))' '.error.line > 1000' '.error.column == 1' \
  '(.error.message | contains("bytes of rules in all"))'
rm -f "$huge"
request POST /v1/reload "" unix
expect "reload after removing the huge pack" 200 '.reloaded == true'

# --- GET /metrics --------------------------------------------------------------------------------------
sleep 0.3
request GET /metrics
if [ "$status" = 200 ]; then pass; else fail "metrics: status $status"; fi
header_is "metrics" Content-Type "text/plain"
for line in 'childsafed_requests_total{endpoint="classify",status="200"}' \
  'childsafed_requests_total{endpoint="classify",status="400"}' \
  'childsafed_requests_total{endpoint="classify",status="413"}' \
  'childsafed_requests_total{endpoint="classify",status="408"}' \
  'childsafed_requests_total{endpoint="other",status="404"}' \
  'childsafed_requests_total{endpoint="reload",status="422"}' \
  'childsafed_request_duration_seconds_bucket{endpoint="classify",le="+Inf"}' \
  'childsafed_message_verdicts_total{risk="none"}' 'childsafed_url_verdicts_total{blocked=' \
  'childsafed_reloads_total{result="success"}' 'childsafed_reloads_total{result="failure"}' \
  'childsafed_conversation_evictions_total{reason="lru"}' 'childsafed_conversations 3'; do
  grep -qF "$line" "$body" && pass || fail "metrics: no '$line'"
done

# --- The development corpus, when present: every message through the daemon, as conversations -------
# (../shared/corpus on the project's machines; CHILDSAFE_CORPUS overrides; skipped when absent.)
corpus="${CHILDSAFE_CORPUS:-$root/../shared/corpus}"
corpus_texts="$work/corpus-texts"
: >"$corpus_texts"
if [ -f "$corpus/dev-conversations.jsonl" ] && [ -f "$corpus/dev-messages.jsonl" ]; then
  jq -c '. as $c | .messages | to_entries[] | .value as $m | {
      id: "\($c.id)-\(.key)", text: $m.text, conversation: $c.id, from: $m.from, t: $m.t, lang: $c.lang,
      sender_age: $c.participants[$m.from].age,
      recipient_age: ([$c.participants | to_entries[] | select(.key != $m.from) | .value.age][0])}' \
    "$corpus/dev-conversations.jsonl" >"$work/corpus-requests"
  jq -c '{id, text, lang}' "$corpus/dev-messages.jsonl" >>"$work/corpus-requests"
  jq -r '.text' "$work/corpus-requests" | awk 'length($0) >= 16' >"$corpus_texts"
  # One curl process, one keep-alive connection: a config file with a request per line.
  config="$work/corpus.curl"
  sed 's/\\/\\\\/g; s/"/\\"/g' "$work/corpus-requests" | awk -v port="$port" '{
    if (NR > 1) print "next"
    printf "url = \"http://127.0.0.1:%s/v1/classify\"\nrequest = \"POST\"\n", port
    printf "header = \"Content-Type: application/json\"\ndata-binary = \"%s\"\nwrite-out = \"%%{http_code}\\n\"\n", $0
  }' >"$config"
  curl -s -m 120 -K "$config" >"$work/corpus-answers" || true
  verdicts="$work/corpus-verdicts"
  awk 'NR % 2 == 1' "$work/corpus-answers" >"$verdicts"
  sent="$(wc -l <"$work/corpus-requests")"
  bad="$(awk 'NR % 2 == 0 && $0 != "200"' "$work/corpus-answers" | wc -l)"
  [ "$(wc -l <"$verdicts")" = "$sent" ] || bad=$((bad + 1))
  jq -e -s 'all(.[]; has("flagged"))' "$verdicts" >/dev/null || bad=$((bad + 1))
  if [ "$bad" = 0 ]; then pass; else fail "corpus: $bad of $sent requests did not get 200"; fi
  # Verdicts against the labels, as `childsafe eval` counts them: a message is detected when its verdict
  # has a category, positive when it has a label; a conversation is detected when it was flagged.
  scores="$(jq -n -c --slurpfile v "$verdicts" --slurpfile m "$corpus/dev-messages.jsonl" \
    --slurpfile c "$corpus/dev-conversations.jsonl" '
    def pr(rows): (rows | map(select(.pos and .det)) | length) as $tp
      | {tp: $tp, fp: (rows | map(select(.det and (.pos | not))) | length), fn: (rows | map(select(.pos and (.det | not))) | length)}
      | . + {precision: (if .tp + .fp > 0 then .tp / (.tp + .fp) else null end),
             recall: (if .tp + .fn > 0 then .tp / (.tp + .fn) else null end)};
    ($v | map({key: (.id | tostring), value: .}) | from_entries) as $by
    | ($v | map(select(.conversation != null)) | group_by(.id | sub("-[0-9]+$"; ""))
       | map({key: (.[0].id | sub("-[0-9]+$"; "")), value: (map(.conversation.flagged or .conversation.flagged_at != null) | any)})
       | from_entries) as $conversations
    | {messages: pr([$m[] | {pos: (.labels | length > 0), det: (($by[.id].categories // []) | length > 0)}]),
       conversations: pr([$c[] | {pos: (.label == "grooming"), det: ($conversations[.id] // false)}])}')"
  echo "daemon: corpus: $sent messages classified; $scores"
  if jq -e '.messages.precision >= 0.9 and .messages.recall >= 0.9' <<<"$scores" >/dev/null; then pass
  else fail "corpus: message precision or recall below 0.9: $scores"; fi
  if jq -e '.conversations.precision >= 0.9 and .conversations.recall >= 0.9' <<<"$scores" >/dev/null; then pass
  else fail "corpus: conversation precision or recall below 0.9: $scores"; fi
else
  echo "daemon: corpus not found at $corpus; skipping the corpus pass"
fi

# --- Privacy: no text and no URL anywhere in the metrics (the log is searched once the daemon has
# stopped, when every line it logged is written) -------------------------------------------------------
logged "endpoint=classify" && pass || fail "the trace log has no request lines (is trace logging on?)"
secrets=("${secret_texts[@]}" "${secret_urls[@]}" pangolin-raw lanternfish marigold quokka velvetmoth tangerine-otter plum-heron
  private.example.net another.example.org casino-daemon-test roulette-night quasar-fig)
request GET /metrics
metrics="$work/metrics"
cp "$body" "$metrics"
for secret in "${secrets[@]}"; do
  if grep -qF "$secret" "$metrics"; then fail "'$secret' appears in the metrics"; else pass; fi
done
if [ -s "$corpus_texts" ]; then
  if grep -qF -f "$corpus_texts" "$metrics"; then
    fail "corpus texts appear in the metrics: $(grep -oF -f "$corpus_texts" "$metrics" | head -3)"
  else
    pass
  fi
fi

# --- Graceful shutdown: SIGTERM finishes the request in flight, then the daemon exits 0 ------------------
inflight="$work/inflight"
( (sleep 1; echo '{"id":"last","text":"the last message"}') | curl -s -m 15 -o "$inflight" -w '%{http_code}' \
  -X POST -T - -H 'Expect:' --unix-socket "$socket" http://childsafed/v1/classify >"$work/inflight.status" || true ) &
client=$!
sleep 0.4
kill -TERM "$daemon_pid"
wait "$client" || true
if [ "$(cat "$work/inflight.status")" = 200 ] && jq -e '.id == "last"' "$inflight" >/dev/null; then
  pass
else
  fail "in-flight request during SIGTERM: status $(cat "$work/inflight.status"), body $(head -c 200 "$inflight")"
fi
exit_code=""
for _ in $(seq 1 100); do
  if ! kill -0 "$daemon_pid" 2>/dev/null; then
    wait "$daemon_pid" && exit_code=0 || exit_code=$?
    break
  fi
  sleep 0.1
done
if [ "$exit_code" = 0 ]; then pass; else fail "childsafed did not exit 0 within 10 s of SIGTERM (exit: ${exit_code:-still running})"; fi
daemon_pid=""
grep -q "stopped" "$log" && pass || fail "no 'stopped' line in the log"

# --- Privacy: no text and no URL anywhere in the trace-level log ------------------------------------------
for secret in "${secrets[@]}"; do
  if grep -qF "$secret" "$log"; then fail "'$secret' appears in the log"; else pass; fi
done
if grep -q "$(head -c 300 /dev/zero | tr '\0' i)" "$log"; then fail "an over-long id reached the log"; else pass; fi
if [ -s "$corpus_texts" ]; then
  if grep -qF -f "$corpus_texts" "$log"; then
    fail "corpus texts appear in the log: $(grep -oF -f "$corpus_texts" "$log" | head -3)"
  else
    pass
  fi
fi

if [ "$failures" -gt 0 ]; then
  echo "daemon: $failures check(s) failed, $checks passed; the daemon's log:" >&2
  tail -n 40 "$log" >&2
  exit 1
fi
echo "daemon: all $checks checks passed"
