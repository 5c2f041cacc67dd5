#!/usr/bin/env bash
# The CLI's help: the top level shows examples that run, and no command's overview is wrapped
# raggedly (prose written with hard line breaks, which ArgumentParser wraps again to the terminal).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "help.sh: $*" >&2; exit 1; }
swift build --product childsafe >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; fail "build failed"; }
cs="$(swift build --show-bin-path)/childsafe"

# Every command and subcommand, from the SUBCOMMANDS sections of the help.
subcommands() { awk '/^SUBCOMMANDS:/ { on = 1; next } on && /^  [a-z]/ { print $1 } /^$/ { on = 0 }'; }
commands=()
for command in $(COLUMNS=80 "$cs" --help | subcommands); do
  commands+=("$command")
  for sub in $(COLUMNS=80 "$cs" help "$command" | subcommands); do commands+=("$command $sub"); done
done
[ ${#commands[@]} -ge 10 ] || fail "found only ${#commands[@]} commands: ${commands[*]}"

# A paragraph wrapped raggedly has a short line in its middle: at 80 columns every line of a
# paragraph but its last fills at least half the width. Indented lines (examples) are exempt, but
# one must not be wrapped: a line right after an example is indented too.
for command in "" "${commands[@]}"; do
  # shellcheck disable=SC2086 # the command's words are separate arguments
  COLUMNS=80 "$cs" help $command >"$work/help.txt" || fail "help $command failed"
  awk -v command="${command:-childsafe}" '
    /^(USAGE|ARGUMENTS|OPTIONS|SUBCOMMANDS):/ { exit }
    /^$/ { short = ""; example = 0; next }
    /^ / { short = ""; example = 1; next }
    example { print command ": an example is wrapped before \"" $0 "\""; bad = 1 }
    { if (short != "") { print command ": ragged line: \"" short "\""; bad = 1 }
      short = (length($0) < 40) ? $0 : "" }
    END { exit bad }
  ' "$work/help.txt" || fail "help $command is wrapped raggedly:"$'\n'"$(cat "$work/help.txt")"
done

# The top-level help gives examples, and each one runs (with files from the repository in place of
# the placeholders).
COLUMNS=80 "$cs" --help >"$work/top.txt"
grep -q '^Examples:' "$work/top.txt" || fail "the top-level help has no examples"
grep -E '^  childsafe ' "$work/top.txt" | sed 's/ *#.*//' >"$work/examples.txt"
[ "$(wc -l <"$work/examples.txt")" -ge 5 ] || fail "too few examples: $(cat "$work/examples.txt")"
printf '{"id":"m1","text":"dont tell ur mom ok?"}\n' >"$work/messages.jsonl"
mkdir "$work/my-rules"
printf '@pack en\nrule mine.secret secrecy 0.8\n  match: our little secret\n' >"$work/my-rules/mine.rules"
while read -r example; do
  example="${example/< messages.jsonl/< $work/messages.jsonl}"
  example="${example/< conversations.jsonl/< Examples/corpus/conversations.jsonl}"
  example="${example/family.policy/Rules/family.policy}"
  example="${example/my-rules\//$work/my-rules}"
  example="${example/#childsafe /\"\$cs\" }"
  eval "$example" >"$work/example.out" 2>&1 || fail "the example '$example' failed: $(cat "$work/example.out")"
done <"$work/examples.txt"
echo "help.sh: ok (${#commands[@]} commands)"
