#!/usr/bin/env bash
# Builds the C library libchildsafe.so.1 from the SwiftPM product ChildSafeC: release mode, the
# Swift runtime linked statically (runs on machines with no Swift toolchain), only cs_* symbols
# exported under version node CHILDSAFE_1, SONAME libchildsafe.so.1.
# The flags live here, not in Package.swift, so the package stays usable as a SwiftPM dependency.
#
# Usage: scripts/build-capi.sh [OUTDIR]   (default: .build-capi/out)
# Leaves OUTDIR/libchildsafe.so.1.0.0 (unstripped; `make install` strips) and prints its path.
# CAPI_SCRATCH overrides the SwiftPM scratch directory (default: .build-capi).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${CAPI_SCRATCH:-$root/.build-capi}"
outdir="${1:-$scratch/out}"
"$root/scripts/bootstrap.sh"
cd "$root"
swift build -c release --product ChildSafeC --scratch-path "$scratch" \
  -Xswiftc -static-stdlib \
  -Xlinker "--version-script=$root/Sources/ChildSafeCAPI/childsafe.map" \
  -Xlinker -soname=libchildsafe.so.1 >&2
built="$(swift build -c release --product ChildSafeC --scratch-path "$scratch" --show-bin-path)/libChildSafeC.so"
mkdir -p "$outdir"
cp -f "$built" "$outdir/libchildsafe.so.1.0.0"
ln -sf libchildsafe.so.1.0.0 "$outdir/libchildsafe.so.1"
ln -sf libchildsafe.so.1 "$outdir/libchildsafe.so"
echo "$outdir/libchildsafe.so.1.0.0"
