#!/usr/bin/env bash
# End-to-end checks of the C API (issue 8):
#  1. builds libchildsafe.so.1 once (release, static Swift runtime) and installs it to a temp PREFIX;
#  2. checks exports (only cs_*@@CHILDSAFE_1), SONAME, NEEDED list and the 10 MiB stripped budget;
#  3. compiles the header with gcc and clang in C99/C11 and C++ with -Wall -Wextra -pedantic -Werror;
#  4. runs the C quick starts of README.md and docs/c-api.md as documented (temp PREFIX, rpath);
#  5. runs Tests/capi/test_api.c (every function, error path and the hook) against the installed
#     library, under valgrind (no leaks, no errors) and with AddressSanitizer + UBSan;
#  6. runs Tests/capi/test_threads.c (one engine, many threads) under ThreadSanitizer;
#  7. with CAPI_SANITIZED_LIBS=1 (default), also builds the library itself instrumented
#     (swift build --sanitize=address / thread, debug) and runs the tests against it, so the
#     sanitizers see the library's own code, not only the test's;
#  8. runs the Python corpus example (python/ is tested by scripts/tests.d/python.sh) when python3 is present, and
#     checks that libchildsafe and `childsafe check --jsonl` write identical lines (verdicts,
#     conversations, interventions) for the same input (Tests/capi/cli_agreement.py).
# Needs gcc, valgrind, make, pkg-config (installed by scripts/bootstrap.sh when missing).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
scripts/bootstrap.sh gcc g++ make valgrind
SWIFT_CLANG="$(dirname "$(command -v swift)")/clang"
SWIFT_RUNTIME="$(dirname "$(command -v swift)")/../lib/swift/linux"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
start_all=$SECONDS
step_start=$SECONDS
step() { echo "-- capi: $1 ($((SECONDS - step_start)) s)"; step_start=$SECONDS; }

make --no-print-directory install PREFIX="$prefix" >/dev/null
step "built (release, -static-stdlib) and installed to a temporary PREFIX"
lib="$prefix/lib/libchildsafe.so.1.0.0"
unstripped="$root/.build-capi/out"   # the same library before `make install` strips it
[ -L "$prefix/lib/libchildsafe.so" ] && [ -L "$prefix/lib/libchildsafe.so.1" ] && [ -f "$prefix/include/childsafe.h" ]
scripts/check-library.sh "$lib"
step "library checks"

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
pkg-config --exists childsafe
[ "$(pkg-config --modversion childsafe)" = "$(sed -n 's/^#define CS_VERSION_STRING "\(.*\)"/\1/p' "$prefix/include/childsafe.h")" ]
CFLAGS="$(pkg-config --cflags childsafe)"
LIBS="$(pkg-config --libs childsafe)"
RPATH="-Wl,-rpath,$prefix/lib"
WARN="-Wall -Wextra -pedantic -Werror"
for cc in gcc "$SWIFT_CLANG"; do
  for std in c99 c11 c17; do
    $cc -std=$std $WARN $CFLAGS -c Tests/capi/header_c.c -o "$work/header.o"
  done
done
g++ -std=c++11 $WARN $CFLAGS Tests/capi/header_cpp.cpp $LIBS $RPATH -o "$work/header_cpp"
"$work/header_cpp"
"${SWIFT_CLANG}++" -std=c++17 $WARN $CFLAGS -c Tests/capi/header_cpp.cpp -o "$work/header_cpp.o"
step "header compiles warning-free with gcc and clang (C99/C11/C17, C++11/C++17)"

# The quick starts of README.md and docs/c-api.md, exactly as shown but for their first line
# (PREFIX=$HOME/.local becomes a temporary PREFIX): they build, install, compile the client and run
# it with no LD_LIBRARY_PATH, so a missing run-time library path fails here as it would for a user.
for doc in README.md docs/c-api.md; do
  snippet="$(scripts/doc-snippet "$doc" sh 'make install')"
  [ "$(head -n1 <<<"$snippet")" = 'PREFIX=$HOME/.local' ]
  rm -f .build-capi/childsafe-client
  (unset PKG_CONFIG_PATH LD_LIBRARY_PATH
   bash -euo pipefail -c "PREFIX='$work/doc-prefix'; $(tail -n +2 <<<"$snippet")") >"$work/client.out" 2>&1 \
    || { cat "$work/client.out" >&2; echo "capi: the $doc quick start failed" >&2; exit 1; }
  grep -q '^{"flagged":' "$work/client.out" || { echo "capi: the $doc quick start printed no verdict" >&2; exit 1; }
done
grep -q '^conversation: {"flagged":' "$work/client.out"
rm -f .build-capi/childsafe-client
step "the C quick starts of README.md and docs/c-api.md run as documented"

# A model file for the model options of cs_engine_open_ex (any trained model will do).
scripts/childsafe train --level message --corpus Examples/corpus/messages.jsonl --folds 3 \
  --out "$work/message.csm" >/dev/null
export CHILDSAFE_TEST_MODEL="$work/message.csm"
gcc -std=c11 $WARN -O1 -g $CFLAGS Tests/capi/test_api.c $LIBS -lm $RPATH -o "$work/test_api"
rules_args=()
[ -d "$root/Rules" ] && rules_args=("$root/Rules") # also open an engine from the rules directory
"$work/test_api" "${rules_args[@]}"
step "test_api"

