#!/usr/bin/env bash
# The release CLI as scripts/childsafe builds it (scripts/release-flags) runs README's first command,
# and, where the flags lay its code out for a short start, the layout took: the functions a short
# run executes lie at the start of its code, the loader has packed relocations and few exported
# names to read. (Its memory is measured by Benchmarks/scripts/start-memory.sh, not here.)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
fail() { echo "release-cli.sh: $*" >&2; exit 1; }
verdict="$(scripts/childsafe check --sender-age 34 --recipient-age 12 "ur so mature for ur age. dont tell ur parents about us ok?")"
grep -qxF "risk critical, score 0.94, FLAGGED; signals: secrecy, flattery" <<<"$verdict" ||
  fail "README's first command printed: $verdict"
cs=.build/release/childsafe
mapfile -t flags < <(scripts/release-flags)
if [[ " ${flags[*]} " != *" --symbol-ordering-file="* ]]; then
  echo "release-cli.sh: skipped the layout checks: scripts/release-flags uses no ordering file here (no lld, or not Linux)"
  exit 0
fi
command -v readelf >/dev/null && command -v nm >/dev/null || {
  echo "release-cli.sh: skipped the layout checks: readelf and nm (binutils) are missing"
  exit 0
}

# Where .text starts and how long it is.
read -r text_start text_size < <(readelf -SW "$cs" | awk '$2 == ".text" { print $4, $6 }')
[ -n "${text_start:-}" ] || fail "no .text section in $cs"
text_start=$((16#$text_start))
text_size=$((16#$text_size))
# The command `check` runs and the normaliser's tokenizer: both in the first tenth of the code,
# where the order file puts them (without it they lie wherever their objects fall).
for name in '$s9childsafe12CheckCommandV3runyyKF' '$s9ChildSafe10NormalizerV8tokenize_5ascii4intoSiSRys5UInt8VG_SbAA9TokenListVztF'; do
  grep -qxF "$name" scripts/childsafe.order || fail "scripts/childsafe.order lacks $name: run scripts/update-link-order"
  address="$(nm "$cs" | awk -v name="$name" '!found && $3 == name { print $1; found = 1 }')"
  [ -n "$address" ] || fail "$name is not in $cs"
  offset=$((16#$address - text_start))
  [ "$offset" -ge 0 ] && [ "$offset" -lt $((text_size / 10)) ] ||
    fail "$name lies at $offset of $text_size bytes of code: the order file was not applied (after a change of flags, remove .build/*/release)"
done
# Few exported names: the loader neither reads nor hashes the thousands --export-dynamic gave.
exported="$(nm -D --defined-only "$cs" | wc -l)"
[ "$exported" -lt 500 ] || fail "$cs exports $exported names"
if [[ " ${flags[*]} " == *" pack-relative-relocs "* ]]; then
  [[ "$(readelf -SW "$cs")" == *" .relr.dyn "* ]] || fail "$cs has no packed relative relocations (.relr.dyn)"
fi
echo "release-cli.sh: README's verdict, hot code first ($(wc -l <scripts/childsafe.order) functions ordered), $exported exported names"
