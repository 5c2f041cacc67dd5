-- wrk script: POST /v1/url with a rotating set of URLs (canonicalised and checked against the
-- daemon's lists). Run by run.sh with SCRIPT=url.lua.
--   wrk -t1 -c32 -d60s --latency -s url.lua http://127.0.0.1:8088

local urls = {
  "https://example.org/",
  "http://WWW.Example.COM/a/../b?q=1",
  "https://school.example.edu/homework/maths",
  "https://video.example.net/watch?v=abc123",
  "http://192.168.0.1/login",
  "https://xn--bcher-kva.example/",
  "https://news.example.co.uk/world/2026/12/07/story.html",
  "https://games.example.io/play?level=3#top",
}

function init(args)
  counter = 0
  headers = { ["Content-Type"] = "application/json" }
end

function request()
  counter = counter + 1
  local body = string.format('{"id":%d,"url":"%s"}', counter, urls[(counter % #urls) + 1])
  return wrk.format("POST", "/v1/url", headers, body)
end

-- done(): the summary run.sh reads, from report.lua beside this script.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")
