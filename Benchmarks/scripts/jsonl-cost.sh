#!/usr/bin/env bash
# Whole-process instruction counts of the CLI (callgrind), which wall-clock time on a shared
# machine cannot give reliably:
#   - `childsafe check hi`: engine open from the embedded packs plus one message;
#   - `childsafe check --jsonl` on SMALL and LARGE lines of MESSAGES (repeated as needed): the
#     difference in instructions over the difference in message-text bytes is the stream's cost
#     per byte, engine open excluded (compare with classify-bench's, docs/performance.md).
# Usage: jsonl-cost.sh CHILDSAFE_BINARY MESSAGES.jsonl [SMALL LARGE]   (defaults 500 and 3000)
set -euo pipefail
binary="$1"
messages="$2"
small="${3:-500}"
large="${4:-3000}"
command -v valgrind >/dev/null || { echo "jsonl-cost: needs valgrind" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# valgrind cannot read DWARF 5: keep the symbols, drop the debug information.
strip --strip-debug -o "$work/childsafe" "$binary"
instructions() {
  SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$@" 2>&1 >/dev/null \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
for n in "$small" "$large"; do
  python3 - "$messages" "$n" "$work/lines.$n" <<'PY'
import json, sys
source, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = [l for l in open(source, encoding="utf-8") if l.strip()]
texts = 0
with open(out, "w", encoding="utf-8") as f:
    for k in range(count):
        line = lines[k % len(lines)]
        texts += len(json.loads(line)["text"].encode())
        f.write(line if line.endswith("\n") else line + "\n")
open(out + ".bytes", "w").write(str(texts))
PY
done
start="$(instructions "$work/childsafe" check hi)"
a="$(instructions "$work/childsafe" check --jsonl < "$work/lines.$small")"
b="$(instructions "$work/childsafe" check --jsonl < "$work/lines.$large")"
bytes=$(( $(cat "$work/lines.$large.bytes") - $(cat "$work/lines.$small.bytes") ))
echo "check hi: $start instructions"
echo "check --jsonl, $small lines: $a; $large lines: $b"
python3 -c "print(f'check --jsonl: {($b - $a) / $bytes:.0f} instructions per byte of message text, {($b - $a) / ($large - $small):.0f} per line')"
