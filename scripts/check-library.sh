#!/usr/bin/env bash
# Checks a built libchildsafe against its promises (issue 8):
#  - exports only cs_* functions, each versioned CHILDSAFE_1 or a later CHILDSAFE_1.N node, and every
#    function childsafe.h declares;
#  - SONAME libchildsafe.so.1;
#  - NEEDED limited to libc (with glibc's dynamic loader), libm, libstdc++, libgcc_s and ICU: no
#    Swift runtime or Foundation libraries, so it runs on a machine without a Swift toolchain;
#  - every dependency resolves (ldd), and the stripped size is at most 13 MiB (10 MiB until the
#    embedded packs were also stored precompiled: 1.4 MB that save about 0.1 s at every engine
#    open, docs/performance.md; 12 MiB until the packs grew to 265 rules, their compiled form to
#    2.4 MB, and the library to 12.05 MiB).
# Usage: scripts/check-library.sh LIB [HEADER]     Prints the figures; exits non-zero on a failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
lib="${1:?usage: check-library.sh LIB [HEADER]}"
header="${2:-$root/Sources/CChildSafe/include/childsafe.h}"
budget=$((13 * 1024 * 1024))
fail=0
problem() { echo "check-library: FAIL: $*" >&2; fail=1; }

# Exported = defined dynamic symbols with GLOBAL or WEAK binding (the version node is ABS).
exports="$(readelf --dyn-syms -W "$lib" | awk '$7 != "UND" && $7 != "ABS" && ($5 == "GLOBAL" || $5 == "WEAK") { print $8 }')"
bad="$(printf '%s\n' "$exports" | grep -Ev '^cs_[a-z0-9_]*@@CHILDSAFE_1(\.[0-9]+)?$' || true)"
[ -z "$bad" ] || problem "$(echo "$bad" | wc -l) exported symbols outside cs_*@@CHILDSAFE_1[.N], e.g. $(echo "$bad" | head -5 | xargs)"
exported_names="$(printf '%s\n' "$exports" | sed 's/@.*//' | sort -u)"
declared="$(grep -oE '\bcs_[a-z0-9_]+\(' "$header" | tr -d '(' | sort -u)"
missing="$(comm -23 <(echo "$declared") <(echo "$exported_names"))"
[ -z "$missing" ] || problem "declared in $(basename "$header") but not exported: $(echo "$missing" | head -10 | xargs)"
extra="$(comm -13 <(echo "$declared") <(echo "$exported_names"))"
[ -z "$extra" ] || problem "exported but not declared in the header: $(echo "$extra" | head -5 | xargs)"

soname="$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')"
[ "$soname" = "libchildsafe.so.1" ] || problem "SONAME is '$soname', expected libchildsafe.so.1"

needed="$(readelf -d "$lib" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p')"
while read -r dep; do
  case "$dep" in
    libc.so.6 | libm.so.6 | libstdc++.so.6 | libgcc_s.so.1 | ld-linux-*.so.* | libicu*.so.*) ;;
    *) problem "unexpected NEEDED entry: $dep" ;;
  esac
done <<<"$needed"
if ldd "$lib" | grep -q 'not found'; then problem "unresolved dependencies: $(ldd "$lib" | grep 'not found' | xargs)"; fi

stripped="$(mktemp)"
trap 'rm -f "$stripped"' EXIT
strip --strip-unneeded -o "$stripped" "$lib"
size=$(stat -c %s "$stripped")
[ "$size" -le "$budget" ] || problem "stripped size $size bytes exceeds the budget of $budget bytes"

echo "library:   $lib"
echo "SONAME:    $soname"
echo "NEEDED:    $(echo $needed)"
echo "exports:   $(echo "$exported_names" | wc -l) defined global symbols"
printf 'size:      %s bytes stripped (%.2f MiB; budget 13 MiB), %s bytes as built\n' \
  "$size" "$(awk -v s="$size" 'BEGIN { print s / 1048576 }')" "$(stat -c %s "$lib")"
[ "$fail" -eq 0 ] && echo "check-library: OK"
exit "$fail"
