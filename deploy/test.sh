#!/usr/bin/env bash
# Checks the Prometheus files with promtool: the config and rules parse, and the alert rules'
# unit tests pass. Run by `make test`.
set -euo pipefail
cd "$(dirname "$0")/prometheus"
promtool check config --syntax-only prometheus.yml >/dev/null
promtool check rules review-apps.rules.yml
promtool test rules review-apps.rules.test.yml
