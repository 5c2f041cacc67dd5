#!/usr/bin/env bash
# The DocC documentation of the ChildSafe module builds without a warning (scripts/docs.sh), and
# the Swift examples of its articles compile (scripts/docc-snippets-typecheck).
set -euo pipefail
cd "$(dirname "$0")/../.."
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
scripts/docs.sh >"$log" 2>&1 || { cat "$log"; echo "docs.sh: DocC failed or warned (see above)" >&2; exit 1; }
if grep -E '(^| )warning:' "$log"; then echo "docs.sh: DocC warned" >&2; exit 1; fi
echo "docs.sh: the ChildSafe documentation builds without warnings"
swift build --target ChildSafe >"$log" 2>&1 || { cat "$log"; exit 1; }
scripts/docc-snippets-typecheck
