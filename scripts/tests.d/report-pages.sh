#!/usr/bin/env bash
# The pages people read: the HTML risk registers and transparency report are opened in headless
# Chromium (Debian package `chromium`, installed when missing and possible; otherwise SKIPPED with
# the reason). Each page must load without a console message (an error, or a request the page's
# Content-Security-Policy blocked: the pages may make none), fit a phone-width viewport (390 px)
# without sideways scrolling, and print to a PDF. Two broken control pages check that the checks
# can fail.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "report-pages.sh: $*" >&2; exit 1; }
skip() { echo "report-pages.sh: SKIPPED: $*"; exit 0; }

find_browser() { command -v chromium || command -v chromium-browser || true; }
browser="$(find_browser)"
if [ -z "$browser" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "report-pages.sh: installing chromium (Debian package)"
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; } \
      >"$tmp/apt.log" 2>&1 || skip "chromium is not installed and apt-get could not install it: $(tail -1 "$tmp/apt.log")"
    browser="$(find_browser)"
  fi
  [ -n "$browser" ] || skip "chromium is not installed (apt-get install chromium, as root, on Debian)"
fi

# Root needs --no-sandbox; a profile of our own keeps runs independent.
run_browser() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$tmp/profile" \
    --virtual-time-budget=3000 "$@"
}

# Console messages: Chromium logs every one as ":CONSOLE" at --enable-logging=stderr.
console_messages() {
  run_browser --enable-logging=stderr --v=0 --dump-dom "file://$1" >"$1.dom" 2>"$1.log" || true
  grep ':CONSOLE' "$1.log" || true
}

# The page's width inside a 390 px wide frame, against the frame's: "scrollWidth clientWidth".
phone_widths() {
  local page="$1" wrapper="$1.phone.html"
  cat >"$wrapper" <<HTML
<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="$(basename "$page")" style="width:390px;height:844px;border:0"></iframe>
<pre id="out">not loaded</pre>
<script>
document.getElementById("f").addEventListener("load", () => {
  const e = document.getElementById("f").contentDocument.documentElement;
  document.getElementById("out").textContent = "widths " + e.scrollWidth + " " + e.clientWidth;
});
</script></body></html>
HTML
  run_browser --allow-file-access-from-files --dump-dom "file://$wrapper" 2>/dev/null | grep -o 'widths [0-9]* [0-9]*' || echo "not loaded"
}

pdf_pages() {
  rm -f "$1.pdf"
  run_browser --no-pdf-header-footer --print-to-pdf="$1.pdf" "file://$1" >/dev/null 2>&1 || true
  [ -s "$1.pdf" ] || { echo 0; return; }
  python3 -c 'import re,sys; d=open(sys.argv[1],"rb").read(); print(len(re.findall(rb"/Type\s*/Page(?!s)", d)) if d.startswith(b"%PDF-") else 0)' "$1.pdf"
}

# Controls: a page with a blocked request and a console error, and a page wider than a phone.
cat >"$tmp/control-errors.html" <<'HTML'
<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'"></head>
<body><img src="https://example.com/x.png"><script>console.error("control error")</script></body></html>
HTML
[ -n "$(console_messages "$tmp/control-errors.html")" ] || fail "the console check saw nothing on a page with errors: $(tail -5 "$tmp/control-errors.html.log")"
printf '<!DOCTYPE html><html><body><table><tr><td style="white-space:nowrap">%s</td></tr></table></body></html>\n' \
  "$(printf 'wide%.0s ' $(seq 200))" >"$tmp/control-wide.html"
read -r _ scroll client <<<"$(phone_widths "$tmp/control-wide.html")"
[ "${scroll:-0}" -gt "${client:-0}" ] || fail "the phone-width check saw no overflow on a wide page ($scroll $client)"

# The pages.
swift build --product childsafe >/dev/null
bin="$(swift build --show-bin-path)/childsafe"
for product in Examples/assessment/*.product; do
  "$bin" assess "$product" --format html --output "$tmp/$(basename "$product" .product)-register.html"
done
"$bin" transparency --messages Examples/transparency/sample-traffic.jsonl --on 2026-12-06 --service "Sample chat service" \
  --format html --output "$tmp/transparency.html"

for page in "$tmp"/*-register.html "$tmp/transparency.html"; do
  name="$(basename "$page")"
  grep -q 'http-equiv="Content-Security-Policy" content="default-src '"'"'none'"'" "$page" || fail "$name: no Content-Security-Policy"
  messages="$(console_messages "$page")"
  [ -z "$messages" ] || fail "$name: console messages: $messages"
  grep -q '<h1>' "$page.dom" || fail "$name: the page did not load (no <h1> in the rendered DOM)"
  read -r _ scroll client <<<"$(phone_widths "$page")"
  [ -n "${client:-}" ] && [ "$scroll" -le "$client" ] || fail "$name: wider than a phone: scroll width ${scroll:-?} in ${client:-?} px"
  pages="$(pdf_pages "$page")"
  [ "$pages" -ge 1 ] || fail "$name: printing to PDF failed"
  echo "report-pages.sh: $name: no console messages, fits 390 px (${scroll}/${client}), prints to $pages PDF pages"
done
echo "report-pages.sh: OK ($("$browser" --version 2>/dev/null | tail -1))"
