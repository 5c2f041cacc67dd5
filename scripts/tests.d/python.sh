#!/usr/bin/env bash
# The Python package python/ (issue 25): builds libchildsafe.so.1, creates a throwaway virtual
# environment (.build/python-venv, reused between runs), installs pytest, pandas, dask and mypy from PyPI,
# installs the package with `pip install ./python` as a user would, and runs its pytest suite
# (python/tests) against the library and the `childsafe` CLI (evaluate() must give the CLI's
# figures, also on a two-worker Dask cluster).
# Skips, saying so, when PyPI cannot be reached. PYTHON picks the interpreter (default python3).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
python="${PYTHON:-python3}"
index="${PIP_INDEX_URL:-https://pypi.org/simple}"
start=$SECONDS
step() { echo "-- python: $1 ($((SECONDS - start)) s)"; start=$SECONDS; }

command -v "$python" >/dev/null 2>&1 || { echo "python.sh: SKIP: no $python on this machine"; exit 0; }
if ! "$python" - "$index" <<'PY' >/dev/null 2>&1; then
import sys, urllib.request
urllib.request.urlopen(sys.argv[1].rstrip("/") + "/pytest/", timeout=20)
PY
  echo "python.sh: SKIP: $index cannot be reached, so pytest, pandas and dask cannot be installed"
  exit 0
fi
"$python" -c 'import ensurepip' 2>/dev/null || scripts/bootstrap.sh
"$python" -c 'import ensurepip' 2>/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; }

build_log="$(mktemp)"
trap 'rm -f "$build_log"' EXIT
lib="$(scripts/build-capi.sh 2>"$build_log")" || { cat "$build_log"; exit 1; }
swift build --product childsafe >/dev/null
cli="$(swift build --show-bin-path)/childsafe"
step "built libchildsafe and the childsafe CLI"

venv="$root/.build/python-venv"
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pytest pandas 'dask[distributed]' mypy
step "virtual environment with pytest, pandas, dask and mypy"
"$venv/bin/python" -m pip install -q --force-reinstall --no-deps ./python
installed="$(cd /tmp && "$venv/bin/python" -c 'import childsafe; print(childsafe.__file__)')"
case "$installed" in "$venv"/*) ;; *) echo "python.sh: childsafe imported from $installed, not the venv" >&2; exit 1 ;; esac
rm -rf python/build python/src/childsafe.egg-info
step "pip install ./python"

cd python
"$venv/bin/python" -m mypy --ignore-missing-imports --no-error-summary src/childsafe
step "mypy: the type hints hold"
CHILDSAFE_LIBRARY="$lib" CHILDSAFE_CLI="$cli" "$venv/bin/python" -m pytest -q -p no:cacheprovider tests
step "pytest python/tests"
