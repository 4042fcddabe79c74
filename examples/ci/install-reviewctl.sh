#!/usr/bin/env bash
# Installs reviewctl on a CI machine with Java 17: downloads reviewctl.jar from REVIEWCTL_JAR_URL
# (wherever the team publishes reviewctl/target/reviewctl.jar), checks it against
# REVIEWCTL_JAR_SHA256 (published next to it: `sha256sum reviewctl.jar`), installs it into DIR,
# writes the wrapper DIR/reviewctl and prints its path, for REVIEWCTL. A download that does not
# match the checksum is removed and nothing is installed: CI never runs a jar it did not expect.
# Usage: install-reviewctl.sh [DIR]   (default $HOME/.reviewctl)
set -euo pipefail
dir="${1:-$HOME/.reviewctl}"
url="${REVIEWCTL_JAR_URL:?set REVIEWCTL_JAR_URL to where reviewctl.jar is published}"
expected="${REVIEWCTL_JAR_SHA256:?set REVIEWCTL_JAR_SHA256 to the SHA-256 of the published reviewctl.jar}"
expected="$(printf '%s' "$expected" | tr 'A-F' 'a-f')"
if [[ ! "$expected" =~ ^[0-9a-f]{64}$ ]]; then
  echo "install-reviewctl.sh: REVIEWCTL_JAR_SHA256 is not 64 hexadecimal digits" >&2
  exit 1
fi
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
download="$(mktemp "$dir/reviewctl.jar.XXXXXX")"
trap 'rm -f "$download"' EXIT
curl -fsSL "$url" -o "$download"
actual="$(sha256sum "$download" | cut -d' ' -f1)"
if [[ "$actual" != "$expected" ]]; then
  echo "install-reviewctl.sh: checksum mismatch for $url: expected $expected, got $actual; nothing installed" >&2
  exit 1
fi
mv "$download" "$dir/reviewctl.jar"
printf '#!/bin/sh\nexec java -jar "%s/reviewctl.jar" "$@"\n' "$dir" >"$dir/reviewctl"
chmod +x "$dir/reviewctl"
echo "$dir/reviewctl"
