#!/usr/bin/env bash
# Where a short CLI run's memory goes, for issue 21's `check hi` target (docs/performance.md):
#   - peak resident memory (`/usr/bin/time -f %M`) of `check hi` and of `--help`, RUNS times each,
#     alternated, as min-max;
#   - resident memory by mapping when `check hi` exits (a preloaded destructor copies
#     /proc/self/smaps): the binary's code and data, heap, ICU, the C runtimes;
#   - the heap at its peak (valgrind's massif), when valgrind is installed.
# Usage: start-memory.sh CHILDSAFE_BINARY [RUNS]   (default 5)
set -euo pipefail
binary="$1"
runs="${2:-5}"
[ -x /usr/bin/time ] || { echo "start-memory: needs /usr/bin/time (Debian package time)" >&2; exit 2; }
command -v cc >/dev/null || { echo "start-memory: needs a C compiler" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# valgrind cannot read DWARF 5: keep the symbols, drop the debug information.
strip --strip-debug -o "$work/childsafe" "$binary"

peaks() {
  for _ in $(seq "$runs"); do /usr/bin/time -f %M "$work/childsafe" "$@" 2>&1 >/dev/null | tail -1; done \
    | sort -n | sed -n '1p;$p' | paste -sd' '
}
read -r lo hi <<<"$(peaks check hi)"
read -r hlo hhi <<<"$(peaks --help)"
printf 'peak RSS, %s runs: check hi %s-%s KB; --help %s-%s KB\n' "$runs" "$lo" "$hi" "$hlo" "$hhi"

cat >"$work/smaps.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
/* Copies this process's /proc/self/smaps to $SMAPS_OUT when it exits. */
__attribute__((destructor)) static void dump(void) {
  const char *path = getenv("SMAPS_OUT");
  if (!path) return;
  FILE *in = fopen("/proc/self/smaps", "r"), *out = fopen(path, "w");
  if (!in || !out) return;
  char line[4096];
  while (fgets(line, sizeof line, in)) fputs(line, out);
  fclose(in);
  fclose(out);
}
C
cc -shared -fPIC -O2 -o "$work/smaps.so" "$work/smaps.c"
SMAPS_OUT="$work/smaps.txt" LD_PRELOAD="$work/smaps.so" "$work/childsafe" check hi >/dev/null
python3 - "$work/smaps.txt" <<'PY'
import collections, re, sys
groups = collections.Counter()
name = None
for line in open(sys.argv[1]):
    m = re.match(r"^[0-9a-f]+-[0-9a-f]+ (\S+) \S+ \S+ \S+\s*(.*)$", line)
    if m:
        perms, path = m.group(1), m.group(2)
        base = path.rsplit("/", 1)[-1]
        if base == "childsafe":
            name = "the binary: code and read-only data" if "x" in perms or "w" not in perms else "the binary: writable data (embedded packs, .data)"
        elif base.startswith("libicu"):
            name = "ICU"
        elif path in ("[heap]", "") :
            name = "heap and anonymous memory"
        elif path.startswith("["):
            name = "stack and kernel mappings"
        else:
            name = "C, C++ and maths runtimes, the loader"
        continue
    if line.startswith("Rss:"):
        groups[name] += int(line.split()[1])
print("resident when `check hi` exits, by mapping:")
for key, kb in groups.most_common():
    print(f"  {kb / 1024:5.1f} MiB  {key}")
print(f"  {sum(groups.values()) / 1024:5.1f} MiB  in all")
PY
if command -v valgrind >/dev/null; then
  valgrind --tool=massif --massif-out-file="$work/massif.out" "$work/childsafe" check hi >/dev/null 2>&1
  peak=$(sed -n 's/^mem_heap_B=//p' "$work/massif.out" | sort -n | tail -1)
  printf 'heap at its peak (massif): %.2f MiB\n' "$(awk -v b="$peak" 'BEGIN { print b / 1048576 }')"
fi
