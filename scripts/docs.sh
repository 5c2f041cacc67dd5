#!/usr/bin/env bash
# Builds the API documentation of the ChildSafe module with DocC (swift-docc-plugin): the catalog
# Sources/ChildSafe/ChildSafe.docc (getting started, concept articles) and the symbol docs of every
# public type. Any DocC warning (a broken link, an unknown symbol) fails the build.
#
# Usage: scripts/docs.sh [OUTDIR]
#   without OUTDIR: .build/plugins/Swift-DocC/outputs/ChildSafe.doccarchive (open it in Xcode, or
#   preview with `swift package --disable-sandbox preview-documentation --target ChildSafe`);
#   with OUTDIR: a static website in OUTDIR, to serve from any web server's root.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/bootstrap.sh
args=(generate-documentation --target ChildSafe --warnings-as-errors)
if [ $# -gt 0 ]; then
  mkdir -p "$1"
  out="$(cd "$1" && pwd)"
  swift package --allow-writing-to-directory "$out" "${args[@]}" --output-path "$out" \
    --transform-for-static-hosting
else
  swift package "${args[@]}"
fi
