#!/usr/bin/env bash
# Installs reviewctl on a CI machine with Java 17: downloads reviewctl.jar from REVIEWCTL_JAR_URL
# (wherever the team publishes reviewctl/target/reviewctl.jar) into DIR, writes the wrapper
# DIR/reviewctl and prints its path, for REVIEWCTL.
# Usage: install-reviewctl.sh [DIR]   (default $HOME/.reviewctl)
set -euo pipefail
dir="${1:-$HOME/.reviewctl}"
url="${REVIEWCTL_JAR_URL:?set REVIEWCTL_JAR_URL to where reviewctl.jar is published}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
curl -fsSL "$url" -o "$dir/reviewctl.jar"
printf '#!/bin/sh\nexec java -jar "%s/reviewctl.jar" "$@"\n' "$dir" >"$dir/reviewctl"
chmod +x "$dir/reviewctl"
echo "$dir/reviewctl"