# valgrind runs the same library with its symbol table (only the DWARF, which this valgrind cannot
# read, is stripped) so that the suppressions (one-time, process-lifetime allocations only: Swift
# runtime caches and the shared default engines; see Tests/capi/valgrind.supp) can match function
# names, with stacks deep enough to reach the once-run initialisers they name.
mkdir -p "$work/symbols"
strip --strip-debug -o "$work/symbols/libchildsafe.so.1" "$unstripped/libchildsafe.so.1.0.0"
LD_LIBRARY_PATH="$work/symbols" valgrind -q --error-exitcode=9 --leak-check=full --num-callers=200 \
  --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
  --suppressions=Tests/capi/valgrind.supp "$work/test_api" "${rules_args[@]}" >/dev/null
step "test_api under valgrind: no errors, no leaks"

gcc -std=c11 $WARN -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer $CFLAGS Tests/capi/test_api.c \
  $LIBS -lm $RPATH -o "$work/test_api_asan"
# The same symbol-bearing copy, so that LeakSanitizer can match Tests/capi/lsan.supp (the same
# one-time allocations as valgrind.supp) by function name.
lsan="suppressions=$root/Tests/capi/lsan.supp"
LD_LIBRARY_PATH="$work/symbols" ASAN_OPTIONS=detect_leaks=1:malloc_context_size=200 LSAN_OPTIONS="$lsan" \
  UBSAN_OPTIONS=halt_on_error=1 "$work/test_api_asan" "${rules_args[@]}" >/dev/null
step "test_api with AddressSanitizer + UBSan (and LeakSanitizer)"

gcc -std=c11 $WARN -O1 -g -fsanitize=thread $CFLAGS Tests/capi/test_threads.c $LIBS -pthread $RPATH \
  -o "$work/test_threads_tsan"
TSAN_OPTIONS=halt_on_error=1 "$work/test_threads_tsan" 4 30
step "test_threads (4 threads, one engine) with ThreadSanitizer"

if [ "${CAPI_SANITIZED_LIBS:-1}" = 1 ]; then
  # The library's own code, instrumented. Debug builds with the dynamic Swift runtime; the test
  # programs link the toolchain's clang sanitizer runtimes (TSan's needs libdispatch's symbols).
  for sanitizer in address thread; do
    scratch="$root/.build-${sanitizer:0:1}san" # shared with scripts/tests.d/sanitizers.sh: one build each
    swift build --product ChildSafeC --sanitize=$sanitizer --scratch-path "$scratch" >"$work/build.log" 2>&1 ||
      { cat "$work/build.log"; exit 1; }
    mkdir -p "$work/$sanitizer"
    ln -sf "$scratch/debug/libChildSafeC.so" "$work/$sanitizer/libchildsafe.so"
  done
  step "built the library instrumented with ASan and TSan"
  "$SWIFT_CLANG" -std=c11 $WARN -O1 -g -fsanitize=address -fno-omit-frame-pointer -fuse-ld=bfd \
    -ISources/CChildSafe/include Tests/capi/test_api.c -L"$work/address" -lchildsafe -lm \
    -Wl,-rpath,"$work/address:$SWIFT_RUNTIME" -o "$work/test_api_asan_lib"
  ASAN_OPTIONS=detect_leaks=1:malloc_context_size=200 LSAN_OPTIONS="$lsan" "$work/test_api_asan_lib" \
    "${rules_args[@]}" >/dev/null
  "$SWIFT_CLANG" -std=c11 $WARN -O1 -g -fsanitize=thread -fuse-ld=bfd -ISources/CChildSafe/include \
    Tests/capi/test_threads.c -L"$work/thread" -lchildsafe -L"$SWIFT_RUNTIME" -ldispatch -lBlocksRuntime -pthread \
    -Wl,-rpath,"$work/thread:$SWIFT_RUNTIME" -o "$work/test_threads_tsan_lib"
  TSAN_OPTIONS=halt_on_error=1 "$work/test_threads_tsan_lib" 4 10
  step "test_api (ASan) and test_threads (TSan) against the instrumented library"
fi

if command -v python3 >/dev/null 2>&1; then
  # The binding itself is tested with pytest by scripts/tests.d/python.sh; here, the example runs
  # from a checkout (no pip install) against the installed, stripped library.
  CHILDSAFE_LIBRARY="$lib" python3 Examples/python/evaluate_corpus.py Examples/corpus >"$work/python.out" 2>&1 ||
    { cat "$work/python.out"; exit 1; }
  grep -q '^| ANY (detected)' "$work/python.out"
  step "Python example (Examples/python/evaluate_corpus.py)"
  messages="$root/../shared/corpus/dev-messages.jsonl"
  conversations="$root/../shared/corpus/dev-conversations.jsonl"
  [ -f "$messages" ] || messages="$root/Examples/corpus/messages.jsonl"
  [ -f "$conversations" ] || conversations="$root/Examples/corpus/conversations.jsonl"
  swift build --product childsafe >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
  CHILDSAFE_LIBRARY="$lib" python3 Tests/capi/cli_agreement.py "$(swift build --show-bin-path)/childsafe" \
    "$messages" "$conversations" 200
  step "libchildsafe and the CLI agree line for line"
fi
echo "-- capi: all checks passed in $((SECONDS - start_all)) s"
