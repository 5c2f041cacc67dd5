#!/usr/bin/env bash
# Installs what ChildSafe needs to build on Debian/Ubuntu when it is missing: ICU's development files
# and pkg-config. Safe to run repeatedly; does nothing when everything is present.
set -euo pipefail
missing=()
pkg-config --exists icu-i18n 2>/dev/null || missing+=(libicu-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
for tool in "$@"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
