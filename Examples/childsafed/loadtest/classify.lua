-- wrk script: POST /v1/classify with chat-like messages, each request in its own conversation
-- (or one of CONVERSATIONS recurring ones), so that a long run pushes far more conversations through
-- the daemon than --max-conversations and shows whether memory stays flat.
--   wrk -t1 -c32 -d60s --latency -s classify.lua http://127.0.0.1:8088
-- Environment: CONVERSATIONS=0 (default) gives every request a new conversation id; N > 0 cycles
-- through N ids per thread. NO_CONVERSATION=1 sends no conversation id (stateless classification).

local messages = {
  "hey how was school today",
  "did you finish the maths homework",
  "wanna play another round later",
  "you seem really mature for your age",
  "what time does practice start tomorrow",
  "lol that video was so funny",
  "can you send me the notes from class",
  "keep this between us ok",
  "my mum says i can come over on saturday",
  "which game are you playing tonight",
}

local conversations = tonumber(os.getenv("CONVERSATIONS") or "0")
-- A run id in every conversation id, so that repeated wrk runs (run.sh's REQUESTS_TARGET) open new
-- conversations instead of finding the previous run's.
local run = os.getenv("RUN") or tostring(os.time())
local stateless = os.getenv("NO_CONVERSATION") == "1"
local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("thread_id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  headers = { ["Content-Type"] = "application/json" }
end

function request()
  counter = counter + 1
  local text = messages[(counter % #messages) + 1]
  local body
  -- One message in five from an adult, so that flagged ones carry interventions as in real traffic.
  local sender_age = 15
  if counter % 5 == 0 then sender_age = 34 end
  if stateless then
    body = string.format('{"id":%d,"text":"%s","sender_age":%d,"recipient_age":13}', counter, text, sender_age)
  else
    local n = counter
    if conversations > 0 then n = counter % conversations end
    body = string.format(
      '{"id":%d,"text":"%s","conversation":"r%s-t%d-c%d","from":"u%d","sender_age":%d,"recipient_age":13,"t":%d}',
      counter, text, run, thread_id, n, counter % 2, sender_age, counter)
  end
  return wrk.format("POST", "/v1/classify", headers, body)
end

-- done(): the summary run.sh reads, from report.lua beside this script.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")
