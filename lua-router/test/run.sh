#!/usr/bin/env bash
# The router's Lua unit tests (busted, from Debian's lua-busted). The integration tests that
# start real nginx run in the Maven module lua-router/it during `mvn install`.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v busted >/dev/null; then
  echo "busted is missing: make deps installs lua-busted" >&2
  exit 1
fi
busted --output=utfTerminal "$@"
