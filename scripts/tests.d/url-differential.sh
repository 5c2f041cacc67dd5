#!/usr/bin/env bash
# Differential check of the URL filter against a WHATWG URL parser (issue 23): 3,000 mutated
# spellings of blocked URLs go through `childsafe url --jsonl` and through ada-url (installed from
# PyPI into a throwaway venv); the host ChildSafe checks must be the host a browser opens, and a URL
# browsers refuse must be invalid and blocked. Skipped, saying so, when ada-url cannot be installed
# (no network): exit status 77, which scripts/test counts as a skipped check. URL_DIFFERENTIAL_CASES
# overrides the number of cases.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build --product childsafe >/dev/null
bin="$(swift build --show-bin-path)/childsafe"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if ! python3 -m venv "$work/venv" >/dev/null 2>&1 \
  || ! timeout 120 "$work/venv/bin/pip" install --quiet --disable-pip-version-check ada-url >"$work/pip.log" 2>&1; then
  echo "url-differential: skipped: could not install ada-url from PyPI (no network?): $(tail -1 "$work/pip.log" 2>/dev/null)"
  exit 77
fi
echo "url-differential: reference parser ada-url $("$work/venv/bin/pip" show ada-url | sed -n 's/^Version: //p')"

# The embedded sample lists block the domains; this list adds an IPv4 address for the IPv4 spellings.
printf '#! category: violence\n10.20.30.40\n' >"$work/ip.list"
"$work/venv/bin/python" scripts/url-differential.py "$bin" --lists "$work/ip.list" \
  --cases "${URL_DIFFERENTIAL_CASES:-3000}" --seed "${URL_DIFFERENTIAL_SEED:-2026}"
